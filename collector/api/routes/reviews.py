from __future__ import annotations

from datetime import date as Date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from collector.access import AnyIdentityDep, StoreDep, own_employee, require_or_own
from collector.api.errors import documented
from collector.people.employee_names import NameBook
from collector.reviews.hearing_workflow import with_hearing
from collector.reviews.ownership import with_ownership
from collector.reviews.workflow import with_callbacks

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
    rows = with_ownership(store, with_callbacks(store, identity, rows))  # 1.2: owner, due_at, overdue, escalations
    histories = store.hearings.events_of([row["rating"]["id"] for row in rows])
    return {
        "reviews": [
            with_hearing({**row, "rating": names.named(row["rating"])}, histories[row["rating"]["id"]]) for row in rows
        ]
    }
