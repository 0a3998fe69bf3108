"""The app factory: the JSON API and the supervisors' pages on one FastAPI app.

Tests build the app on a throwaway database. The service (collector.service)
hands in what it wired: the settings, the live feed its alert dispatcher feeds,
and the ingest whose state /healthz reports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from collector import __version__
from collector.access import refusal_status, session_csrf
from collector.alerts.to_admins import AdminAlerts
from collector.api.docs import install_docs
from collector.api.errors import invalid_input
from collector.api.routes import (
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
    review_workflow,
    reviews,
    visits,
)
from collector.guards.body_limits import BodyLimit
from collector.guards.write_guard import WriteGuard, database_trouble
from collector.ingest.batch_records import StoredBatch
from collector.reports.maths import Calendar
from collector.reviews.workflow import REFUSALS
from collector.settings import CollectorSettings, RetentionSettings
from collector.store import Store, StoreError
from collector.web.errors import PAGES, error_page, wants_page
from collector.web.live_feed import LiveFeed
from collector.web.setup import install_web
from shared.clock import format_time

log = logging.getLogger("taqyeem.collector.app")


def create_app(
    store: Store,
    *,
    settings: CollectorSettings | None = None,
    live_feed: LiveFeed | None = None,
    ingest: Any = None,
    announce: Callable[[StoredBatch], None] | None = None,
) -> FastAPI:
    """``live_feed``: where the pages' live events come from; without one, the pages get no live events.

    ``announce``: what hears of a rating stored through the API (``POST /api/v1/ratings``), as
    ingest's own batches are heard: the service passes ``collector.ingest.subscriber.Ingest.announce``
    (the MQTT Alert, then the alert dispatcher). Without one, such ratings raise no alerts.
    """
    app = FastAPI(
        title="Taqyeem collector",
        version=__version__,
        description="Visitor ratings from desk tablets: ratings, reviews of negatives, devices, dead letters.",
        docs_url=None,  # served by install_docs from local files: the intranet reaches no CDN
        redoc_url=None,
        dependencies=[Depends(session_csrf)],  # every unsafe request a session cookie signs carries its token
    )
    app.state.store = store
    app.state.ingest = ingest
    app.state.settings = settings  # rating links read public_url, link_hours and the sites' SMS channels
    app.state.announce = announce
    app.state.admin_alerts = AdminAlerts.from_settings(settings)  # a user name under sign-in attack
    app.state.retention = (settings.retention if settings else RetentionSettings()).comments_days  # for /healthz
    # The centres' local day and opening hours: the API's reports and the pages both read it.
    app.state.calendar = Calendar.from_settings(
        *(() if settings is None else (settings.timezone, settings.open_hours, settings.open_weekdays))
    )
    visits.prepare_sms(settings)
    _purge_phones(store)
    routes = (
        health,
        ratings,
        reviews,
        devices,
        presence,
        rejected,
        review_workflow,
        reports,
        period_files,
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
    app.add_middleware(WriteGuard, store=store, ingest=ingest)  # no write answered as kept once the file is gone
    app.add_middleware(BodyLimit)  # outermost of the two: an oversized body is refused before anything else
    install_docs(app)
    install_web(app, store, live_feed or LiveFeed())
    return app


def _purge_phones(store: Store) -> None:
    """At start, the phone numbers of rating links used or expired while stopped (then at each request)."""
    try:
        store.visits.purge_phones(format_time(datetime.now(UTC)))
    except StoreError as exc:  # a database that cannot be written now: the next request purges
        log.warning("phone numbers of used or expired rating links not purged at start: %s", exc)
