"""The employee registry over HTTP (docs/protocol.md: PUT and GET /api/v1/employees).

PUT creates or updates one employee (admins); the rules and the republishing of
the site's desk configs are collector/fleet/registry.py's, shared with
``sites apply`` and ``employees import``. GET lists the employees the caller's
sites hold, each with the last 30 days' figures of the Employees page
(collector.reports.daily.employees): never a PIN hash, only whether one is set.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from collector.access import IdentityDep, StoreDep, app_deps, checked_site, require
from collector.api.errors import documented
from collector.fleet.errors import ConfigPublishError, RegistryError, WeakPinError
from collector.fleet.registry import EmployeeEntry, apply_employees, check_places, set_employee_pin
from collector.reports.daily import employees as employee_figures
from collector.store import Store
from shared.clock import now_text
from shared.contract import NAME_PATTERN, describe_validation_error

router = APIRouter(prefix="/api/v1", tags=["employees"], responses=documented(401, 403, 422))

EmployeeIdPath = Annotated[str, Path(min_length=1, max_length=64, description="the ministry's staff number")]
FIGURE_DAYS = 30
NO_BROKER = (
    "this collector has no broker connection to send the desks of that site their new staff list; "
    "try again once /healthz reports the broker connected"
)


class EmployeeIn(BaseModel):
    """What an admin sets; the PIN is set apart (``PUT .../pin``, ``taqyeem employees pin``, My page)."""

    model_config = ConfigDict(extra="forbid")
    name_ar: Annotated[str, Field(min_length=1, max_length=80)]
    name_en: Annotated[str, Field(min_length=1, max_length=80)]
    site_id: Annotated[str, Field(pattern=NAME_PATTERN)]
    section_id: Annotated[str, Field(pattern=NAME_PATTERN)] | None = None
    active: bool = True


class EmployeePublic(BaseModel):
    employee_id: str
    name_ar: str
    name_en: str
    site_id: str
    section_id: str | None
    active: bool
    pin_set: bool = Field(description="whether the employee has a desk PIN; the hash itself is never sent")


class EmployeeWithFigures(EmployeePublic):
    n: int = Field(description="ratings over the last 30 days that count for the employee")
    mean: float | None
    ci_low: float | None = Field(description="95% interval of the mean; null below 2 ratings")
    ci_high: float | None
    excluded: int = Field(description="ratings of the last 30 days not held against the employee")


class EmployeeList(BaseModel):
    employees: list[EmployeeWithFigures]


def _public(row: dict[str, Any]) -> EmployeePublic:
    return EmployeePublic.model_validate({k: row[k] for k in EmployeePublic.model_fields})


@router.put(
    "/employees/{employee_id}",
    summary="Create or update an employee; the desks of their site get the new staff list",
    dependencies=[require("admin")],
    response_model=EmployeePublic,
    responses={201: {"model": EmployeePublic, "description": "Created"}, **documented(503)},
)
def put_employee(
    employee_id: EmployeeIdPath,
    body: EmployeeIn,
    request: Request,
    response: Response,
    store: StoreDep,
    identity: IdentityDep,
) -> EmployeePublic:
    try:
        entry = EmployeeEntry(employee_id=employee_id, **body.model_dump())
    except ValidationError as exc:
        raise HTTPException(422, detail=describe_validation_error(exc)) from None
    publisher = app_deps(request).config_publisher
    try:
        check_places(store, [entry])
        applied = apply_employees(store, [entry], actor=identity.name, now=now_text(), publisher=publisher, kind="api")
    except RegistryError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    except ConfigPublishError as exc:
        why = str(exc) if publisher is not None else NO_BROKER
        raise HTTPException(503, detail=f"nothing was saved: {why}") from None
    if applied.plan.created:
        response.status_code = 201
    row = store.employees.get(employee_id)
    assert row is not None
    return _public(row)


class PinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pin: Annotated[str, Field(max_length=40, description="4 to 8 digits, not one digit repeated, not a run")]


class PinSet(BaseModel):
    employee_id: str
    pin_set: bool
    devices: list[str] = Field(description="the desks sent the new hash")


@router.put(
    "/employees/{employee_id}/pin",
    summary="Set an employee's desk PIN (kept only as a hash); a weak one is refused with the reason",
    dependencies=[require("admin")],
    response_model=PinSet,
    responses=documented(400, 404, 503),
)
def put_employee_pin(
    employee_id: EmployeeIdPath, body: PinIn, request: Request, store: StoreDep, identity: IdentityDep
) -> PinSet:
    """PROTOCOL 1.2's rule (shared/pins.py:pin_weakness), as My page and ``taqyeem employees pin`` apply it."""
    if store.employees.get(employee_id) is None:
        raise HTTPException(404, detail=f"no employee {employee_id!r} in the registry")
    publisher = app_deps(request).config_publisher
    try:
        devices = set_employee_pin(
            store, employee_id, body.pin, actor=identity.name, now=now_text(), publisher=publisher
        )
    except WeakPinError as exc:
        raise HTTPException(422, detail=f"pin: {exc}") from None
    except ConfigPublishError as exc:
        why = str(exc) if publisher is not None else NO_BROKER
        raise HTTPException(503, detail=f"the PIN was not set: {why}") from None
    return PinSet(employee_id=employee_id, pin_set=True, devices=devices)


@router.get(
    "/employees",
    summary="Employees of your sites with the last 30 days' n, mean and interval",
    dependencies=[require("admin", "supervisor")],
    response_model=EmployeeList,
)
def list_employees(
    request: Request,
    store: StoreDep,
    identity: IdentityDep,
    site_id: Annotated[str | None, Query(pattern=NAME_PATTERN)] = None,
) -> EmployeeList:
    site_id = checked_site(identity, site_id)
    rows = store.employees.rows(sites=identity.site_scope(), site_id=site_id)
    figures = _figures(request, store, identity.site_scope(), site_id)
    return EmployeeList(employees=[_with_figures(row, figures.get(row["employee_id"], {})) for row in rows])


def _figures(request: Request, store: Store, scope: list[str] | None, site_id: str | None) -> dict[str, dict[str, Any]]:
    """The Employees page's figures by employee (the same function, so the same numbers)."""
    calendar = app_deps(request).calendar
    table = employee_figures(store, calendar, scope, calendar.today(), site_id, FIGURE_DAYS)
    return {e["employee_id"]: e for rows in table.values() for e in rows}


def _with_figures(row: dict[str, Any], figure: dict[str, Any]) -> EmployeeWithFigures:
    return EmployeeWithFigures(
        **_public(row).model_dump(),
        n=figure.get("n", figure.get("count", 0)),
        mean=figure.get("mean"),
        ci_low=figure.get("ci_low", figure.get("low")),
        ci_high=figure.get("ci_high", figure.get("high")),
        excluded=figure.get("excluded", 0),  # the employee table's, once it reports ratings not held against them
    )
