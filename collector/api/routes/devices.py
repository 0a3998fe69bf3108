from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter

from collector.access import IdentityDep, StoreDep, require
from collector.api.errors import documented
from collector.fleet.overview import fleet_rows

router = APIRouter(prefix="/api/v1", tags=["devices"], responses=documented(401, 403))


@router.get(
    "/devices",
    summary="Every device: desk, state, last seen, outbox, seq gaps, clock skew, free disk, temperature, update; "
    "the silent ones first",
    dependencies=[require("admin", "supervisor")],
)
def list_devices(store: StoreDep, identity: IdentityDep) -> dict[str, Any]:
    return {"devices": fleet_rows(store.devices.all(sites=identity.site_scope()), datetime.now(UTC))}
