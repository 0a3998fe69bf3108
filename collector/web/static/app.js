// Small helpers for every page (no inline scripts: the pages' CSP allows only files from this site).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) { window.print(); }
});
// A row with data-href (the review queue) opens where its own link goes, wherever it is clicked; the
// link in its first cell is what the keyboard and screen readers use. Links, buttons, a modified
// click (new tab) and selecting text are left to the browser.
document.addEventListener("click", (event) => {
  const row = event.target.closest("tr[data-href]");
  if (!row || event.target.closest("a, button, input, select, textarea, label")) { return; }
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
  if (String(window.getSelection() || "").length > 0) { return; }
  window.location.assign(row.dataset.href);
});
// A form that changes someone's account asks first (its question is in data-confirm).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
});
// Closing a review: the "attributable to the employee?" answer follows the chosen cause's default
// (its option's data-attributable); the supervisor may still change it. Without this script nothing
// is pre-selected for a new cause and the server applies the same default.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-sets-attributable]");
  if (!select || !select.form) { return; }
  const option = select.selectedOptions[0];
  const answer = option ? option.dataset.attributable : undefined;
  select.form.querySelectorAll('input[name="attributable"]').forEach((radio) => { radio.checked = radio.value === answer; });
});
// A date input shows the browser's own format (often mm/dd/yyyy): echo the chosen day beside it as ISO and Hijri.
document.addEventListener("input", (event) => {
  const input = event.target.closest("input[data-date-echo]");
  const echo = input && document.getElementById(input.dataset.dateEcho);
  if (!echo) { return; }
  const bits = echo.querySelectorAll("bdi");
  const day = input.value ? new Date(input.value + "T00:00:00Z") : null;
  echo.hidden = !input.value;
  bits[0].textContent = input.value || "—";
  if (!day || Number.isNaN(day.getTime())) { bits[1].textContent = ""; return; }
  const locale = echo.dataset.lang === "ar" ? "ar-SA-u-ca-islamic-umalqura-nu-latn" : "en-u-ca-islamic-umalqura";
  const parts = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).formatToParts(day);
  const part = (type) => (parts.find((p) => p.type === type) || {}).value || "";
  bits[1].textContent = [part("day"), part("month"), part("year")].join(" ");
});
