"""The comments no theme matched, for a person to read (docs/protocol.md: GET /api/v1/reports/comments/unmatched).

The theme counts themselves are read by the causes report (``Store.themes.counts``); this route lists
the comments still held (not yet purged) that the lexicon put under no theme, newest first, so a
supervisor reads them and, where a theme is missing, an admin adds its words to the lexicon.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from collector.access import IdentityDep, StoreDep, app_deps, check_day, checked_site, require
from collector.api.errors import documented
from collector.api.report_params import FromParam, SiteFilter, ToParam
from collector.reports.period import SpanError, bounds, span_of
from collector.store.theme_rollups import UNMATCHED_LIMIT

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=documented(401, 403, 422))


@router.get(
    "/reports/comments/unmatched",
    summary="The comments still held that no theme matched, newest first, for a person to read",
    dependencies=[require("admin", "supervisor")],
)
def unmatched_comments(
    request: Request,
    store: StoreDep,
    identity: IdentityDep,
    from_: FromParam = None,
    to: ToParam = None,
    site_id: SiteFilter = None,
) -> dict[str, Any]:
    site_id = checked_site(identity, site_id)
    check_day(from_)
    check_day(to)
    try:
        span = span_of(from_, to)
    except SpanError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    found = store.themes.unmatched(bounds(app_deps(request).calendar, span), identity.site_scope(), site_id)
    return {
        "from": span.first.isoformat(),
        "to": span.last.isoformat(),
        "limit": UNMATCHED_LIMIT,
        "comments": [
            {
                "rating_id": c.rating_id,
                "site_id": c.site_id,
                "counted_at": c.counted_at,
                "score": c.score,
                "comment": c.comment,
            }
            for c in found
        ],
    }
