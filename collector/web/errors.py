"""Error pages for browsers: a wrong address (404) or a page not theirs (403) as HTML in the person's language.

A browser (it accepts text/html) asking for anything outside ``/api/`` gets the page,
with the menu and a way back, in the signed-in person's language or the language
cookie, else Arabic. API clients, and every path under ``/api/``, keep the JSON
``{"detail": ...}`` of ``collector/api/errors.py``.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from collector.access import app_deps, session_identity
from collector.store import Store
from collector.web.render import render

PAGES = {403: "forbidden", 404: "not_found"}
API_PREFIXES = ("/api/", "/healthz", "/openapi.json", "/docs", "/events", "/static/", "/fonts/")


def wants_page(request: Request) -> bool:
    """A browser's request for a page: it accepts HTML and the path is not the API's (nor a file's)."""
    if request.url.path.startswith(API_PREFIXES) or request.url.path == "/api":
        return False
    accept = request.headers.get("accept", "").lower()
    return "text/html" in accept and not accept.startswith("application/json")


def error_page(request: Request, store: Store, status_code: int, message_key: str | None = None) -> Response:
    """The message page for ``status_code`` (403 or 404), with the menu of whoever is signed in."""
    identity = session_identity(request, store)  # an employee too: their menu shows the way back
    key = message_key or PAGES[status_code]
    return render(request, "message.html", identity, status_code=status_code, message_key=key)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """Starlette's and the routes' HTTP errors: a page for a browser's 403 or 404, else FastAPI's JSON."""
    if exc.status_code in PAGES and wants_page(request):
        expired = exc.status_code == 403 and "CSRF" in str(exc.detail)  # collector/access.py:check_csrf
        return error_page(request, app_deps(request).store, exc.status_code, "bad_form" if expired else None)
    return await http_exception_handler(request, exc)
