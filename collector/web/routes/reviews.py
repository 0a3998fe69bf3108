"""The review pages: the queue of negative ratings, one review, and its two forms (close, employee response).

The rules are collector.reviews.workflow's; a refusal shows the form again with
its message, except "no review in your sites", which the app answers with 404.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from collector.access import Identity, StoreDep, check_csrf, check_day, checked_site, refusal_status
from collector.people.employee_names import NameBook
from collector.reports.maths import hijri
from collector.reviews.hearing import outside_control
from collector.reviews.ownership import assign, mine_first, possible_owners, with_ownership
from collector.reviews.rules import CAUSES, ReviewError, attributable_default, queue_order
from collector.reviews.workflow import ReviewClosed, close, record_callback, respond, review_in_scope
from collector.store import Store
from collector.web.places import SiteQuery, desk_names, visible_sites
from collector.web.query_values import DayQuery
from collector.web.render import PageIdentity, allow, calendar_of, page_lang, render

router = APIRouter(include_in_schema=False)


@router.get("/reviews")
def review_queue(
    request: Request,
    store: StoreDep,
    identity: PageIdentity,
    status: Literal["open", "closed", "all"] = "open",
    date: DayQuery = None,
    site_id: SiteQuery = None,
) -> Response:
    allow(identity, "admin", "supervisor")
    site_id = checked_site(identity, site_id)
    calendar = calendar_of(request)
    sites = [site_id] if site_id else identity.site_scope()
    items = store.reviews.all(status=None if status == "all" else status, sites=sites)
    if date is not None:
        check_day(date)
        since, until = calendar.day_bounds(date)
        items = [i for i in items if since <= i["rating"]["created_at"] < until]
    today_since, _ = calendar.day_bounds(calendar.today())
    # 1.2: each with its owner and deadline; the reader's own first (collector.reviews.ownership)
    items = mine_first(with_ownership(store, queue_order(items, today_since)[:500]), identity.name)
    lang = page_lang(request, identity)
    return render(
        request,
        "reviews.html",
        identity,
        items=items,
        away=identity.name.lower() in {name.lower() for name in store.review_owners.away()},
        status=status,
        date=date,
        hijri_day=hijri(date, lang) if date else "",
        site_id=site_id,
        sites=visible_sites(store, identity),
        today_since=today_since,
        desks=desk_names(store, identity, lang),
        names=NameBook(store).load(i["rating"]["employee_id"] for i in items),
    )


def review_page_with(
    request: Request,
    store: Store,
    identity: Identity,
    rating_id: str,
    error: str | None = None,
    status_code: int = 200,
    form: dict[str, str] | None = None,
) -> Response:
    item = with_ownership(store, [review_in_scope(store, identity, rating_id)])[0]
    lang = page_lang(request, identity)
    site_causes = outside_control(store.hearings.causes_outside_control(item["rating"]["site_id"]))
    return render(
        request,
        "review.html",
        identity,
        status_code=status_code,
        item=item,
        error=error,
        form=form or {},
        desks=desk_names(store, identity, lang),
        attributable_defaults={code: "yes" if attributable_default(code, site_causes) else "no" for code in CAUSES},
        site_causes=[code for code in CAUSES if code in site_causes],  # shown on the close form
        owners=possible_owners(store, item["rating"]["site_id"]) if item["review"]["status"] == "open" else [],
    )


@router.post("/reviews/away")
def review_away_form(
    store: StoreDep,
    identity: PageIdentity,
    csrf: Annotated[str, Form(max_length=200)] = "",
    away: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """The reader marks themselves away from the review rota ("yes") or back: the rota skips them meanwhile."""
    allow(identity, "admin", "supervisor")
    check_csrf(identity, csrf)
    store.review_owners.set_away(identity.name, away == "yes")
    return RedirectResponse("/reviews", status_code=303)


@router.get("/reviews/{rating_id}")
def review_page(request: Request, store: StoreDep, identity: PageIdentity, rating_id: str) -> Response:
    allow(identity, "admin", "supervisor")
    return review_page_with(request, store, identity, rating_id[:64])


@router.post("/reviews/{rating_id}/close")
def review_close_form(
    request: Request,
    store: StoreDep,
    identity: PageIdentity,
    rating_id: str,
    csrf: Annotated[str, Form(max_length=200)] = "",
    cause: Annotated[str, Form(max_length=64)] = "",
    action: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    attributable: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Close a review; with no ``attributable`` (yes/no) chosen, as without JavaScript, the cause decides."""
    allow(identity, "admin", "supervisor")
    check_csrf(identity, csrf)
    try:
        item = close(store, identity, rating_id[:64], cause, action, note, attributable)
    except (ReviewError, ReviewClosed) as exc:  # no review in scope: the app answers 404
        return review_page_with(
            request,
            store,
            identity,
            rating_id[:64],
            str(exc),
            refusal_status(exc),
            {"cause": cause, "action": action, "note": note, "attributable": attributable},
        )
    saved = "pending" if item["review"].get("pending_closure") else "1"  # a formal warning awaits approval
    return RedirectResponse(f"/reviews/{rating_id[:64]}?saved={saved}", status_code=303)


@router.post("/reviews/{rating_id}/response")
def review_response_form(
    request: Request,
    store: StoreDep,
    identity: PageIdentity,
    rating_id: str,
    csrf: Annotated[str, Form(max_length=200)] = "",
    response: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    allow(identity, "admin", "supervisor")
    check_csrf(identity, csrf)
    try:
        respond(store, identity, rating_id[:64], response)
    except (ReviewError, ReviewClosed) as exc:  # no review in scope: the app answers 404
        return review_page_with(
            request, store, identity, rating_id[:64], str(exc), refusal_status(exc), {"response": response}
        )
    return RedirectResponse(f"/reviews/{rating_id[:64]}?saved=1", status_code=303)


@router.post("/reviews/{rating_id}/callback")
def review_callback_form(
    request: Request,
    store: StoreDep,
    identity: PageIdentity,
    rating_id: str,
    csrf: Annotated[str, Form(max_length=200)] = "",
    outcome: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The outcome of the call to a visitor who asked to be called back (collector/reviews/callbacks.py)."""
    allow(identity, "admin", "supervisor")
    check_csrf(identity, csrf)
    try:
        record_callback(store, identity, rating_id[:64], outcome, note)
    except ReviewError as exc:  # no review in scope: the app answers 404
        form = {"outcome": outcome, "call_note": note}
        return review_page_with(request, store, identity, rating_id[:64], str(exc), refusal_status(exc), form)
    return RedirectResponse(f"/reviews/{rating_id[:64]}?saved=1#callback", status_code=303)


@router.post("/reviews/{rating_id}/assign")
def review_assign_form(
    request: Request,
    store: StoreDep,
    identity: PageIdentity,
    rating_id: str,
    csrf: Annotated[str, Form(max_length=200)] = "",
    owner: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Give the review to another supervisor of its site or an admin (collector.reviews.ownership.assign)."""
    allow(identity, "admin", "supervisor")
    check_csrf(identity, csrf)
    try:
        assign(store, identity, rating_id[:64], owner)
    except (ReviewError, ReviewClosed) as exc:  # no review in scope: the app answers 404
        form = {"owner": owner}
        return review_page_with(request, store, identity, rating_id[:64], str(exc), refusal_status(exc), form)
    return RedirectResponse(f"/reviews/{rating_id[:64]}?saved=1", status_code=303)
