"""Every request body has a limit, refused with 413 before it is read (PROTOCOL 1.2 "Limits").

A body is 64 KiB at most (JSON and forms) unless ``ROUTE_LIMITS`` gives its route
another size. ``BodyLimit`` sits in front of every route: a ``Content-Length``
over the limit is answered 413 at once, without reading a byte of the body; a
chunked body (no length) is read here as it streams in, held up to the limit and
refused the moment it passes it, then handed to the route whole, so no route ever
holds more than its limit of one request. The 413 closes the connection
(``Connection: close``): the rest of the body is never read. Measured: eight
parallel 200 MB bodies to /r/<unknown> took the collector's peak memory from 76
to 3,272 MB before this; now they add under 1 MB (tests/collector/guards/test_body_limits.py).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.responses import Response

from collector.guards.refusals import refusal

KIB = 1024
DEFAULT_LIMIT = 64 * KIB
# (method, path pattern, bytes): the routes allowed another size than DEFAULT_LIMIT, each documented
# in docs/protocol.md ("Limits"). The rating link's answer (a score, reasons, a survey and a comment of
# 500 characters) is well under 16 KiB; the link page never read more.
ROUTE_LIMITS: tuple[tuple[str, re.Pattern[str], int], ...] = (("POST", re.compile(r"^/r/[^/]+$"), 16 * KIB),)


def body_limit(method: str, path: str) -> int:
    """The most bytes a body sent to ``method path`` may hold."""
    for route_method, pattern, limit in ROUTE_LIMITS:
        if method == route_method and pattern.match(path):
            return limit
    return DEFAULT_LIMIT


def too_large(limit: int, scope: dict[str, Any]) -> Response:
    ar = f"الطلب أكبر من الحد ({limit // KIB} كيلوبايت)؛ أرسل أقل"
    en = f"The request body is over this route's limit of {limit // KIB} KiB ({limit} bytes); send less"
    return refusal(scope, 413, ar, en, {"Connection": "close"})


def body_headers(scope: dict[str, Any]) -> tuple[int | None, bool]:
    """The request's Content-Length (if it gives a number: the server refuses malformed ones itself)
    and whether its body comes chunked."""
    length, chunked = None, False
    for name, value in scope.get("headers", []):
        if name == b"content-length" and value.isdigit():
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    return length, chunked


class BodyLimit:
    """Pure ASGI middleware in front of every route (see the module's docstring)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["method"], scope["path"])
        length, chunked = body_headers(scope)
        if length is not None and length > limit:
            await too_large(limit, scope)(scope, receive, send)
            return
        if not chunked:  # no body, or one the server stops at its Content-Length, under the limit
            await self.app(scope, receive, send)
            return
        # Chunked: read it here, up to the limit, whether or not the route would read it; a route that
        # answers without reading would leave the server to drain the rest, however long it is.
        held: list[dict[str, Any]] = []
        size = 0
        while True:
            message = await receive()
            held.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                await too_large(limit, scope)(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> dict[str, Any]:
            return held.pop(0) if held else await receive()

        await self.app(scope, replay, send)
