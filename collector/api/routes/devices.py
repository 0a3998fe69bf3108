from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from collector.access import IdentityDep, StoreDep, require
from collector.api.errors import documented

router = APIRouter(prefix="/api/v1", tags=["devices"], responses=documented(401, 403))


@router.get(
    "/devices",
    summary="Every device: desk, state, last seen, outbox, last seq, gaps, clock skew",
    dependencies=[require("admin", "supervisor")],
)
def list_devices(store: StoreDep, identity: IdentityDep) -> dict[str, Any]:
    return {"devices": store.devices.all(sites=identity.site_scope())}
