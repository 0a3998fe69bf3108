"""Contract 1.1: Presence messages and the desk's staff in the DeviceConfig."""

from __future__ import annotations

import json

import pytest

from shared import topics
from shared.contract import ContractError, DeviceConfig, Presence, parse_message, parse_presence
from shared.pins import EMPLOYEE_ITERATIONS, hash_pin, verify_pin

ID = "0193f0a2-7d3b-7c6a-9a43-2f1b7f3c9e10"


def presence(**changes: object) -> bytes:
    data = {
        "v": 1,
        "id": ID,
        "device_id": "riyadh-hq-d12",
        "employee_id": "E1042",
        "event": "sign_in",
        "cause": "pin",
        "at": "2026-11-28T07:58:10.000Z",
    }
    data.update(changes)
    return json.dumps(data).encode()


def test_a_presence_from_the_protocol_parses() -> None:
    parsed = parse_presence("riyadh-hq-d12", presence())
    assert (parsed.event, parsed.cause, parsed.employee_id) == ("sign_in", "pin", "E1042")


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"event": "arrive"}, "event"),
        ({"cause": "lunch"}, "cause"),
        ({"employee_id": ""}, "employee_id"),
        ({"id": "not-a-uuid"}, "id: must be a lowercase UUID"),
        ({"at": "yesterday"}, "at"),
    ],
)
def test_a_broken_presence_is_refused_with_its_reason(changes: dict[str, object], error: str) -> None:
    with pytest.raises(ContractError, match=error):
        parse_presence("riyadh-hq-d12", presence(**changes))


def test_the_topic_names_the_device_not_the_payload() -> None:
    with pytest.raises(ContractError, match="published by 'riyadh-hq-d13'"):
        parse_presence("riyadh-hq-d13", presence())


def test_presence_has_its_own_topic() -> None:
    topic = topics.presence("riyadh-hq-d12")
    assert topic == "taqyeem/v1/devices/riyadh-hq-d12/presence"
    assert topics.parse_device_topic(topic) == ("riyadh-hq-d12", "presence")


def test_a_config_carries_its_staff_and_sign_out_rules() -> None:
    config = parse_message(
        DeviceConfig,
        {
            "v": 1,
            "site_id": "riyadh-hq",
            "desk_id": "desk-12",
            "desk_name_ar": "مكتب ١٢",
            "desk_name_en": "Desk 12",
            "staff": [{"employee_id": "E1042", "name_ar": "سارة", "name_en": "Sara", "pin_hash": None}],
            "sign_out_idle_min": 45,
            "closes_at": "15:30",
        },
    )
    member = config.staff_member("E1042")
    assert member is not None and member.name_en == "Sara"
    assert config.staff_member("E9999") is None
    with pytest.raises(ContractError, match="closes_at"):
        parse_message(DeviceConfig, config.model_dump() | {"closes_at": "25:00"})


def test_a_config_from_1_0_has_no_staff_and_signs_out_after_idle() -> None:
    config = DeviceConfig(site_id="s1", desk_id="d1", desk_name_ar="١", desk_name_en="1")
    assert config.staff == [] and config.sign_out_idle_min == 30 and config.closes_at is None


def test_an_employee_pin_hash_meets_the_protocols_floor() -> None:
    assert EMPLOYEE_ITERATIONS >= 600_000
    stored = hash_pin("2468", iterations=1000)
    assert verify_pin("2468", stored) and not verify_pin("2469", stored)
    assert Presence  # the model is exported for both sides
