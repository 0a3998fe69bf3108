"""Alerts to the admins rather than to a site: a user name under sign-in attack from many addresses.

``[admin_alerts] urls`` (or ``urls_file``) in the collector's settings are apprise URLs,
as a site's alert channels are (collector/settings.py:SiteAlerts). Each alert is sent
off the request's thread through the sites' sender (collector.alerts.sending.apprise_notify),
with the same retries and back-off as a site's alert; every attempt that fails is
logged with the channel masked. The event itself is already in the log and in the
account's ``user_events`` (collector.people.auth.Accounts._watch_for_attack).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from collector.alerts.sending import Notifier, apprise_notify, load_apprise
from collector.alerts.to_employees import redact_channel
from collector.people.auth import SignInAttack
from collector.settings import CollectorSettings

log = logging.getLogger("taqyeem.collector.alerts")


class AdminAlerts:
    """The admins' channels; ``tell`` never blocks the request that raised the alert."""

    def __init__(
        self, urls: list[str], notifier: Notifier = apprise_notify, retries: int = 3, retry_s: float = 2.0
    ) -> None:
        self.urls, self.notifier, self.retries, self.retry_s = list(urls), notifier, retries, retry_s
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()

    @classmethod
    def from_settings(cls, settings: CollectorSettings | None) -> AdminAlerts:
        if settings is None:
            return cls([])
        return cls(settings.admin_alerts.urls, retries=settings.alert_retries, retry_s=settings.alert_retry_s)

    def sign_in_attack(self, attack: SignInAttack) -> None:
        """``collector.people.auth.Accounts``' ``on_attack``."""
        self.tell(*attack.text())

    def tell(self, title: str, body: str) -> None:
        if not self.urls:
            log.warning("no [admin_alerts] urls: the admins were not sent: %s", title)
            return
        with self._lock:
            if self._pool is None:
                if self.notifier is apprise_notify:
                    load_apprise()
                self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="admin-alert")
            for url in self.urls:
                self._pool.submit(self._deliver, url, title, body)

    def _deliver(self, url: str, title: str, body: str) -> bool:
        """Send with retries (back-off retry_s, 2x, 4x ...), as the sites' alerts are sent."""
        for attempt in range(1, self.retries + 2):
            try:
                sent, error = self.notifier(url, title, body)
            except Exception as exc:  # a channel plugin that raises is one failed attempt
                sent, error = False, f"{type(exc).__name__}: {exc}"[:300]
            if sent:
                return True
            log.warning("admin alert to %s failed (attempt %d): %s", redact_channel(url), attempt, error)
            if attempt <= self.retries and self._stop.wait(self.retry_s * 2 ** (attempt - 1)):
                break
        return False

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
