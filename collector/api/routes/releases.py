"""Releases of the tablet's program: ``GET /api/v1/releases`` (admin) and a tablet's download.

``GET /api/v1/releases/{version}/download?device=&token=`` needs no session: the token (an HMAC of
the device id and the version, collector/fleet/releases.py) is the credential, and only the
device's own retained config carries it. Without a device and a token it answers 401; a wrong
token, or a device not provisioned or revoked, 403; an unknown version 404. The answer never
names a path on the collector.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel

from collector.access import IdentityDep, StoreDep, app_deps, require
from collector.api.errors import ApiError, documented
from collector.fleet.releases import download_secret, release_overview, token_is_valid
from collector.store import Store

router = APIRouter(prefix="/api/v1", tags=["releases"])
WHEEL = "application/octet-stream"
MISSING = "a download needs the link in the device's own config (its device and token): no session or API token"
REFUSED = "this download link is not valid for this device: use the link in the device's own config"


class ReleaseTarget(BaseModel):
    place: str  # SITE/DESK, SITE or all
    set_at: str
    set_by: str


class ReleasePublic(BaseModel):
    version: str
    file_name: str
    size: int
    sha256: str
    added_at: str
    added_by: str
    running: int  # provisioned tablets that report running it
    desired: int  # provisioned tablets whose desk, site or fleet target names it
    targets: list[ReleaseTarget]


class ReleasesPublic(BaseModel):
    releases: list[ReleasePublic]


@router.get(
    "/releases",
    summary="Each release of the tablet's program: how many tablets run it, how many should, its targets",
    dependencies=[require("admin")],
    responses=documented(401, 403),
)
def list_releases(store: StoreDep, _identity: IdentityDep) -> ReleasesPublic:
    return ReleasesPublic.model_validate({"releases": release_overview(store)})


def releases_folder(request: Request, store: Store) -> Path:
    settings = app_deps(request).settings
    return settings.releases_path() if settings is not None else store.path.parent / "releases"


@router.get(
    "/releases/{version}/download",
    summary="A release's wheel, for the tablet whose config names it (the token is the credential)",
    response_class=FileResponse,
    responses={
        200: {"content": {WHEEL: {"schema": {"type": "string", "format": "binary"}}}, "description": "the wheel"},
        **documented(422),
        401: {"model": ApiError, "description": "No device or token: use the link in the device's own config"},
        403: {
            "model": ApiError,
            "description": "The link's token is not this device's and version's, or the device is not provisioned",
        },
        404: {"model": ApiError, "description": "No release of that version on this collector"},
    },
)
def download_release(
    request: Request,
    store: StoreDep,
    version: str,
    device: Annotated[str | None, Query(max_length=64, description="the device id the link was made for")] = None,
    token: Annotated[str | None, Query(max_length=128, description="the link's token")] = None,
) -> FileResponse:
    if not device or not token:
        raise HTTPException(401, MISSING)
    row = store.devices.get(device)
    if row is None or not row["provisioned"] or row["revoked_at"] is not None:
        raise HTTPException(403, REFUSED)
    if not token_is_valid(download_secret(store), device, version, token):
        raise HTTPException(403, REFUSED)
    release = store.releases.get(version)
    path = releases_folder(request, store) / release["file_name"] if release is not None else None
    if release is None or path is None or not path.is_file():
        raise HTTPException(404, f"no release {version} on this collector")
    return FileResponse(path, media_type=WHEEL, filename=release["file_name"])
