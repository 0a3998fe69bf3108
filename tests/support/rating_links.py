"""Rating links made straight in a store, as POST /api/v1/visits makes them (for the link page's tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from collector.store import Store
from collector.visits.links import new_token, token_hash
from shared.clock import format_time
from shared.contract import DEFAULT_SURVEY, DeviceConfig

SITE = "site-a"


def survey_desk() -> DeviceConfig:
    return DeviceConfig(
        site_id=SITE, desk_id="desk-01", desk_name_ar="مكتب 01", desk_name_en="Desk 01", survey=DEFAULT_SURVEY
    )


def make_link(store: Store, visit_id: str, *, hours: float = 48, phone: str | None = "+966500000009") -> str:
    """A recorded visit at site-a's desk-01 (employee E7) and its link's token; negative hours: expired."""
    now = datetime.now(UTC)
    store.visits.record(
        {
            "site_id": SITE,
            "visit_id": visit_id,
            "desk_id": "desk-01",
            "employee_id": "E7",
            "channel": "desk",
            "recorded_at": format_time(now),
            "token_name": "queue",
        }
    )
    token = new_token()
    store.visits.add_link(
        {
            "token_hash": token_hash(token),
            "site_id": SITE,
            "visit_id": visit_id,
            "desk_id": "desk-01",
            "employee_id": "E7",
            "phone": phone,
            "created_at": format_time(now - timedelta(hours=max(0, -hours) + 1)),
            "expires_at": format_time(now + timedelta(hours=hours)),
        }
    )
    return token
