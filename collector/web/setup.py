"""Install the supervisors' side into the FastAPI app: pages, their live feed, static files, security headers.

The live feed is the app's dependencies record's (collector/app_deps.py:AppDeps.live_feed);
the service feeds it from the alert dispatcher. Nothing here subscribes to ingest or sends alerts.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from collector.store import Store
from collector.web.errors import error_page, http_error
from collector.web.render import WEB_DIR, PageForbidden, SignInRequired
from collector.web.routes import causes, link, me, pages, period, presence, review_hearing, reviews, session, users

log = logging.getLogger("taqyeem.collector.web")

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def arabic_font() -> Path | None:
    """Noto Sans Arabic from the fontpkg package, else a Debian font with Arabic."""
    try:
        from fontpkg_noto_sans_arabic import ROOT

        found = sorted((ROOT / "files").glob("NotoSansArabic*.ttf"))
        if found:
            return found[0]
    except ImportError:
        pass
    for candidate in (
        "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ):
        if Path(candidate).exists():
            return Path(candidate)
    return None


class SecurityHeaders:
    """Pure ASGI middleware (it leaves streamed responses such as the live feed alone)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_web(app: FastAPI, store: Store) -> None:
    """The pages' routes, static files, font and error pages (what they read is ``app.state.deps``)."""
    for module in (session, pages, period, causes, reviews, review_hearing, presence, users, me, link):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    font = arabic_font()

    @app.get("/fonts/arabic.ttf", include_in_schema=False)
    def arabic_font_file() -> Response:
        if font is None:
            return Response(status_code=404)
        return FileResponse(font, media_type="font/ttf", headers={"Cache-Control": "max-age=86400"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """For clients that ask without reading the pages' <link rel="icon"> (an SVG, which browsers accept)."""
        return FileResponse(
            WEB_DIR / "static" / "favicon.svg", media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
        )

    @app.exception_handler(SignInRequired)
    async def to_sign_in(_request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_path, safe='')}", status_code=303)

    @app.exception_handler(PageForbidden)
    async def forbidden_page(request: Request, _exc: PageForbidden) -> Response:
        return error_page(request, store, 403)

    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]  # browsers: 403/404 pages

    app.add_middleware(SecurityHeaders)
