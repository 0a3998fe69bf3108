"""A desk as the kiosk's pure parts see it, for their unit tests: its config, the timings, a wall clock, and
the state of an open desk resting on the faces."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from device.kiosk import flow
from shared.contract import DeviceConfig

T = flow.Timings()
WALL = datetime(2026, 11, 28, 9, 15, 2, tzinfo=UTC)


def config(**changes: Any) -> DeviceConfig:
    base = DeviceConfig(site_id="riyadh-hq", desk_id="desk-12", desk_name_ar="مكتب ١٢", desk_name_en="Desk 12")
    return base.model_copy(update=changes)


def on_faces(now: float = 0.0, employee: str | None = "E1") -> flow.KioskState:
    state = flow.start("ar", now, employee)  # an open desk rests on the faces
    assert state.screen == "rating" and state.deadline is None
    return state
