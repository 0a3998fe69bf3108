from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse
from pydantic import BeforeValidator

from collector.access import AnyIdentityDep, StoreDep, checked_site, own_employee
from collector.api.errors import documented
from collector.employees import NameBook
from collector.store import Store
from collector.store.ratings import encode_cursor
from shared.clock import format_time
from shared.contract import NAME_PATTERN

router = APIRouter(prefix="/api/v1", tags=["ratings"], responses=documented(401, 403, 422))

NameFilter = Annotated[str | None, Query(pattern=NAME_PATTERN)]


def _not_a_number(value: Any) -> Any:
    """Refuse a bare number: pydantic would read it as Unix time, so 20261128 would mean 1970-08-23."""
    try:
        float(value)
    except (TypeError, ValueError):
        return value
    raise ValueError("give an ISO 8601 time such as 2026-11-28T09:00:00Z, or a date such as 2026-11-28")


TimeBound = Annotated[
    datetime | None,
    BeforeValidator(_not_a_number),
    Query(description="ISO 8601 time, or a date (its midnight); a time without a zone is read as UTC"),
]


def time_bound(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # a date or a time without zone is read as UTC
        value = value.replace(tzinfo=UTC)
    try:
        return format_time(value)
    except OverflowError:
        raise HTTPException(422, detail="since/until is out of range once moved to UTC; use years 0001..9999") from None


@router.get(
    "/ratings",
    summary="Ratings, newest first, paginated with an opaque cursor (an employee: only their own)",
    response_model=dict[str, Any],  # what the streamed body holds: {"ratings": [...], "next_cursor": ...}
)
def list_ratings(
    store: StoreDep,
    identity: AnyIdentityDep,
    since: TimeBound = None,
    until: TimeBound = None,
    site_id: NameFilter = None,
    desk_id: NameFilter = None,
    device_id: NameFilter = None,
    employee_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    negative: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 100,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> StreamingResponse:
    employee_id = own_employee(identity, employee_id)  # an employee's own, at whichever site they served
    own = identity.role == "employee"
    site_id = site_id if own else checked_site(identity, site_id)
    try:
        batches = store.ratings.page_batches(
            since=time_bound(since),
            until=time_bound(until),
            site_id=site_id,
            desk_id=desk_id,
            device_id=device_id,
            employee_id=employee_id,
            negative=negative,
            sites=None if own else identity.site_scope(),
            limit=limit,
            cursor=cursor,
        )
    except ValueError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    # Written as it is read: a page of 100,000 ratings held whole took about 120 MB per request.
    return StreamingResponse(page_json(named_batches(store, batches), limit), media_type="application/json")


def named_batches(store: Store, batches: Iterator[list[dict[str, Any]]]) -> Iterator[list[dict[str, Any]]]:
    """Each rating with ``employee_name_ar``/``_en`` (None when unknown): one query per batch of new ids."""
    names = NameBook(store)
    for batch in batches:
        yield names.named_all(batch)


def _json(value: Any) -> str:
    """As FastAPI's JSONResponse writes it, so a streamed page is byte for byte what a held one was."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def page_json(batches: Iterator[list[dict[str, Any]]], limit: int) -> Iterator[bytes]:
    """``{"ratings":[...],"next_cursor":...}`` from batches of up to ``limit`` + 1 rows.

    The extra row, if any, is not sent: it says a next page exists, whose cursor is
    the last sent row's.
    """
    yield b'{"ratings":['
    sent, last, more = 0, None, False
    for batch in batches:
        if sent + len(batch) > limit:
            batch, more = batch[: limit - sent], True
        if batch:
            yield ((b"," if sent else b"") + ",".join(_json(row) for row in batch).encode())
            sent, last = sent + len(batch), batch[-1]
        if more:
            break
    next_cursor = encode_cursor(last["created_at"], last["id"]) if more and last is not None else None
    yield b'],"next_cursor":' + _json(next_cursor).encode() + b"}"
