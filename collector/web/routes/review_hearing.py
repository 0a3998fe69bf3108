"""The review page's hearing controls: approving a proposed formal warning, deciding the employee's appeal.

The rules are collector.reviews.hearing's (applied by collector.reviews.hearing_workflow); a
refusal shows the review page again with its reason and status code, as the close form does.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from collector.access import StoreDep, check_csrf, refusal_status
from collector.reviews.hearing_workflow import approve, decide, upheld_from
from collector.reviews.rules import ReviewError
from collector.reviews.workflow import ReviewClosed, ReviewRefused
from collector.web.render import PageIdentity, allow
from collector.web.routes.reviews import review_page_with

router = APIRouter(include_in_schema=False)


@router.post("/reviews/{rating_id}/approve")
def review_approve_form(
    request: Request,
    store: StoreDep,
    identity: PageIdentity,
    rating_id: str,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    allow(identity, "admin", "supervisor")
    check_csrf(identity, csrf)
    try:
        approve(store, identity, rating_id[:64])
    except (ReviewClosed, ReviewRefused) as exc:  # no review in scope: the app answers 404
        return review_page_with(request, store, identity, rating_id[:64], str(exc), refusal_status(exc))
    return RedirectResponse(f"/reviews/{rating_id[:64]}?saved=1", status_code=303)


@router.post("/reviews/{rating_id}/appeal/decision")
def review_decision_form(
    request: Request,
    store: StoreDep,
    identity: PageIdentity,
    rating_id: str,
    csrf: Annotated[str, Form(max_length=200)] = "",
    upheld: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    allow(identity, "admin", "supervisor")
    check_csrf(identity, csrf)
    try:
        decide(store, identity, rating_id[:64], upheld_from(upheld), note)
    except (ReviewError, ReviewClosed, ReviewRefused) as exc:  # no review in scope: the app answers 404
        form = {"upheld": upheld, "decision_note": note}
        return review_page_with(request, store, identity, rating_id[:64], str(exc), refusal_status(exc), form)
    return RedirectResponse(f"/reviews/{rating_id[:64]}?saved=1#appeal", status_code=303)
