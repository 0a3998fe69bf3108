"""Ratings: the newest first for readers, and one posted by a phone system (an integration token)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, BeforeValidator, Field

from collector.access import AnyIdentityDep, Identity, IntegrationDep, StoreDep, app_deps, checked_site, own_employee
from collector.api.errors import documented
from collector.ingest.batch_records import StoredBatch
from collector.ingest.contacts import check_integration_employee, contact_rating, decode_body, place_of, store_contact
from collector.people.employee_names import NameBook
from collector.store import Store
from collector.store.ratings import encode_cursor
from shared.clock import format_time
from shared.contract import MAX_ANSWERS, MAX_COMMENT, MAX_REASONS, NAME_PATTERN, ContractError, Rating

log = logging.getLogger("taqyeem.collector.api")
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


class PostedRating(BaseModel):
    """The body of ``POST /api/v1/ratings`` (for the OpenAPI document: the contract's rules check it)."""

    v: Literal[1]
    id: str = Field(description="a lowercase UUID made by the phone system: the idempotency key")
    site_id: str = Field(pattern=NAME_PATTERN, description="the site the call was for: one of the token's")
    desk_id: str | None = Field(None, pattern=NAME_PATTERN)
    employee_id: str | None = Field(None, min_length=1, max_length=64)
    score: int = Field(ge=1, le=5)
    reasons: list[str] = Field([], max_length=MAX_REASONS)
    visit_id: str | None = Field(None, min_length=1, max_length=64)
    lang: str = "ar"
    created_at: str = Field(description="RFC 3339 in UTC, e.g. 2026-11-28T09:15:02.123Z")
    channel: Literal["call", "desk"] = "call"
    answers: dict[str, str | int] = Field({}, max_length=MAX_ANSWERS)
    comment: str | None = Field(None, max_length=MAX_COMMENT)


@router.post(
    "/ratings",
    summary="One rating from a phone system (integration token): 201 stored, 200 stored before",
    status_code=201,
    response_model=dict[str, Any],
    responses={
        200: {
            "description": "That id was stored before: a duplicate with the stored rating, or a conflict "
            "(kept as a dead letter) with only the names of the fields that differ"
        }
    },
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": PostedRating.model_json_schema()}}}
    },
)
async def post_rating(request: Request, store: StoreDep, identity: IntegrationDep) -> JSONResponse:
    raw = await request.body()
    return await run_in_threadpool(_take_rating, request, store, identity, raw)


def _take_rating(request: Request, store: Store, identity: Identity, raw: bytes) -> JSONResponse:
    """Checked as an MQTT rating is, stored by ``collector.ingest.contacts``, announced to the alert path."""
    try:
        data = decode_body(raw)
        site_id, desk_id = place_of(data)
    except ContractError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    if site_id not in (identity.site_scope() or []):
        raise HTTPException(403, detail=f"this token posts ratings only for the sites {', '.join(identity.sites)}")
    try:
        rating = contact_rating(data, identity.name)
        check_integration_employee(store, rating.employee_id, identity.site_scope() or [])
    except ContractError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    stored = store_contact(store, rating, site_id, desk_id, raw, format_time(datetime.now(UTC)))
    if rating.id in stored.refused:  # kept as a dead letter with its reason, like a refused MQTT rating
        raise HTTPException(422, detail=stored.refused[rating.id])
    _announce(request, stored)
    row = NameBook(store).named_all(store.ratings.by_ids([rating.id]))[0]
    new = rating.id in stored.new_rating_ids
    if rating.id in stored.conflict_ids or row["site_id"] not in (identity.site_scope() or []):
        # Only the fact and the field names: the stored copy may be another site's, comment and all.
        body = {"id": rating.id, "stored": False, "conflict": True, "differs": conflict_fields(store, rating, row)}
        return JSONResponse(body, status_code=200)
    body = {"id": rating.id, "stored": new, "conflict": False, "rating": row}
    return JSONResponse(body, status_code=201 if new else 200)


def conflict_fields(store: Store, rating: Rating, row: dict[str, Any]) -> list[str]:
    """The field names a conflict answer gives.

    The token's own earlier copy: every field that differs. A copy from any other
    source: ``device_id`` alone (another source's), whatever else differs; naming
    its other fields would let a caller check guesses of its score or employee
    one post at a time. A same-content copy of a site outside the token's: ``site_id``.
    """
    if row["device_id"] != rating.device_id:
        return ["device_id"]
    return store.ratings.differing_fields(rating.model_copy(update={"seq": row["seq"]})) or ["site_id"]


def _announce(request: Request, stored: StoredBatch) -> None:
    """The alert path of a batch from ingest (the service wires it: ``collector.ingest.subscriber.Ingest.announce``)."""
    announce = app_deps(request).announce
    if announce is None or not stored.new_rating_ids:
        return
    try:
        announce(stored)
    except Exception:  # stored already: the answer is still 201
        log.exception("announcing rating %s posted to the API failed", stored.new_rating_ids[0])
