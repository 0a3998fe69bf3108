"""What the report routes share: their query parameters, one report built at a time, file replies."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date as Date
from typing import Annotated, Literal

from fastapi import HTTPException, Query

from shared.contract import NAME_PATTERN

SiteFilter = Annotated[str | None, Query(pattern=NAME_PATTERN, description="one site; default every site you see")]
DayParam = Annotated[Date | None, Query(description="the centres' local day, YYYY-MM-DD; default today")]
LangParam = Annotated[
    Literal["ar", "en"] | None, Query(description="language of the headers, names, labels and dates; default yours")
]
FromParam = Annotated[Date | None, Query(alias="from", description="first local day, YYYY-MM-DD (included)")]
ToParam = Annotated[Date | None, Query(description="last local day, YYYY-MM-DD (included)")]
HijriMonthParam = Annotated[str | None, Query(description="instead of from/to: a Hijri month, e.g. 1448-06")]
HijriYearParam = Annotated[int | None, Query(description="instead of from/to: a Hijri year, e.g. 1448")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Building a day's report holds that day's ratings, about 1 kB each: eight exports of a day of
# 100,000 ratings built side by side took 890 MB (measured), one at a time about 110 MB. Each
# build is CPU work under one GIL, so taking turns costs the callers next to no time in all.
_REPORT_BUILDS = threading.BoundedSemaphore(1)
BUILD_WAIT_S = 120


@contextmanager
def one_build_at_a_time() -> Iterator[None]:
    if not _REPORT_BUILDS.acquire(timeout=BUILD_WAIT_S):
        raise HTTPException(503, detail="the collector is busy building other reports; try again in a minute")
    try:
        yield
    finally:
        _REPORT_BUILDS.release()


def attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}
