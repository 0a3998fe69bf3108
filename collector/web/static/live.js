// Today's live feed: server-sent events from /events. Text is set with textContent only (never HTML).
(function () {
  const feed = document.getElementById("feed");
  if (!feed) { return; }
  const body = feed.tBodies[0];
  const state = document.getElementById("live-state");
  const banner = document.getElementById("alert-banner");
  const lang = feed.dataset.lang;
  const reasonLabels = {};
  document.getElementById("reason-labels").content.querySelectorAll("span").forEach((s) => { reasonLabels[s.dataset.code] = s.textContent; });
  const deskLabels = {};
  document.getElementById("desk-labels").content.querySelectorAll("span").forEach((s) => { deskLabels[s.dataset.site + "/" + s.dataset.desk] = s.textContent; });
  const channelLabels = {};
  document.getElementById("channel-labels").content.querySelectorAll("span").forEach((s) => { channelLabels[s.dataset.channel] = s.textContent; });
  // Where a desk would be named, a call or a link names its channel, then its desk when one is known (collector/channels.py).
  function placeOf(r) {
    const desk = deskLabels[r.site_id + "/" + r.desk_id] || r.desk_id || "";
    const channel = channelLabels[r.channel];
    if (!channel) { return desk; }
    return desk ? channel + " · " + desk : channel;
  }
  // The centre's time zone, as the server renders it, whatever the browser's own zone is.
  const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: feed.dataset.tz || undefined });
  const localTime = (stamp) => clock.format(new Date(stamp));
  const cell = (row, text) => { const td = row.insertCell(-1); if (text !== undefined) { td.textContent = text; } return td; };

  function scoreCell(td, score) {
    const wrap = document.createElement("span");
    wrap.className = "score s" + score; wrap.dir = "ltr";
    const scale = document.createElement("span"); scale.className = "scale";
    for (let n = 1; n <= 5; n++) { const dot = document.createElement("i"); if (n === score) { dot.className = "on"; } scale.appendChild(dot); }
    const b = document.createElement("b"); b.textContent = String(score);
    wrap.append(scale, " ", b, "/5");
    td.appendChild(wrap);
  }

  function addRating(r) {
    const empty = body.querySelector("tr.empty"); if (empty) { empty.remove(); }
    const row = body.insertRow(0);
    row.dataset.id = r.id;
    row.className = "fresh" + (r.negative ? " negative" : "");
    const time = document.createElement("bdi"); time.dir = "ltr"; time.textContent = localTime(r.created_at); cell(row).appendChild(time);
    const bdiDesk = document.createElement("bdi"); bdiDesk.textContent = placeOf(r) || "—"; const place = cell(row); place.className = "place"; place.appendChild(bdiDesk);
    const bdiEmp = document.createElement("bdi"); bdiEmp.textContent = r.employee_label || r.employee_id || "—"; if (r.employee_id) { bdiEmp.title = r.employee_id; } cell(row).appendChild(bdiEmp);
    scoreCell(cell(row), r.score);
    const reasons = cell(row);
    (r.reasons || []).forEach((code, i) => { const tag = document.createElement("span"); tag.className = "tag"; tag.textContent = (r.reason_names || [])[i] || reasonLabels[code] || code; reasons.appendChild(tag); });
    const link = cell(row);
    if (r.negative) { const a = document.createElement("a"); a.href = "/reviews/" + encodeURIComponent(r.id); a.textContent = feed.dataset.reviewLabel; link.appendChild(a); }
    while (body.rows.length > 50) { body.deleteRow(-1); }
  }

  function showAlert(r) {
    banner.hidden = false;
    // 1.2: the review's owner from the rota; the owner's own page says it is theirs.
    const mine = r.owner && banner.dataset.user && r.owner.toLowerCase() === banner.dataset.user.toLowerCase();
    const owner = r.owner ? " · " + (mine ? banner.dataset.mine : banner.dataset.ownerLabel + " " + r.owner) : "";
    banner.querySelector(".banner-text").textContent = placeOf(r) + " · " + (r.employee_label || r.employee_id || "—") + " · " + r.score + "/5" + owner;
    banner.classList.toggle("mine", Boolean(mine));
    banner.querySelector(".banner-link").hidden = false;
    banner.querySelector(".banner-link").href = "/reviews/" + encodeURIComponent(r.id);
  }

  function showTrend(t) {
    banner.hidden = false;
    banner.querySelector(".banner-text").textContent = (lang === "ar" ? t.text_ar : t.text_en) || "";
    banner.querySelector(".banner-link").hidden = true;
  }

  const fmtShare = (v) => (v === null ? "—" : (100 * v).toFixed(1) + "%");
  function setText(id, text) { const el = document.getElementById(id); if (el) { el.textContent = text; } }
  // A count and the word after it (English: "1 rating", "2 ratings"; Arabic pages put a label before it instead).
  const plural = new Intl.PluralRules(document.documentElement.lang || "en");
  function setCount(id, n) {
    const el = document.getElementById(id);
    if (!el) { return; }
    el.textContent = String(n);
    const unit = el.nextElementSibling;
    if (unit && unit.classList.contains("unit")) { unit.textContent = unit.dataset[plural.select(n)] || unit.dataset.other; }
  }

  const source = new EventSource("/events");
  source.onopen = () => { state.textContent = state.dataset.on; state.className = "live on"; };
  source.onerror = () => { state.textContent = state.dataset.off; state.className = "live"; };
  source.addEventListener("rating", (e) => addRating(JSON.parse(e.data)));
  source.addEventListener("negative", (e) => { const r = JSON.parse(e.data); addRating(r); showAlert(r); });
  source.addEventListener("trend", (e) => showTrend(JSON.parse(e.data)));
  source.addEventListener("summary", (e) => {
    const s = JSON.parse(e.data);
    setText("s-mean", s.mean === null ? "—" : s.mean.toFixed(2));
    setCount("s-count", s.count);
    setText("s-share", fmtShare(s.share_negative));
    setCount("s-neg", s.negatives);
    setText("s-open", String(s.open_reviews));
    setText("s-offline", String(s.desks_offline));
  });
  void lang;
})();
