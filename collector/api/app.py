"""The app factory: tests build the app on a throwaway database."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from collector import __version__
from collector.api.routes import devices, health, ratings, rejected, reviews
from collector.store import Store


def create_app(store: Store, ingest: Any = None) -> FastAPI:
    app = FastAPI(
        title="Taqyeem collector",
        version=__version__,
        description="Visitor ratings from desk tablets: ratings, reviews of negatives, devices, dead letters.",
    )
    app.state.store = store
    app.state.ingest = ingest
    for module in (health, ratings, reviews, devices, rejected):
        app.include_router(module.router)
    from collector.web.setup import install_web  # the supervisors' pages, live feed and alerts (issue 4)

    install_web(app, store, ingest)
    return app
