"""Alerts to the people a review belongs to: its owner first, then, when overdue, the managers and the director.

Each is a user name from the site's rota (collector/reviews/rota.py). A name is reached at
its own account's apprise URL (``users.notify_url``, as employees' accounts are: set on My
page); managers and the director without one, or a step that names nobody, fall back to
the site's ``manager_urls`` in the collector's settings. Every alert links to the review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from collector.alerts.wording import alert_text
from collector.reports.maths import Calendar
from collector.reviews.escalation import Escalation
from collector.settings import CollectorSettings, SiteAlerts
from collector.store import Store


@dataclass(frozen=True)
class ReviewerAlert:
    to: str  # a user name, or "manager_urls", for the log and the history
    url: str
    title: str
    body: str


def review_link(settings: CollectorSettings | None, rating_id: str) -> str:
    """The review page's address: under ``public_url`` where one is set, else the path alone."""
    base = (settings.public_url or "").rstrip("/") if settings is not None else ""
    return f"{base}/reviews/{rating_id}"


def account_urls(store: Store, names: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    """(name -> its account's notify_url, names with no enabled account or no URL)."""
    found, missing = {}, []
    for name in names:
        user = store.accounts.user(name=name)
        if user is not None and user.get("disabled_at") is None and user.get("notify_url"):
            found[user["name"]] = user["notify_url"]
        else:
            missing.append(name)
    return found, missing


def owner_alerts(
    store: Store,
    row: dict[str, Any],
    owner: str,
    due_at: str | None,
    calendar: Calendar,
    settings: CollectorSettings | None,
    words: tuple[str, str] | None = None,
) -> list[ReviewerAlert]:
    """The alert to a new review's owner, at their account's URL (none: the site's channels already have it)."""
    urls, _ = account_urls(store, (owner,))
    if not urls:
        return []
    title, body = words or alert_text(row, calendar)
    due = calendar.local(due_at).strftime("%Y-%m-%d %H:%M") if due_at else "-"
    link = review_link(settings, row["id"])
    title = f"مراجعة لك · A review for you · {title}"
    body = f"{body}\nموعدها · Due: {due}\n{link}"
    return [ReviewerAlert(name, url, title, body) for name, url in urls.items()]


def escalation_alerts(
    store: Store,
    escalation: Escalation,
    review: dict[str, Any],
    calendar: Calendar,
    settings: CollectorSettings | None,
    site: SiteAlerts | None,
) -> list[ReviewerAlert]:
    """One escalation step's alerts: each recipient at their URL, the site's manager_urls for the rest."""
    urls, missing = account_urls(store, escalation.recipients)
    alerts_to = list(urls.items())
    if (missing or not escalation.recipients) and site is not None:
        alerts_to += [("manager_urls", url) for url in site.manager_urls]
    rating, state = review["rating"], review["review"]
    due = calendar.local(state["due_at"]).strftime("%Y-%m-%d %H:%M") if state.get("due_at") else "-"
    step_ar = "المدير العام" if escalation.step == "director" else "مديري الموقع"
    title = (
        f"مراجعة متأخرة تُرفع إلى {step_ar} · Overdue review escalated to the {escalation.step} · "
        f"{rating.get('site_id') or '?'}"
    )
    body = (
        f"مراجعة التقييم {rating['score']}/5 لم تُغلق، موعدها {due}، مسؤولها {state.get('owner') or '-'}.\n"
        f"The review of a {rating['score']}/5 rating is still open, due {due}, owner {state.get('owner') or '-'}.\n"
        f"{review_link(settings, rating['id'])}"
    )
    return [ReviewerAlert(name, url, title, body) for name, url in alerts_to]
