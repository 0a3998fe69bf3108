"""The pure parts of the HTTP ratings (collector/ingest/contacts.py): a posted body read, placed, made a Rating
and judged by the right desk's threshold, without a server or a store.

What the route does with them (stored once by id, a conflict kept, the employee checked against the
registry) is tested over real HTTP in tests/collector/api/test_calls_api.py.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collector.ingest.classify import SERVICE_ACCOUNT_PREFIX
from collector.ingest.contacts import (
    contact_rating,
    decode_body,
    integration_device,
    judging_config,
    place_of,
)
from shared.contract import MAX_PAYLOAD_BYTES, ContractError, DeviceConfig, Rating, parse_message

CALL = {"v": 1, "id": "0193a7e2-7a10-7000-8000-000000000001", "score": 2, "created_at": "2026-11-28T09:15:02.123Z"}


def desk(desk_id: str, negative_max_score: int = 2) -> DeviceConfig:
    return DeviceConfig(
        site_id="site-a",
        desk_id=desk_id,
        desk_name_ar="مكتب",
        desk_name_en="Desk",
        negative_max_score=negative_max_score,
    )


def reason_for(payload: bytes) -> str:
    with pytest.raises(ContractError) as refused:
        decode_body(payload)
    return str(refused.value)


def test_an_integration_s_ratings_are_stored_under_a_service_account_no_desk_can_hold() -> None:
    assert integration_device("ivr") == "taqyeem-api-ivr"
    assert integration_device("ivr").startswith(SERVICE_ACCOUNT_PREFIX)


def test_a_json_object_body_is_returned_as_it_was_sent() -> None:
    body = {**CALL, "site_id": "site-a"}
    assert decode_body(json.dumps(body).encode()) == body


@pytest.mark.parametrize(
    "payload",
    [b"\xff\xfe", b"{not json", b"[1, 2]", b'"a string"', b"[" * 100 + b"]" * 100, b" " * (MAX_PAYLOAD_BYTES + 1)],
    ids=["not-utf8", "not-json", "a-list", "a-string", "nested-deeply", "too-large"],
)
def test_a_broken_body_is_refused_in_the_words_an_ack_gives_for_the_same_bytes(payload: bytes) -> None:
    with pytest.raises(ContractError) as over_mqtt:
        parse_message(Rating, payload)
    assert reason_for(payload) == str(over_mqtt.value)


def test_the_place_is_the_site_and_the_desk_when_one_is_named() -> None:
    assert place_of({"site_id": "site-a", "desk_id": "desk-01"}) == ("site-a", "desk-01")
    assert place_of({"site_id": "site-a"}) == ("site-a", None)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "site_id: required"),
        ({"site_id": "Site A"}, "site_id: required"),
        ({"site_id": 7}, "site_id: required"),
        ({"site_id": "site-a", "desk_id": "Desk 1"}, "desk_id: must be a desk id"),
        ({"site_id": "site-a", "desk_id": 1}, "desk_id: must be a desk id"),
    ],
)
def test_a_missing_or_malformed_place_is_refused_naming_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(ContractError, match=field):
        place_of(data)


def test_both_place_problems_are_named_at_once() -> None:
    with pytest.raises(ContractError) as refused:
        place_of({"desk_id": "Desk 1"})
    assert str(refused.value).startswith("site_id: required") and "; desk_id: must be a desk id" in str(refused.value)


def test_a_posted_call_becomes_the_contract_s_rating_under_the_integration_s_device() -> None:
    rating = contact_rating({**CALL, "site_id": "site-a", "desk_id": "desk-01"}, "ivr")
    assert (rating.device_id, rating.seq, rating.channel) == ("taqyeem-api-ivr", 1, "call")
    assert (rating.id, rating.score, rating.created_at) == (CALL["id"], 2, CALL["created_at"])


def test_a_rating_that_says_desk_keeps_its_channel() -> None:
    assert contact_rating({**CALL, "channel": "desk"}, "queue").channel == "desk"


@pytest.mark.parametrize("field", ["device_id", "seq"])
def test_a_body_that_sets_what_the_collector_sets_is_refused_naming_the_field(field: str) -> None:
    with pytest.raises(ContractError, match=f"^{field}: leave it out"):
        contact_rating({**CALL, field: "dev-a1" if field == "device_id" else 3}, "ivr")


def test_a_link_rating_is_refused_it_comes_only_from_the_link_page() -> None:
    with pytest.raises(ContractError, match=r"^channel: 'link' ratings come only"):
        contact_rating({**CALL, "channel": "link"}, "ivr")


def test_a_rating_the_contract_refuses_is_refused_with_the_contract_s_reason() -> None:
    with pytest.raises(ContractError, match="score"):
        contact_rating({**CALL, "score": 6}, "ivr")


def test_a_call_at_a_known_desk_is_judged_by_that_desk_s_threshold() -> None:
    own = desk("desk-01", negative_max_score=3)
    assert judging_config(own, [desk("desk-02", 1), desk("desk-03", 2)]) is own


def test_without_a_desk_a_call_is_judged_by_the_threshold_all_the_site_s_desks_share() -> None:
    shared_by_all = [desk("desk-01", 3), desk("desk-02", 3)]
    assert judging_config(None, shared_by_all) is shared_by_all[0]


def test_without_a_desk_at_a_site_whose_desks_differ_or_have_none_the_contract_s_default_judges() -> None:
    assert judging_config(None, [desk("desk-01", 1), desk("desk-02", 3)]) is None
    assert judging_config(None, []) is None


@given(st.lists(st.integers(min_value=1, max_value=4), max_size=6))
def test_a_site_s_threshold_judges_exactly_when_its_desks_agree(thresholds: list[int]) -> None:
    configs = [desk(f"desk-{n:02}", t) for n, t in enumerate(thresholds)]
    chosen = judging_config(None, configs)
    if len(set(thresholds)) == 1:
        assert chosen is not None and chosen.negative_max_score == thresholds[0]
    else:
        assert chosen is None
