"""``GET /healthz``: 200 only when a write would succeed; otherwise 503 with the cause (docs/protocol.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from collector.access import DepsDep
from collector.app_deps import AppDeps
from collector.ingest.write_health import OK
from collector.upkeep.retention import retention_state

router = APIRouter()


def _database(deps: AppDeps, body: dict[str, Any]) -> None:
    """The database's state as the writer last found it, and whether the path still names its file."""
    ingest = deps.ingest
    try:
        deps.store.check_file()  # one os.stat: a deleted file is seen before the next batch
        if ingest is None:
            deps.store.ping()
    except Exception as exc:  # the probe must answer, whatever the database does
        body["database"], body["cause"] = "error", str(exc)
        return
    if ingest is None:
        body["database"] = "ok"
        return
    state = ingest.health.now()
    body["database"] = state.state
    if state.state != OK:
        body["cause"], body["failing_since"] = state.cause, state.since


@router.get("/healthz", summary="Broker link and database state (no sign-in); 503 when ratings cannot be stored")
def healthz(deps: DepsDep) -> JSONResponse:
    ingest = deps.ingest
    body: dict[str, Any] = {"broker": "unknown", "database": "unknown"}
    if ingest is not None:
        body["broker"] = "connected" if ingest.connected else "disconnected"
        body["writer"] = "running" if ingest.writing else "stopped"
        body["queue"] = ingest.queue_depth()
        body["last_commit_at"] = ingest.stats["last_commit_at"]
    _database(deps, body)
    if body["database"] == OK:
        try:  # what is kept of visitors' free text, and the last purge (docs/privacy.md)
            body["retention"] = retention_state(deps.store, deps.retention_days)
        except Exception as exc:  # the probe must answer, whatever the database does
            body["retention"] = {"error": str(exc)}
    healthy = body["database"] == OK and body["broker"] in ("connected", "unknown")
    healthy = healthy and body.get("writer", "running") == "running"
    body["status"] = "ok" if healthy else "degraded"
    return JSONResponse(body, status_code=200 if healthy else 503)
