"""The app factory: the JSON API and the supervisors' pages on one FastAPI app.

``create_app`` takes one record, collector/app_deps.py:AppDeps. Tests build it on a
throwaway database (``AppDeps(store)``); the service (collector.service) hands in what
it wired: the settings, the live feed its alert dispatcher feeds, the ingest whose
state /healthz reports, and how a rating posted to the API is announced.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from collector import __version__
from collector.access import refusal_status, session_csrf
from collector.api.docs import install_docs
from collector.api.errors import invalid_input
from collector.api.routes import (
    causes,
    comment_themes,
    devices,
    employees,
    enrol,
    health,
    period_files,
    presence,
    ratings,
    rejected,
    releases,
    reports,
    review_hearing,
    review_workflow,
    reviews,
    visits,
)
from collector.app_deps import AppDeps
from collector.guards.body_limits import BodyLimit
from collector.guards.write_guard import WriteGuard, database_trouble
from collector.reviews.workflow import REFUSALS
from collector.store import Store, StoreError
from collector.visits.sms import prepare_sms
from collector.web.errors import PAGES, error_page, wants_page
from collector.web.setup import install_web
from shared.clock import format_time

log = logging.getLogger("taqyeem.collector.app")


def create_app(deps: AppDeps) -> FastAPI:
    """The app over ``deps`` (collector/app_deps.py), kept on ``app.state.deps`` for every route to read.

    Building it only forgets the phone numbers of rating links used or expired while the
    collector was stopped, and loads apprise when a site sends SMS; importing this module does nothing.
    """
    app = FastAPI(
        title="Taqyeem collector",
        version=__version__,
        description="Visitor ratings from desk tablets: ratings, reviews of negatives, devices, dead letters.",
        docs_url=None,  # served by install_docs from local files: the intranet reaches no CDN
        redoc_url=None,
        dependencies=[Depends(session_csrf)],  # every unsafe request a session cookie signs carries its token
    )
    app.state.deps = deps
    store = deps.store
    prepare_sms(deps.settings)
    _purge_phones(store)
    routes = (
        health,
        ratings,
        reviews,
        devices,
        presence,
        rejected,
        review_workflow,
        review_hearing,
        reports,
        period_files,
        causes,
        comment_themes,
        employees,
        visits,
        releases,
        enrol,
    )
    for module in routes:
        app.include_router(module.router)

    async def refused(request: Request, exc: Exception) -> Response:
        status_code = refusal_status(exc)
        if status_code in PAGES and wants_page(request):  # a browser on a review page: 403/404 as a page
            return error_page(request, store, status_code)
        return JSONResponse({"detail": str(exc)}, status_code=status_code)

    for refusal in REFUSALS:
        app.add_exception_handler(refusal, refused)
    app.add_exception_handler(StoreError, database_trouble)  # a write the database refused: 503, not 500
    app.add_exception_handler(RequestValidationError, invalid_input)  # a body's NaN echoed back: 422, not 500
    app.add_middleware(WriteGuard, store=store, ingest=deps.ingest)  # no write answered as kept once the file is gone
    app.add_middleware(BodyLimit)  # outermost of the two: an oversized body is refused before anything else
    install_docs(app)
    install_web(app, store)
    return app


def _purge_phones(store: Store) -> None:
    """At start, the phone numbers of rating links used or expired while stopped (then at each request)."""
    try:
        store.visits.purge_phones(format_time(datetime.now(UTC)))
    except StoreError as exc:  # a database that cannot be written now: the next request purges
        log.warning("phone numbers of used or expired rating links not purged at start: %s", exc)
