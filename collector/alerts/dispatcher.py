"""The alert dispatcher: stored batches to the pages' live feed and the sites' channels; the end-of-day digest.

The service subscribes :meth:`AlertDispatcher.on_stored` to ingest's stored
batches (collector.service.wire_alerts), with or without the web app; ingest
calls it on its writer thread after each commit, and it only enqueues. The
dispatcher's own thread reads the new ratings, fans them out to the pages' live
feeds at once, and hands every negative to a small pool that sends it to the
site's apprise channels, retrying with back-off and logging every attempt in
``alert_log``. (The MQTT ``alerts`` topic is published by ingest itself.)
Another thread sends each site's digest of the day's unreviewed negatives to
its manager channels at ``digest_at``.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Generic, Protocol, TypeVar

from collector.alerts.sending import Notifier, _redact, apprise_notify, load_apprise
from collector.alerts.to_employees import employee_alerts
from collector.alerts.to_reviewers import ReviewerAlert, escalation_alerts, owner_alerts
from collector.alerts.trend_watch import TrendWatch
from collector.alerts.trends import trend_alert, trend_text
from collector.alerts.wording import _reasons_of, alert_text, digest_text, employee_phrases
from collector.ingest.batch_records import StoredBatch
from collector.people.employee_names import NameBook
from collector.reports.maths import Calendar
from collector.reviews.escalation import escalate_due
from collector.settings import CollectorSettings, SiteAlerts
from collector.store import Store
from collector.visits.sms import REVIEWED_TEXT, SMS_TITLE, site_sms_targets
from shared.clock import format_time
from shared.contract import Alert

log = logging.getLogger("taqyeem.collector.alerts")


class LivePublisher(Protocol):
    """Where every stored rating is published for the open pages (collector.web.live_feed.LiveFeed)."""

    def publish(self, event: dict[str, Any], site_id: str | None) -> None: ...


Feed = TypeVar("Feed", bound=LivePublisher)


EVENT_KEYS = (
    "id", "created_at", "device_id", "site_id", "desk_id", "channel", "employee_id", "score", "reasons", "visit_id",
)  # fmt: skip


def rating_event(row: dict[str, Any]) -> dict[str, Any]:
    keys = (*EVENT_KEYS, "negative")
    return {"type": "negative" if row["negative"] else "rating", "rating": {k: row[k] for k in keys}}


# --- the dispatcher -------------------------------------------------------------------------


class AlertDispatcher(Generic[Feed]):
    """Turns stored batches into live events and channel alerts, off the writer thread."""

    def __init__(
        self,
        store: Store,
        settings: CollectorSettings | None,
        live: Feed,
        notifier: Notifier = apprise_notify,
        clock: Callable[[], datetime] | None = None,
        publish_alert: Callable[[Alert], None] | None = None,
    ) -> None:
        self.store = store
        self.publish_alert = publish_alert  # the MQTT alerts topic (collector.ingest.subscriber.Ingest.publish_alert)
        self.settings = settings
        self.live = live
        self.notifier = notifier
        if notifier is apprise_notify:
            load_apprise()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.calendar = Calendar.from_settings(
            *(() if settings is None else (settings.timezone, settings.open_hours, settings.open_weekdays))
        )
        self.trends = TrendWatch(store, self.calendar)
        self.retries = settings.alert_retries if settings else 3
        self.retry_s = settings.alert_retry_s if settings else 2.0
        self._batches: queue.Queue[StoredBatch | None] = queue.Queue()
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="alert-send")
        self._threads = [
            threading.Thread(target=self._run, name="alert-dispatch", daemon=True),
            threading.Thread(target=self._digest_loop, name="alert-digest", daemon=True),
            threading.Thread(target=self._escalation_loop, name="alert-escalate", daemon=True),
        ]
        self.started = False
        store.before_close(self.stop)  # its threads query the store: they stop before it closes
        self._reassignments_seen = store.review_owners.last_event_id()  # from now on: never one twice

    def start(self) -> None:
        if not self.started:
            self.started = True
            for thread in self._threads:
                thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._batches.put(None)
        for thread in self._threads:
            if thread.is_alive() and thread is not threading.current_thread():
                thread.join(30)  # one batch's work at most; the store closes only after
        self._pool.shutdown(wait=False, cancel_futures=True)

    def on_stored(self, batch: StoredBatch) -> None:
        """Ingest's listener: never blocks the writer."""
        if batch.new_rating_ids:
            self._batches.put(batch)

    def channels(self, site_id: str | None) -> SiteAlerts | None:
        if self.settings is None:
            return None
        return self.settings.alerts.get(site_id or "") or self.settings.alerts.get("*")

    # --- dispatch thread ---

    def _run(self) -> None:
        while not self._stop.is_set():
            batch = self._batches.get()
            if batch is None:
                break
            try:
                self._dispatch(batch)
            except Exception:
                log.exception("dispatching %d stored ratings failed", len(batch.new_rating_ids))

    def _dispatch(self, batch: StoredBatch) -> None:
        rows = self.store.ratings.by_ids(batch.new_rating_ids)
        configs = self.store.devices.configs({r["device_id"] for r in rows if r["negative"]})
        names = NameBook(self.store).load(r["employee_id"] for r in rows if r["negative"])
        owners = self.store.review_owners.owners([r["id"] for r in rows if r["negative"]])
        for row in rows:
            event = rating_event(row)
            if row["id"] in owners:  # 1.2: the live page hears whose review it is, and by when
                event["rating"].update(owners[row["id"]])
            self.live.publish(event, row["site_id"])
            if row["negative"]:
                site = self.channels(row["site_id"])
                text = alert_text(row, self.calendar, _reasons_of(configs, row), names.names(row["employee_id"]))
                self._tell_the_owner(row, owners.get(row["id"], {}), text)  # the owner first
                for url in site.urls if site else []:
                    self._pool.submit(self._deliver, "negative", url, row, *text)
                self._tell_the_employee(row, configs)
        self._watch_trends(rows)

    def _watch_trends(self, rows: list[dict[str, Any]]) -> None:
        """Trend alerts (collector/alerts/trends.py): once per window, to the site's managers and the pages."""
        try:
            findings = self.trends.findings(rows, self.clock())
        except Exception:  # a failed trend check must not cost the next batch its alerts
            log.exception("checking the trends of %d stored ratings failed", len(rows))
            return
        names = NameBook(self.store).load(f.employee_id for f in findings if f.employee_id)
        for finding in findings:
            at = format_time(self.clock())
            alert = trend_alert(finding, at)
            if self.publish_alert is not None:
                self.publish_alert(alert)
            employee = employee_phrases(finding.employee_id, names.names(finding.employee_id))
            title, body = trend_text(finding, employee)
            text_ar, _, text_en = body.partition("\n")
            event = {"type": "trend", "trend": {**alert.model_dump(), "text_ar": text_ar, "text_en": text_en}}
            self.live.publish(event, finding.site_id)
            site = self.channels(finding.site_id)
            for url in site.manager_urls if site else []:
                self._pool.submit(self._deliver, "trend", url, None, title, body, finding.site_id, at[:10])

    def _tell_the_owner(self, row: dict[str, Any], review: dict[str, Any], text: tuple[str, str]) -> None:
        """The review's owner from the rota, at their account's URL (collector.alerts.to_reviewers)."""
        if not review.get("owner"):
            return
        try:
            alerts = owner_alerts(
                self.store, row, review["owner"], review.get("due_at"), self.calendar, self.settings, text
            )
        except Exception:  # one owner's lookup must not cost the rating its other alerts
            log.exception("finding the owner to tell of rating %s failed", row["id"])
            return
        for alert in alerts:
            self._pool.submit(self._deliver_to_reviewer, "owner", alert, row)

    def _deliver_to_reviewer(self, kind: str, alert: ReviewerAlert, row: dict[str, Any]) -> bool:
        """Send a reviewer's alert; once delivered it is an 'alerted' event in the review's history."""
        sent = self._deliver(kind, alert.url, row, alert.title, alert.body, to=f"{kind} {alert.to}")
        if sent:
            self.store.review_owners.note_alerted(row["id"], alert.to, format_time(self.clock()))
        return sent

    def _tell_the_employee(self, row: dict[str, Any], configs: dict[str, Any]) -> None:
        """The rating's own employee, where their account asked for it (collector.alerts.to_employees)."""
        try:
            alerts = employee_alerts(self.store, row, self.calendar, configs.get(row["device_id"]))
        except Exception:  # one employee's lookup must not cost the next rating its alerts
            log.exception("finding the employee accounts to tell of rating %s failed", row["id"])
            return
        for alert in alerts:
            self._pool.submit(
                self._deliver, "negative", alert.url, row, alert.title, alert.body, to=f"employee {alert.account}"
            )

    def _deliver(
        self,
        kind: str,
        url: str,
        row: dict[str, Any] | None,
        title: str,
        body: str,
        site_id: str | None = None,
        day: str | None = None,
        to: str | None = None,
    ) -> bool:
        """Send with retries (back-off retry_s, 2x, 4x ...), logging each attempt; ``to``: whose account it is."""
        channel = f"{to}: {_redact(url)}" if to else _redact(url)
        for attempt in range(1, self.retries + 2):
            try:
                ok, error = self.notifier(url, title, body)
            except Exception as exc:  # a channel plugin that raises is one failed attempt
                ok, error = False, f"{type(exc).__name__}: {exc}"[:300]
            self.store.reviews.log_alert(
                {
                    "kind": kind,
                    "site_id": site_id or (row or {}).get("site_id"),
                    "rating_id": (row or {}).get("id"),
                    "day": day,
                    "channel": channel,
                    "attempt": attempt,
                    "ok": int(ok),
                    "error": error,
                    "at": format_time(self.clock()),
                }
            )
            if ok:
                return True
            log.warning("alert to %s failed (attempt %d): %s", channel, attempt, error)
            if attempt <= self.retries and self._stop.wait(self.retry_s * 2 ** (attempt - 1)):
                break
        return False

    # --- escalations of overdue reviews ---

    def _escalation_loop(self) -> None:
        while True:  # at once on start (catching up on what was missed while down), then every 20 s
            try:
                self.send_due_escalations()
                self.send_reassignment_alerts()
            except Exception:
                log.exception("escalating the overdue reviews failed")
            if self._stop.wait(20):
                break

    def send_due_escalations(self, *, wait: bool = False) -> list[tuple[str, str]]:
        """Escalate every overdue review step not yet escalated (collector.reviews.escalation); once each."""
        done, futures = [], []
        for escalation in escalate_due(self.store, format_time(self.clock())):
            done.append((escalation.rating_id, escalation.step))
            review = self.store.reviews.get(escalation.rating_id)
            if review is None:
                continue
            site = self.channels(escalation.site_id)
            for alert in escalation_alerts(self.store, escalation, review, self.calendar, self.settings, site):
                futures.append(self._pool.submit(self._deliver_to_reviewer, "escalation", alert, review["rating"]))
        if wait:
            for future in futures:
                future.result()
        return done

    def send_reassignment_alerts(self, *, wait: bool = False) -> list[str]:
        """Tell each new owner of a review reassigned since the last look (within 20 s; at most once)."""
        futures, told = [], []
        for change in self.store.review_owners.reassignments_after(self._reassignments_seen):
            self._reassignments_seen = max(self._reassignments_seen, int(change["id"]))
            review = self.store.reviews.get(change["rating_id"])
            if review is None or not change["owner"]:
                continue
            row, due = review["rating"], review["review"].get("due_at")
            for alert in owner_alerts(self.store, row, change["owner"], due, self.calendar, self.settings):
                told.append(alert.to)
                futures.append(self._pool.submit(self._deliver_to_reviewer, "owner", alert, row))
        if wait:
            for future in futures:
                future.result()
        return told

    # --- end-of-day digest ---

    def _digest_loop(self) -> None:
        while not self._stop.wait(20):
            try:
                self.send_due_digests()
            except Exception:
                log.exception("sending the end-of-day digests failed")
            try:
                self.thank_called_back_visitors()
            except Exception:
                log.exception("thanking the visitors whose reviews closed failed")

    def thank_called_back_visitors(self) -> int:
        """A short SMS to each visitor who asked to be called back once their review closed (the last 2 days),
        where the site has an SMS channel; once each, also across a restart (claimed before sending).
        """
        if self.settings is None or not any(channels.sms_urls for channels in self.settings.alerts.values()):
            return 0
        now = self.clock()
        due = self.store.callbacks.claim_thanks(format_time(now - timedelta(days=2)), format_time(now))
        for row in due:
            for target in site_sms_targets(self.settings, row["site_id"], row["phone"]):
                self._pool.submit(self._thank, target, row["rating_id"])
        return len(due)

    def _thank(self, target: str, rating_id: str) -> None:
        """One try, logged without the number (it is in the target): alert_log keeps no visitor's phone."""
        try:
            sent, error = self.notifier(target, SMS_TITLE, REVIEWED_TEXT)
        except Exception as exc:  # a channel plugin that raises is a failed send
            sent, error = False, f"{type(exc).__name__}: {exc}"
        if not sent:
            log.warning("the thank-you SMS about review %s failed: %s", rating_id, (error or "")[:200])

    def send_due_digests(self) -> list[str]:
        """Send each configured site's digest once its ``digest_at`` has passed today."""
        if self.settings is None:
            return []
        now = self.clock().astimezone(self.calendar.zone)
        sent = []
        sites = [s for s in self.settings.alerts if s != "*"] or self.store.devices.site_ids()
        for site_id in sites:
            config = self.channels(site_id)
            due = config and config.manager_urls and now.time() >= time.fromisoformat(config.digest_at)
            if due and self.send_digest(site_id, now.date()):
                sent.append(site_id)
        return sent

    def send_digest(self, site_id: str, day: date, *, wait: bool = False) -> bool:
        """Escalate the day's unreviewed negatives of a site to its manager; once per site and day."""
        config = self.channels(site_id)
        if config is None or not config.manager_urls:
            return False
        since, until = self.calendar.day_bounds(day)
        open_ids = {i["rating"]["id"] for i in self.store.reviews.all(status="open", sites=[site_id])}
        items = [r for r in self.store.ratings.window(since, until, site_id=site_id) if r["id"] in open_ids]
        if not self.store.reviews.claim_digest(site_id, day.isoformat(), len(items), format_time(self.clock())):
            return False
        configs = self.store.devices.configs({r["device_id"] for r in items})
        book = NameBook(self.store).load(r["employee_id"] for r in items)
        names = {r["employee_id"]: book.names(r["employee_id"]) for r in items if r["employee_id"]}
        title, body = digest_text(site_id, day, items, self.calendar, configs, names)
        futures = [
            self._pool.submit(self._deliver, "digest", url, None, title, body, site_id, day.isoformat())
            for url in config.manager_urls
        ]
        if wait:
            for future in futures:
                future.result()
        return True
