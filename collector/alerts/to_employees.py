"""An employee's own alerts: who is told of a negative rating of theirs, in which words, and URL hygiene.

An employee account may hold one apprise URL (``users.notify_url``). When a negative
rating of that staff number is stored, the alert dispatcher (collector.alerts.dispatcher) sends
it there too, through the same queue, retries and ``alert_log`` as the sites'
channels, in the account's language. The URL may hold a password or token: it is
checked before it is stored and only ever shown masked.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from collector.reports.maths import Calendar
from collector.store import Store
from shared.contract import DeviceConfig
from shared.reasons import reason_labels

MAX_NOTIFY_URL = 1000

_HOST_SCHEMES = {"json", "jsons", "xml", "xmls", "form", "forms", "mailto", "mailtos", "ntfy", "ntfys"}


def redact_channel(url: str) -> str:
    """A channel as logged or shown: never a password or token from the URL.

    Web and mail schemes keep their host; the rest (Slack, Teams ... carry tokens in
    place of a host) show the scheme and a short fingerprint of the URL.
    """
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() in _HOST_SCHEMES:
        host = rest.split("?", 1)[0].rsplit("@", 1)[-1].split("/", 1)[0]  # not a mail address from ?to=
        return f"{scheme}://{host}"[:200]
    return f"{scheme[:20] if sep else 'url'}://#" + hashlib.sha256(url.encode()).hexdigest()[:10]


def masked_url(url: str | None) -> str | None:
    """How an account's notification URL is shown to anyone, its owner included: scheme and host at most."""
    return None if url is None else redact_channel(url)


def notify_url_problem(url: str) -> str | None:
    """Why apprise could not use this URL, or None when it can."""
    if not url or len(url) > MAX_NOTIFY_URL or not url.isprintable() or any(c.isspace() for c in url):
        return f"give one apprise URL such as mailto://... or json://... (at most {MAX_NOTIFY_URL} characters)"
    if "://" not in url:
        return "it has no scheme; apprise URLs look like mailto://user:password@host?to=name@example.org"
    from collector.alerts.sending import load_apprise

    load_apprise()
    import apprise

    with apprise.LogCapture(level=logging.ERROR):  # its complaint is ours to word
        understood = apprise.Apprise().add(url)
    return None if understood else "apprise does not understand this URL; check its scheme and spelling"


@dataclass(frozen=True)
class EmployeeAlert:
    account: str  # the user name, for the log
    url: str
    title: str
    body: str


def employee_alert_text(
    row: dict[str, Any], calendar: Calendar, lang: str, config: DeviceConfig | None = None
) -> tuple[str, str]:
    """Title and body of a negative rating told to its own employee, in their language only."""
    local = calendar.local(row["created_at"]).strftime("%H:%M")
    desk = row.get("desk_id") or "?"
    if config is not None:
        desk = (config.desk_name_ar if lang == "ar" else config.desk_name_en) or desk
    reasons = reason_labels(row["reasons"], lang, None if config is None else list(config.reasons))
    if lang == "ar":
        title = f"تقييم سلبي لك {row['score']}/5"
        body = (
            f"قيّمك أحد المراجعين {row['score']} من 5 الساعة {local} في {desk}. "
            f"الأسباب: {'، '.join(reasons) or '-'}. يمكنك إضافة ردك على المراجعة من صفحتك في تقييم."
        )
    else:
        title = f"A negative rating for you: {row['score']}/5"
        body = (
            f"A visitor rated you {row['score']} out of 5 at {local} at {desk}. "
            f"Reasons: {', '.join(reasons) or '-'}. You may add your response to its review on your page in Taqyeem."
        )
    return title, body


def employee_alerts(
    store: Store, row: dict[str, Any], calendar: Calendar, config: DeviceConfig | None = None
) -> list[EmployeeAlert]:
    """What to send for one stored negative rating: one alert per linked account that asked for them."""
    if not row.get("negative") or not row.get("employee_id"):
        return []
    alerts = []
    for contact in store.accounts.employee_contacts(row["employee_id"]):
        title, body = employee_alert_text(row, calendar, contact["lang"], config)
        alerts.append(EmployeeAlert(contact["name"], contact["notify_url"], title, body))
    return alerts
