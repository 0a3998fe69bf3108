from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from collector.access import StoreDep, require
from collector.api.errors import documented

router = APIRouter(prefix="/api/v1", tags=["rejected"], responses=documented(401, 403, 422))


@router.get("/rejected", summary="Dead letters: topic, raw payload, reason, time", dependencies=[require("admin")])
def list_rejected(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    before_id: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    return {
        "rejected": store.ratings.dead_letters(limit=limit, before_id=before_id),
        "total": store.ratings.count_dead_letters(),
    }
