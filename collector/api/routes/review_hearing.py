"""A fair hearing over the API (PROTOCOL 1.2): approving a formal warning, the employee's appeal, its decision.

The rules are collector.reviews.hearing's; the refusals of collector.reviews.hearing_workflow
answer through the app's handler (403 the wrong person, 409 the wrong moment, each with its reason).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from collector.access import AnyIdentityDep, IdentityDep, StoreDep, check_csrf, require, require_or_own
from collector.api.errors import documented
from collector.api.routes.review_workflow import CsrfHeader, RatingId
from collector.reviews.hearing import MAX_APPEAL
from collector.reviews.hearing_workflow import appeal, approve, decide, with_hearing

router = APIRouter(prefix="/api/v1", tags=["reviews"], responses=documented(400, 401, 403, 404, 409, 422))


class Appeal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=MAX_APPEAL, description="why the review should not hold the employee to account")


class AppealDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    upheld: StrictBool = Field(
        description="true: the rating becomes not attributable and leaves the employee's figures"
    )
    note: str = Field(max_length=MAX_APPEAL, description="why the appeal is upheld or dismissed")


@router.post(
    "/reviews/{rating_id}/approve",
    summary="Approve the formal warning another supervisor proposed: the review closes (its proposer gets 403)",
    dependencies=[require("admin", "supervisor")],
)
def approve_review(
    store: StoreDep, identity: IdentityDep, rating_id: RatingId, x_csrf_token: CsrfHeader = None
) -> dict[str, Any]:
    check_csrf(identity, x_csrf_token)
    return with_hearing(approve(store, identity, rating_id))


@router.post(
    "/reviews/{rating_id}/appeal",
    status_code=201,
    summary="The employee's appeal of a closed review holding them to account: once, within 7 days of its closing",
    dependencies=[require_or_own("admin", "supervisor")],  # staff reach the rule that only the employee appeals
)
def appeal_review(
    store: StoreDep, identity: AnyIdentityDep, rating_id: RatingId, body: Appeal, x_csrf_token: CsrfHeader = None
) -> dict[str, Any]:
    check_csrf(identity, x_csrf_token)
    return with_hearing(appeal(store, identity, rating_id, body.text))


@router.post(
    "/reviews/{rating_id}/appeal/decision",
    summary="Decide an appeal (a supervisor or admin other than the closer); upheld: not attributable",
    dependencies=[require("admin", "supervisor")],
)
def decide_appeal(
    store: StoreDep,
    identity: IdentityDep,
    rating_id: RatingId,
    body: AppealDecision,
    x_csrf_token: CsrfHeader = None,
) -> dict[str, Any]:
    check_csrf(identity, x_csrf_token)
    return with_hearing(decide(store, identity, rating_id, body.upheld, body.note))
