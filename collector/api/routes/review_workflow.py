"""Closing a review and adding the employee's response (docs/protocol.md: POST /api/v1/reviews/{rating_id}).

The refusals of collector.reviews.workflow answer through the app's handler (collector.app).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from collector.access import AnyIdentityDep, IdentityDep, StoreDep, check_csrf, require, require_or_own
from collector.api.errors import documented
from collector.reviews.callbacks import MAX_NOTE as MAX_CALL_NOTE
from collector.reviews.callbacks import OUTCOMES
from collector.reviews.hearing_workflow import with_hearing
from collector.reviews.ownership import assign, with_ownership
from collector.reviews.rules import ACTIONS, CAUSES, MAX_NOTE, MAX_RESPONSE
from collector.reviews.workflow import close, record_callback, respond, review_in_scope

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
    attributable: StrictBool | None = Field(
        default=None,
        description=(
            "whether the rating counts against the employee; false keeps it in the desk's, section's and "
            "site's figures but out of the employee's. Left out: from the cause (no for system_outage, "
            "procedure_policy, visitor_misunderstanding; yes otherwise)"
        ),
    )


class CallOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(description="how the call went", json_schema_extra={"enum": list(OUTCOMES)})
    note: str | None = Field(default=None, max_length=MAX_CALL_NOTE, description="what was said")


class Assignment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    owner: str = Field(min_length=1, max_length=64, description="a supervisor of the site, or an admin")


class EmployeeResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    response: str = Field(max_length=MAX_RESPONSE)


@router.get(
    "/reviews/{rating_id}",
    summary="One review with its rating and its append-only history (an employee: only their own)",
    dependencies=[require_or_own("admin", "supervisor")],
)
def get_review(store: StoreDep, identity: AnyIdentityDep, rating_id: RatingId) -> dict[str, Any]:
    return with_hearing(with_ownership(store, [review_in_scope(store, identity, rating_id)])[0])


@router.post(
    "/reviews/{rating_id}",
    summary=(
        "Close a review: cause, action, note and whether it is attributable; records who and when. "
        "A formal_warning answers 202 pending_approval: another supervisor or an admin approves it"
    ),
    dependencies=[require("admin", "supervisor")],
    responses={**documented(400, 409), 202: {"description": '{"status": "pending_approval"} and the review'}},
)
def close_review(
    store: StoreDep, identity: IdentityDep, rating_id: RatingId, body: CloseReview, x_csrf_token: CsrfHeader = None
) -> Any:
    check_csrf(identity, x_csrf_token)
    item = with_hearing(close(store, identity, rating_id, body.cause, body.action, body.note, body.attributable))
    if item["pending_approval"] is not None:
        return JSONResponse(jsonable_encoder({"status": "pending_approval", **item}), status_code=202)
    return item


@router.post(
    "/reviews/{rating_id}/response",
    summary="Add the employee's response to a review (kept in history; an employee: to their own, as themselves)",
    dependencies=[require_or_own("admin", "supervisor")],
    responses=documented(400),
)
def add_response(
    store: StoreDep,
    identity: AnyIdentityDep,
    rating_id: RatingId,
    body: EmployeeResponse,
    x_csrf_token: CsrfHeader = None,
) -> dict[str, Any]:
    check_csrf(identity, x_csrf_token)
    return with_hearing(respond(store, identity, rating_id, body.response))


@router.post(
    "/reviews/{rating_id}/callback",
    summary="Record the call to a visitor who asked to be called back: reached, no_answer or declined",
    dependencies=[require("admin", "supervisor")],
    responses=documented(400),
)
def callback_outcome(
    store: StoreDep, identity: IdentityDep, rating_id: RatingId, body: CallOutcome, x_csrf_token: CsrfHeader = None
) -> dict[str, Any]:
    check_csrf(identity, x_csrf_token)
    return with_hearing(record_callback(store, identity, rating_id, body.outcome, body.note))


@router.post(
    "/reviews/{rating_id}/assign",
    summary="Give an open review to another owner: a supervisor of its site, or an admin (1.2)",
    dependencies=[require("admin", "supervisor")],
    responses=documented(400, 409),
)
def assign_review(
    store: StoreDep, identity: IdentityDep, rating_id: RatingId, body: Assignment, x_csrf_token: CsrfHeader = None
) -> dict[str, Any]:
    """200 with the review; 422 when that user may not review the site; 409 when the review is closed."""
    check_csrf(identity, x_csrf_token)
    return with_hearing(with_ownership(store, [assign(store, identity, rating_id, body.owner)])[0])
