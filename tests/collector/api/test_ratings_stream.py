"""GET /api/v1/ratings is written as it is read (collector/api/routes/ratings.py): the same JSON as a held page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from collector.api.routes.ratings import page_json
from collector.store.ratings import encode_cursor

ROWS = [
    {"id": f"id-{n}", "created_at": f"2026-11-28T09:{59 - n:02d}:00.000Z", "reasons": ["waiting_time"], "lang": "ar"}
    for n in range(10)
]
ROWS[3]["employee_id"] = "موظف"  # not ASCII: written as UTF-8, as FastAPI's JSONResponse writes it


def held(rows: list[dict[str, Any]], limit: int) -> bytes:
    """What FastAPI answered when the route returned the page as a dict."""
    page = rows[:limit]
    cursor = encode_cursor(page[-1]["created_at"], page[-1]["id"]) if len(rows) > limit else None
    body = {"ratings": page, "next_cursor": cursor}
    return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


@pytest.mark.parametrize("limit", [1, 3, 4, 9, 10, 11])
@pytest.mark.parametrize("batch", [1, 3, 4, 100])
def test_a_streamed_page_is_byte_for_byte_the_held_one(limit: int, batch: int) -> None:
    rows = ROWS[: limit + 1]  # the store reads the page and one row more, if there is one
    batches = iter([rows[start : start + batch] for start in range(0, len(rows), batch)])
    assert b"".join(page_json(batches, limit)) == held(ROWS, limit)


def test_an_empty_page_is_an_empty_list_without_a_cursor() -> None:
    assert b"".join(page_json(iter([]), 100)) == b'{"ratings":[],"next_cursor":null}'


def test_it_stops_reading_once_it_knows_a_next_page_exists() -> None:
    read: list[int] = []

    def batches() -> Iterator[list[dict[str, Any]]]:
        for start in range(0, 10, 2):
            read.append(start)
            yield ROWS[start : start + 2]

    assert json.loads(b"".join(page_json(batches(), 3)))["next_cursor"]
    assert read == [0, 2]
