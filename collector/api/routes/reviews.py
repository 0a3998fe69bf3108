from __future__ import annotations

from datetime import date as Date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from collector.access import AnyIdentityDep, StoreDep, own_employee, require_or_own
from collector.api.errors import documented
from collector.people.employee_names import NameBook
from collector.reviews.ownership import with_ownership

router = APIRouter(prefix="/api/v1", tags=["reviews"], responses=documented(401, 403, 422))


@router.get(
    "/reviews",
    summary="Negative ratings to review, with their review if any (an employee: only their own)",
    dependencies=[require_or_own("admin", "supervisor")],
)
def list_reviews(
    store: StoreDep,
    identity: AnyIdentityDep,
    status: Literal["open", "closed"] | None = None,
    date: Annotated[Date | None, Query(description="the rating's UTC date, YYYY-MM-DD")] = None,
    employee_id: Annotated[
        str | None,
        Query(min_length=1, max_length=64, description="only this employee's (an employee: 403 for another's)"),
    ] = None,
) -> dict[str, Any]:
    day = date.isoformat() if date else None
    employee_id = own_employee(identity, employee_id)  # as on /api/v1/ratings: never quietly ignored
    if identity.role == "employee":
        rows = store.reviews.all(status=status, date=day, employee_id=employee_id)
    else:
        rows = store.reviews.all(status=status, date=day, sites=identity.site_scope(), employee_id=employee_id)
    names = NameBook(store).load(row["rating"]["employee_id"] for row in rows)
    # 1.2: owner, due_at, overdue, escalations and events (collector.reviews.ownership.with_ownership)
    return {"reviews": [{**row, "rating": names.named(row["rating"])} for row in with_ownership(store, rows)]}
