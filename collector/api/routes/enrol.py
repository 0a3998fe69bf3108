"""A new tablet redeems its one-time enrolment code: ``POST /api/v1/enrol``, no sign-in (the code is the credential).

200 with the enrolment (device id, broker, password, CA, release key) the first
time; 410 once the code is used, revoked or expired; 404 for a code never issued;
422 for text that cannot be a code; 429 after ``WrongCodes.failures`` wrong codes
from one address within a minute (checked before any work is done). Every refusal
is logged with the address. The code's row is read and marked used in one
transaction (collector/store/enrol_codes.py), and its sealed payload dropped.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from collector.access import app_deps
from collector.api.errors import ApiError, documented
from collector.fleet.enrol_codes import CodeError, derive, normalise, unseal
from collector.store import Store
from shared.clock import format_time

log = logging.getLogger("taqyeem.collector.enrol")
router = APIRouter(prefix="/api/v1", tags=["enrolment"])
REFUSED = {
    404: "unknown enrolment code: check it against the one printed by `taqyeem provision device --code`",
    410: "this enrolment code was used, revoked or has expired: ask IT for a new one (provision replace --code)",
    429: "too many wrong enrolment codes from this address: wait a minute, then type the code again",
}


class CodeBody(BaseModel):
    code: str = Field(min_length=1, max_length=64, description="the code as printed, e.g. 7KQ2-M9XD-4HPA")


class DeskNames(BaseModel):
    site_id: str
    desk_id: str
    desk_name_ar: str
    desk_name_en: str


class Enrolment(BaseModel):
    """What the tablet writes to its config: the contents of a bundle."""

    device_id: str = Field(description="the tablet's device id and broker username")
    broker: str = Field(description="mqtts://HOST:8883, the broker the tablet dials")
    password: str = Field(description="the tablet's broker password")
    ca: str = Field(description="PEM of the CA that signed the broker's certificate")
    release_key: str | None = Field(None, description="the centre's release-signing public key (base64 Ed25519)")
    desk: DeskNames | None = Field(None, description="the desk the tablet serves, to show it on the screen")


@router.post(
    "/enrol",
    summary="Redeem a one-time enrolment code (no sign-in): 200 once with the tablet's enrolment",
    response_model=Enrolment,
    responses={
        **documented(400, 410, 422, 429),
        404: {"model": ApiError, "description": "No enrolment code like that was issued"},
    },
)
def enrol(request: Request, body: CodeBody) -> Response:
    store: Store = app_deps(request).store
    address = request.client.host if request.client else "unknown"
    limit = app_deps(request).wrong_codes
    if limit.blocked(address, time.monotonic()):
        log.warning("enrolment code refused from %s: too many wrong codes", address)
        return JSONResponse({"detail": REFUSED[429]}, status_code=429)
    try:
        code = normalise(body.code)
    except CodeError as exc:
        limit.note(address, time.monotonic())
        log.warning("enrolment code refused from %s: %s", address, exc)
        return JSONResponse({"detail": str(exc)}, status_code=422)
    keys = derive(code)
    now = format_time(datetime.now(UTC))
    store.enrolment_codes.forget_dead(now)
    outcome, row = store.enrolment_codes.take(keys.lookup, now, address)
    if outcome != "ok" or row is None or row["sealed"] is None:
        status_code = 404 if row is None else 410
        limit.note(address, time.monotonic())
        log.warning("enrolment code refused from %s: %s", address, "unknown" if row is None else "used or expired")
        return JSONResponse({"detail": REFUSED[status_code]}, status_code=status_code)
    try:
        payload = unseal(keys, row["sealed"])
    except ValueError as exc:  # a damaged row: the code is spent; a new one is needed
        log.error("enrolment code of %s could not be opened: %s", row["device_id"], exc)
        return JSONResponse({"detail": REFUSED[410]}, status_code=410)
    log.info("device %s enrolled by code from %s", row["device_id"], address)
    return JSONResponse(Enrolment.model_validate(payload).model_dump(), headers={"Cache-Control": "no-store"})
