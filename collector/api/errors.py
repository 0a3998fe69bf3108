"""The error body of the API and the status codes each route documents in /openapi.json.

Every error answers ``{"detail": ...}``: a short string a person can act on
(401, 403, 404, 409, and the API's own checks that answer 422), or FastAPI's
list of field errors when the input does not fit the declared types (422), or
its one-line complaint about a body it cannot decode (400).

``invalid_input`` answers that 422 as FastAPI does, except that a value JSON cannot
hold is written as text: Python's json reads ``NaN`` and ``Infinity`` in a body, and
FastAPI's own answer, which echoes the input, then failed to encode it (a 500).
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field


class ApiError(BaseModel):
    detail: str | list[dict[str, Any]] = Field(
        description="what is wrong and what to do; for input that does not fit the declared types, one entry per field"
    )


MEANINGS = {
    400: "The body cannot be decoded (it is not UTF-8)",
    401: "No API token or session, or an unknown or revoked token",
    403: "The token's role or sites do not allow this",
    404: "Nothing with that id in your sites",
    409: "The review is already closed",
    410: "The enrolment code was used, revoked or has expired: ask IT for a new one",
    422: "The input is not valid; detail says why",
    429: "Too many wrong codes from this address: wait a minute",
    503: "The broker did not take the desks' new configs; nothing was saved, try again",
}


def documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a router or route: these error codes, each with the ApiError body."""
    return {code: {"model": ApiError, "description": MEANINGS[code]} for code in codes}


def _writable(value: Any) -> Any:
    """``value`` with each float JSON cannot hold (NaN, Infinity) as its text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _writable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_writable(item) for item in value]
    return value


async def invalid_input(request: Request, exc: Exception) -> JSONResponse:
    """The app's handler of ``RequestValidationError``: 422 with one entry per field, never a 500."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else [{"msg": str(exc)}]
    return JSONResponse({"detail": _writable(jsonable_encoder(errors))}, status_code=422)
