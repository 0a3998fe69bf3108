"""The employee's own pages: My page (figures, ratings, reviews) and one review with their response form.

Only an ``employee`` account opens these (everyone else gets 403); every other page
refuses an employee (collector.web.render.page_identity). What is shown is found by
the signed-in account's own staff number, never one from the request: a colleague's
review answers 404, as one that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from collector.access import Identity, StoreDep, app_deps, check_csrf, refusal_status
from collector.alerts.to_employees import masked_url
from collector.fleet.errors import ConfigPublishError, RegistryError, WeakPinError
from collector.fleet.registry import check_pin, set_employee_pin
from collector.people.employee_names import NameBook
from collector.people.own_figures import DAYS, excluded_causes, own_figures, own_ratings, own_reviews
from collector.reviews.hearing_workflow import ReviewConflict, appeal
from collector.reviews.rules import ReviewError
from collector.reviews.workflow import ReviewClosed, respond, review_in_scope
from collector.store import Store
from collector.web.charts import sparkline
from collector.web.i18n import translate
from collector.web.places import desk_names_in
from collector.web.render import AnyPageIdentity, PageForbidden, allow, calendar_of, page_lang, render
from shared.clock import now_text

router = APIRouter(include_in_schema=False)


def _places(store: Store, rows: list[dict[str, str | None]], lang: str) -> dict[tuple[str | None, str | None], str]:
    """The names of the desks these ratings were made at (an employee's own, at any site)."""
    return desk_names_in(store, sorted({row["site_id"] for row in rows if row["site_id"]}), lang)


@router.get("/me")
def my_page(request: Request, store: StoreDep, identity: AnyPageIdentity) -> Response:
    return _my_page(request, store, identity)


def _my_page(
    request: Request,
    store: Store,
    identity: Identity,
    pin_error: str | None = None,
    status_code: int = 200,
    appeal_error: tuple[str, str, str] | None = None,  # (rating id, the reason, the text given)
) -> Response:
    allow(identity, "employee")
    if identity.employee_id is None:  # never: the users table's CHECK links every employee account to one
        raise PageForbidden()
    calendar = calendar_of(request)
    figures = own_figures(store, calendar, identity.employee_id)
    ratings = own_ratings(store, calendar, identity.employee_id)
    reviews = own_reviews(store, identity.employee_id, now_text())
    excluded, excluded_by = excluded_causes(figures.get("excluded"))
    account = store.accounts.user(name=identity.name) or {}
    lang = page_lang(request, identity)
    return render(
        request,
        "me.html",
        identity,
        status_code=status_code,
        names=NameBook(store).load([identity.employee_id]),
        registered=store.employees.get(identity.employee_id),
        pin_error=pin_error,
        appeal_error=appeal_error,
        appealed=request.query_params.get("appealed") == "1",
        pin_saved=request.query_params.get("pin") == "1",
        figures=figures,
        spark=sparkline(figures["trend"]),
        days=DAYS,
        excluded=excluded,
        excluded_by=excluded_by,
        ratings=ratings,
        reviews=reviews,
        notify=masked_url(account.get("notify_url")),
        desks=_places(store, [*ratings, *(item["rating"] for item in reviews)], lang),
    )


def _my_review(
    request: Request,
    store: Store,
    identity: Identity,
    rating_id: str,
    error: str | None = None,
    status_code: int = 200,
    form: dict[str, str] | None = None,
) -> Response:
    item = review_in_scope(store, identity, rating_id)  # a colleague's: ReviewNotFound, answered 404
    return render(
        request,
        "my_review.html",
        identity,
        status_code=status_code,
        item=item,
        error=error,
        form=form or {},
        desks=_places(store, [item["rating"]], page_lang(request, identity)),
    )


@router.get("/me/reviews/{rating_id}")
def my_review_page(request: Request, store: StoreDep, identity: AnyPageIdentity, rating_id: str) -> Response:
    allow(identity, "employee")
    return _my_review(request, store, identity, rating_id[:64])


@router.post("/me/reviews/{rating_id}/response")
def my_response_form(
    request: Request,
    store: StoreDep,
    identity: AnyPageIdentity,
    rating_id: str,
    csrf: Annotated[str, Form(max_length=200)] = "",
    response: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    allow(identity, "employee")
    check_csrf(identity, csrf)
    try:
        respond(store, identity, rating_id[:64], response)  # recorded as the account, with its staff number
    except (ReviewError, ReviewClosed) as exc:  # not theirs: the app answers 404
        form = {"response": response}
        return _my_review(request, store, identity, rating_id[:64], str(exc), refusal_status(exc), form)
    return RedirectResponse(f"/me/reviews/{rating_id[:64]}?saved=1", status_code=303)


@router.post("/me/reviews/{rating_id}/appeal")
def my_appeal_form(
    request: Request,
    store: StoreDep,
    identity: AnyPageIdentity,
    rating_id: str,
    csrf: Annotated[str, Form(max_length=200)] = "",
    text: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The employee's appeal, sent from My page; a refusal shows My page again with its reason beside the form."""
    allow(identity, "employee")
    check_csrf(identity, csrf)
    try:
        appeal(store, identity, rating_id[:64], text)  # not theirs: ReviewNotFound, answered 404
    except (ReviewError, ReviewClosed) as exc:
        reason = str(exc)
        if isinstance(exc, ReviewConflict) and exc.key:  # a refusal the page words in its language
            reason = translate(f"appeal_refused_{exc.key}", page_lang(request, identity), **exc.values)
        return _my_page(
            request, store, identity, status_code=refusal_status(exc), appeal_error=(rating_id, reason, text)
        )
    return RedirectResponse("/me?appealed=1#my-reviews", status_code=303)


@router.post("/me/pin")
def my_pin_form(
    request: Request,
    store: StoreDep,
    identity: AnyPageIdentity,
    csrf: Annotated[str, Form(max_length=200)] = "",
    pin: Annotated[str, Form(max_length=40)] = "",
    pin_again: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """The employee's own desk PIN: hashed here, sent to the tablets of their site, never kept in clear."""
    allow(identity, "employee")
    check_csrf(identity, csrf)
    employee_id = identity.employee_id
    if employee_id is None:
        raise PageForbidden()
    lang = page_lang(request, identity)
    if pin != pin_again:
        return _my_page(request, store, identity, translate("pin_mismatch", lang), 422)
    try:
        check_pin(pin)
    except WeakPinError as exc:  # PROTOCOL 1.2's rule, worded in the page's language
        return _my_page(request, store, identity, translate(f"pin_{exc.weakness}", lang), 422)
    publisher = app_deps(request).config_publisher
    try:
        set_employee_pin(store, employee_id, pin, actor=identity.name, now=now_text(), publisher=publisher)
    except RegistryError as exc:  # the PIN is fine (checked above): the staff number is not in the registry
        why = str(exc) if lang == "en" else translate("pin_not_registered", lang)
        return _my_page(request, store, identity, why, 422)
    except ConfigPublishError:
        return _my_page(request, store, identity, translate("pin_no_broker", lang), 503)
    return RedirectResponse("/me?pin=1#my-account", status_code=303)
