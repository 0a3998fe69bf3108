"""Escalating overdue reviews: to the site's managers once past ``due_at``, to the director the next working morning.

Each step is claimed in the database before its alert is sent (``review_escalations``, as the
digests' claims are), with an 'escalated' event in the review's history: a collector that was
down catches up on every step it missed when it starts again, and never sends one twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from collector.reviews.ownership import rota_of
from collector.reviews.rota import Rota
from collector.store import Store

STEPS = ("managers", "director")


@dataclass(frozen=True)
class Escalation:
    rating_id: str
    site_id: str | None
    step: str  # managers or director
    recipients: tuple[str, ...]  # user names from the rota (may be empty: the site's manager_urls then)


def recipients(rota: Rota, step: str) -> tuple[str, ...]:
    """Who a step goes to, by the site's rota (pure)."""
    if step == "managers":
        return rota.managers
    return (rota.director,) if rota.director else ()


def escalate_due(store: Store, now: str) -> list[Escalation]:
    """Claim every escalation step due by ``now`` (oldest first; managers before director) and return them."""
    due = store.review_owners.due_escalations(now)
    if not due:
        return []
    rotas = store.review_owners.rotas()
    sites = store.reviews.sites_of([rating_id for rating_id, _ in due])
    claimed = []
    for rating_id, step in sorted(due, key=lambda pair: STEPS.index(pair[1])):
        site_id = sites.get(rating_id)
        names = recipients(rota_of(store, site_id, rotas), step)
        if store.review_owners.claim_escalation(rating_id, step, list(names), now):
            claimed.append(Escalation(rating_id, site_id, step, names))
    return claimed
