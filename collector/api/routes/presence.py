"""The sign-in log (contract 1.1): who signed in and out at which desk, and when."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from collector.access import IdentityDep, StoreDep, checked_site, require
from collector.api.errors import documented
from collector.api.routes.ratings import NameFilter, TimeBound, time_bound

router = APIRouter(prefix="/api/v1", tags=["presence"], responses=documented(401, 403, 422))


class PresencePublic(BaseModel):
    id: str = Field(description="the Presence id the device made")
    device_id: str
    employee_id: str
    event: Literal["sign_in", "sign_out"]
    cause: str = Field(description="pin, manual, idle, closing, replaced or restart")
    at: str = Field(description="when it happened, by the device's clock (RFC 3339 UTC)")
    received_at: str = Field(description="when the collector stored it")
    site_id: str | None = Field(description="the device's site when it was received; null if unassigned")
    desk_id: str | None


class PresenceLog(BaseModel):
    presence: list[PresencePublic] = Field(description="newest first")


@router.get(
    "/presence",
    summary="The sign-in log: sign-ins and sign-outs at the desks, newest first",
    dependencies=[require("admin", "supervisor", "viewer")],
)
def list_presence(
    store: StoreDep,
    identity: IdentityDep,
    device_id: NameFilter = None,
    employee_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    site_id: NameFilter = None,
    since: TimeBound = None,
    until: TimeBound = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> PresenceLog:
    rows = store.presence.log(
        site_id=checked_site(identity, site_id),
        device_id=device_id,
        employee_id=employee_id,
        since=time_bound(since),
        until=time_bound(until),
        sites=identity.site_scope(),
        limit=limit,
    )
    return PresenceLog(presence=[PresencePublic(**row) for row in rows])
