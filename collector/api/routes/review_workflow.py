"""Closing a review and adding the employee's response (PROTOCOL.md: POST /api/v1/reviews/{rating_id})."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Path
from pydantic import BaseModel, ConfigDict, Field

from collector.api.deps import Identity, IdentityDep, StoreDep, require
from collector.api.errors import documented
from collector.reviews import ACTIONS, CAUSES, MAX_NOTE, MAX_RESPONSE, ReviewError, closure_from, response_from
from collector.store import Store
from collector.web.render import check_csrf
from shared.clock import format_time

router = APIRouter(prefix="/api/v1", tags=["reviews"], responses=documented(401, 403, 404, 422))

RatingId = Annotated[
    str,
    Path(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="the negative rating's id",
    ),
]
CsrfHeader = Annotated[str | None, Header(alias="X-CSRF-Token", description="needed only with a browser session")]


class CloseReview(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # The enums only document the codes: closure_from checks them, with a detail that lists them.
    cause: str = Field(description="why the visitor was unhappy", json_schema_extra={"enum": list(CAUSES)})
    action: str = Field(description="what was done about it", json_schema_extra={"enum": list(ACTIONS)})
    note: str = Field(max_length=MAX_NOTE, description="what was found and done (for no_action: why)")


class EmployeeResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    response: str = Field(max_length=MAX_RESPONSE)


def review_in_scope(store: Store, identity: Identity, rating_id: str) -> dict[str, Any]:
    """The review, or 404 when there is none in the caller's sites (no hint that it exists elsewhere)."""
    item = store.reviews.get(rating_id)
    scope = identity.site_scope()
    if item is None or (scope is not None and item["rating"]["site_id"] not in scope):
        raise HTTPException(404, detail="no review for that rating in your sites")
    return item


def close(store: Store, identity: Identity, rating_id: str, cause: Any, action: Any, note: Any) -> dict[str, Any]:
    """Shared by the API and the review page; raises HTTPException a person can act on."""
    item = review_in_scope(store, identity, rating_id)
    try:
        closure = closure_from(cause, action, note)
    except ReviewError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    if item["review"]["status"] != "open" or not store.reviews.close(
        rating_id, identity.name, closure.as_dict(), format_time(datetime.now(UTC))
    ):
        raise HTTPException(409, detail="this review is already closed; add to it with an employee response")
    return review_in_scope(store, identity, rating_id)


def respond(store: Store, identity: Identity, rating_id: str, text: Any) -> dict[str, Any]:
    review_in_scope(store, identity, rating_id)
    try:
        response = response_from(text)
    except ReviewError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    store.reviews.respond(rating_id, identity.name, response, format_time(datetime.now(UTC)))
    return review_in_scope(store, identity, rating_id)


@router.get(
    "/reviews/{rating_id}",
    summary="One review with its rating and its append-only history",
    dependencies=[require("admin", "supervisor")],
)
def get_review(store: StoreDep, identity: IdentityDep, rating_id: RatingId) -> dict[str, Any]:
    return review_in_scope(store, identity, rating_id)


@router.post(
    "/reviews/{rating_id}",
    summary="Close a review: cause, action and note; records who and when",
    dependencies=[require("admin", "supervisor")],
    responses=documented(400, 409),
)
def close_review(
    store: StoreDep, identity: IdentityDep, rating_id: RatingId, body: CloseReview, x_csrf_token: CsrfHeader = None
) -> dict[str, Any]:
    check_csrf(identity, x_csrf_token)
    return close(store, identity, rating_id, body.cause, body.action, body.note)


@router.post(
    "/reviews/{rating_id}/response",
    summary="Add the employee's response to a review (kept in history)",
    dependencies=[require("admin", "supervisor")],
    responses=documented(400),
)
def add_response(
    store: StoreDep, identity: IdentityDep, rating_id: RatingId, body: EmployeeResponse, x_csrf_token: CsrfHeader = None
) -> dict[str, Any]:
    check_csrf(identity, x_csrf_token)
    return respond(store, identity, rating_id, body.response)
