from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter()


@router.get("/healthz", summary="Broker link and database state (no sign-in)")
def healthz(request: Request) -> JSONResponse:
    ingest = request.app.state.ingest
    body: dict[str, Any] = {"broker": "unknown", "database": "unknown"}
    if ingest is not None:
        body["broker"] = "connected" if ingest.connected else "disconnected"
        body["writer"] = "running" if ingest.writing else "stopped"
        body["queue"] = ingest.queue_depth()
        body["last_commit_at"] = ingest.stats["last_commit_at"]
    try:
        body["database"] = "ok" if request.app.state.store.ping() else "error"
    except Exception as exc:  # the probe must answer, whatever the database does
        body["database"] = f"error: {exc}"
    healthy = body["database"] == "ok" and body["broker"] in ("connected", "unknown")
    healthy = healthy and body.get("writer", "running") == "running"
    body["status"] = "ok" if healthy else "degraded"
    return JSONResponse(body)  # always 200 (PROTOCOL.md): the body says what is wrong
