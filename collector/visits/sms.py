"""The SMS that carries a visitor's rating link: its text, its targets, and the sending (apprise).

A site's ``sms_urls`` (its ``[alerts.<site>]`` channels, or ``[alerts."*"]``) are apprise
URLs in which ``{phone}`` stands for the visitor's number (``sms_targets``). The text is
Arabic first, then English (``sms_text``). ``POST /api/v1/visits`` queues ``send_sms`` to
run after its answer; the demo (devtools/demo.py) makes its links with
collector/visits/links.py:make_link and sends none.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from collector.alerts.sending import apprise_notify, load_apprise
from collector.settings import CollectorSettings

log = logging.getLogger("taqyeem.collector.visits")
SMS_TITLE = "تقييم | Rating"


def sms_text(url: str) -> str:
    """The SMS a visitor gets: Arabic first, then English, each with the link."""
    return f"شكرا لزيارتكم. قيّموا الخدمة من هنا: {url}\nThank you for your visit. Please rate our service: {url}"


REVIEWED_TEXT = (
    "شكرا لملاحظتك على خدمتنا؛ راجعنا ما حدث ونعمل على تحسينه.\n"
    "Thank you for your feedback on our service; we looked into it and are acting on it."
)  # never names the employee, the rating or the cause (PROTOCOL 1.2)


def site_sms_targets(settings: CollectorSettings, site_id: str | None, phone: str) -> list[str]:
    """A site's SMS channels (else ``"*"``'s) for ``phone``; [] where the site has none."""
    channels = settings.alerts.get(site_id or "") or settings.alerts.get("*")
    return sms_targets(channels.sms_urls, phone) if channels is not None and channels.sms_urls else []


def sms_targets(templates: list[str], phone: str) -> list[str]:
    """The site's SMS apprise URLs with ``{phone}`` replaced by the number (URL-quoted)."""
    return [template.replace("{phone}", quote(phone, safe="")) for template in templates]


def visit_sms_targets(settings: CollectorSettings, visit: dict[str, Any]) -> list[str]:
    """Where the visit's link goes by SMS: its site's channels (else ``"*"``'s) for its phone; [] for none."""
    return [] if visit["phone"] is None else site_sms_targets(settings, visit["site_id"], visit["phone"])


def prepare_sms(settings: CollectorSettings | None) -> None:
    """Load apprise before any request's background task sends (its lazy imports warn; not thread-safe to hush)."""
    if settings is not None and any(channels.sms_urls for channels in settings.alerts.values()):
        load_apprise()


def send_sms(targets: list[str], url: str, visit_id: str) -> None:
    """Each SMS channel once (the link lives 48 h; the visitor may also be told at the desk); failures logged."""
    for target in targets:
        sent, error = apprise_notify(target, SMS_TITLE, sms_text(url))
        if not sent:
            log.warning("SMS of visit %s's rating link failed: %s", visit_id, error)
