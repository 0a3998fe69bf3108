"""The channels alerts go out on: apprise, by URL (email, webhooks, Teams, Slack, SMS gateways)."""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Callable

from collector.alerts.to_employees import redact_channel

_redact = redact_channel  # the channel as logged (collector.alerts.to_employees.redact_channel)

Notifier = Callable[[str, str, str], tuple[bool, str | None]]  # (url, title, body) -> (sent, error)


def load_apprise() -> None:
    """Import apprise and its lazily loaded helpers once, quietly.

    Its PGP helper imports ``imghdr``, deprecated in Python 3.11: warnings are not
    thread-safe to silence later, so this runs once before the sending threads start.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import apprise

        with contextlib.suppress(ImportError):
            import apprise.utils.pgp  # noqa: F401


def apprise_notify(url: str, title: str, body: str) -> tuple[bool, str | None]:
    """Send through apprise (email, webhooks, Teams, Slack, SMS gateways: all by URL)."""
    import apprise

    sender = apprise.Apprise()
    if not sender.add(url):
        return False, "apprise does not understand this URL; check its scheme and spelling"
    with apprise.LogCapture(level=logging.WARNING) as captured:
        sent = bool(sender.notify(title=title, body=body))
        errors = captured.getvalue().strip() if hasattr(captured, "getvalue") else ""
    return sent, None if sent else (errors.splitlines()[-1][:300] if errors else "apprise could not deliver it")
