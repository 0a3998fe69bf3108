"""Writes over HTTP are answered only when kept, as the MQTT path acks only what it kept.

Ingest checks the database file before each batch and again after its commit
(collector/ingest/subscriber.py:Ingest._commit_and_ack): a file deleted, moved or replaced
while in use is never acked for. ``WriteGuard`` does the same for every POST,
PUT, PATCH and DELETE of the web app (ratings, visits, the rating link page,
reviews, employees, enrolment, accounts, sign-in): one ``os.stat`` before the
route runs, and one more when its answer starts, so a write that landed in a
file no longer at its path answers 503 instead of 201. It also answers 503 once
ingest has stopped for good (collector/ingest/write_health.py). ``unavailable`` is the
answer, also for a route whose own write fails for the database's reasons
(``StoreError``: locked, full, read-only), which would otherwise be a 500.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from collector.guards.refusals import refusal
from collector.ingest.write_health import STOPPED
from collector.store import DatabaseGone, Store

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def unavailable(cause: str, scope: dict[str, Any] | None = None) -> Response:
    """503 saying nothing was kept, in Arabic then English; never a word that the request was saved."""
    ar = "لم يُحفظ شيء: قاعدة بيانات المُجمِّع غير متاحة الآن؛ حاول لاحقًا، وأبلغ قسم تقنية المعلومات"
    en = f"Nothing was kept: {cause}. Try again later; IT: docs/deployment.md, 'When the collector refuses'"
    headers = {"Retry-After": "60", "Cache-Control": "no-store"}
    return refusal(scope or {"path": "/api/", "headers": []}, 503, ar, en, headers)


async def database_trouble(request: Request, exc: Exception) -> Response:
    """The app's handler of ``StoreError``: a write the database refused is 503, never a 500."""
    return unavailable(str(exc), dict(request.scope))


class WriteGuard:
    """Pure ASGI middleware: ``store`` is the app's, ``ingest`` the service's (or None, or a stand-in)."""

    def __init__(self, app: Any, store: Store, ingest: Any = None) -> None:
        self.app, self.store, self.ingest = app, store, ingest

    def trouble(self) -> str | None:
        """Why a write cannot be kept now, or None."""
        try:
            self.store.check_file()
        except DatabaseGone as exc:
            return str(exc)
        health = getattr(self.ingest, "health", None)
        state = health.now() if health is not None else None
        if state is not None and state.state == STOPPED:
            return state.cause or "the collector stopped taking writes"
        return None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        cause = self.trouble()
        if cause is not None:
            await unavailable(cause, scope)(scope, receive, send)
            return
        replaced = False

        async def send_if_kept(message: dict[str, Any]) -> None:
            nonlocal replaced
            if replaced:  # the route's own answer is dropped: 503 went out instead
                return
            if message["type"] == "http.response.start":
                late = self.trouble()  # committed to the file still at the path, or not answered as kept
                if late is not None:
                    replaced = True
                    await unavailable(late, scope)(scope, receive, send)
                    return
            await send(message)

        await self.app(scope, receive, send_if_kept)
