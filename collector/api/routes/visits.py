"""Visits and calls recorded by a queue or phone system (integration token): ``POST /api/v1/visits``.

A visit is stored once per (site, visit id): 201 the first time, 200 for a repeat (which
sends nothing again). A desk visit sends an Invite to the desk's devices over MQTT. A
call, or a visit with a phone number, gets a single-use rating link (collector/visits/links.py:make_link),
sent by SMS through the site's ``sms_urls`` when it has some (collector/visits/sms.py, after the answer).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from collector.access import Identity, IntegrationDep, StoreDep, app_deps
from collector.api.errors import documented
from collector.ingest.contacts import check_integration_employee
from collector.settings import CollectorSettings
from collector.store import Store
from collector.visits.links import PHONE_PATTERN, make_link, needs_link, parse_visit
from collector.visits.sms import send_sms, visit_sms_targets
from shared import topics
from shared.clock import format_time
from shared.contract import MAX_PAYLOAD_BYTES, NAME_PATTERN, ContractError, Invite

log = logging.getLogger("taqyeem.collector.visits")
router = APIRouter(prefix="/api/v1", tags=["visits"], responses=documented(401, 403, 422))
NO_PUBLIC_URL = (
    'no rating link made: the collector has no public_url; set public_url = "https://..." '
    "(the address visitors' phones reach this app at) in the collector's settings"
)


class PostedVisit(BaseModel):
    """The body of ``POST /api/v1/visits`` (for the OpenAPI document; collector.visits.links checks it)."""

    visit_id: str = Field(min_length=1, max_length=64, description="the queue ticket or call reference")
    site_id: str = Field(pattern=NAME_PATTERN, description="one of the token's sites")
    desk_id: str | None = Field(None, pattern=NAME_PATTERN, description="the desk that served it (sends an Invite)")
    employee_id: str | None = Field(None, min_length=1, max_length=64)
    channel: Literal["desk", "call"] = "desk"
    phone: str | None = Field(None, pattern=PHONE_PATTERN, description="makes a rating link sent by SMS")


@router.post(
    "/visits",
    summary="A served visit or call (integration token): 201 recorded, 200 recorded before",
    status_code=201,
    response_model=dict[str, Any],
    responses={200: {"description": "That visit_id was recorded before at this site: nothing is sent again"}},
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": PostedVisit.model_json_schema()}}}
    },
)
async def post_visit(
    request: Request, store: StoreDep, identity: IntegrationDep, background: BackgroundTasks
) -> JSONResponse:
    raw = await request.body()
    return await run_in_threadpool(_take_visit, request, store, identity, raw, background)


def _decode(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise HTTPException(422, detail=f"the body is over {MAX_PAYLOAD_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise HTTPException(422, detail="the body is not JSON (UTF-8)") from None
    try:
        return parse_visit(data)
    except ContractError as exc:
        raise HTTPException(422, detail=str(exc)) from None


def _take_visit(
    request: Request, store: Store, identity: Identity, raw: bytes, background: BackgroundTasks
) -> JSONResponse:
    visit = _decode(raw)
    if visit["site_id"] not in (identity.site_scope() or []):
        raise HTTPException(403, detail=f"this token records visits only for the sites {', '.join(identity.sites)}")
    try:
        check_integration_employee(store, visit["employee_id"], identity.site_scope() or [])
    except ContractError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    now = datetime.now(UTC)
    store.visits.purge_phones(format_time(now))  # cheap: the numbers of used or expired links are forgotten
    row, new = store.visits.record({**visit, "recorded_at": format_time(now), "token_name": identity.name})
    body: dict[str, Any] = {"visit_id": row["visit_id"], "stored": new, "url": None}
    if not new:
        body["note"] = "recorded before: no Invite or link is sent again (only a link's hash is kept)"
        return JSONResponse(body, status_code=200)
    if visit["channel"] == "desk" and visit["desk_id"] is not None:
        body["invited"] = _invite(request, store, visit)
    if needs_link(visit):
        settings = app_deps(request).settings
        if settings is None or settings.public_url is None:
            log.warning("visit %s at %s: %s", visit["visit_id"], visit["site_id"], NO_PUBLIC_URL)
            body["link_error"] = NO_PUBLIC_URL
        else:
            body["url"] = make_link(store, visit, now, settings)
            body["sms"] = _queue_sms(settings, visit, body["url"], background)
    return JSONResponse(body, status_code=201)


def _invite(request: Request, store: Store, visit: dict[str, Any]) -> list[str]:
    """Publish an Invite to each device serving the visit's desk; the device ids it went to."""
    client = app_deps(request).mqtt_client
    devices = [d for d, config in store.devices.serving(visit["site_id"]) if config.desk_id == visit["desk_id"]]
    if client is None:
        return []
    invite = Invite(visit_id=visit["visit_id"], employee_id=visit["employee_id"])
    for device_id in devices:
        client.publish(topics.invite(device_id), invite.to_json(), qos=1)
    return devices


def _queue_sms(settings: CollectorSettings, visit: dict[str, Any], url: str, background: BackgroundTasks) -> str | None:
    """'queued' when the site has SMS channels and the visit a phone; None when no SMS is sent."""
    targets = visit_sms_targets(settings, visit)
    if not targets:
        return None
    background.add_task(send_sms, targets, url, visit["visit_id"])
    return "queued"
