"""Ratings and desk configs for the store's tests, and their fixed times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig, Rating

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
NOW = "2026-11-28T10:00:00.000Z"


def rating(
    device_id: str = "dev-a1",
    seq: int = 1,
    score: int = 4,
    *,
    minute: int | None = None,
    employee_id: str | None = "E1",
    reasons: list[str] | None = None,
) -> Rating:
    moment = T0 + timedelta(minutes=seq if minute is None else minute)
    return Rating(
        id=str(uuid7(int(moment.timestamp() * 1000))),
        seq=seq,
        device_id=device_id,
        employee_id=employee_id,
        score=score,
        reasons=reasons or [],
        created_at=format_time(moment),
    )


def config(site_id: str = "site-a", desk_id: str = "desk-1", **extra: Any) -> DeviceConfig:
    return DeviceConfig(site_id=site_id, desk_id=desk_id, desk_name_ar="مكتب", desk_name_en="Desk", **extra)
