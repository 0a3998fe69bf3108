"""The validation rules of contract v1 (shared/contract.py, shared/clock.py).

Each test states a rule of docs/protocol.md and checks the error a person would read.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from shared.clock import format_time, parse_time, uuid7
from shared.contract import (
    DEFAULT_NEGATIVE_MAX_SCORE,
    MAX_PAYLOAD_BYTES,
    SHIPPED_LANGUAGES,
    Ack,
    Alert,
    ContractError,
    DeviceConfig,
    Invite,
    Rating,
    Status,
    is_negative,
    parse_message,
    parse_rating,
    rating_id_of,
)

GOOD_ID = "01a2216f-c26b-749c-b201-cf186d19deba"
GOOD: dict[str, Any] = {
    "v": 1,
    "id": GOOD_ID,
    "seq": 1042,
    "device_id": "riyadh-hq-d12",
    "employee_id": "E1042",
    "score": 2,
    "reasons": ["waiting_time"],
    "visit_id": "A-117",
    "lang": "ar",
    "created_at": "2026-11-28T09:15:02.123Z",
}
ABSENT = object()
TAP_MS = 1_795_857_302_123  # 2026-11-28T09:15:02.123Z in Unix milliseconds


def payload(**changes: Any) -> bytes:
    """GOOD as JSON bytes, with fields changed (or removed with ABSENT)."""
    data = {**GOOD, **changes}
    return json.dumps({k: v for k, v in data.items() if v is not ABSENT}).encode()


def refused(raw: bytes | str, model: type = Rating) -> str:
    with pytest.raises(ContractError) as info:
        parse_message(model, raw)
    return str(info.value)


# --- a good rating -----------------------------------------------------------


def test_good_rating_parses() -> None:
    rating = parse_message(Rating, payload())
    assert rating.id == GOOD_ID
    assert rating.seq == 1042
    assert rating.device_id == "riyadh-hq-d12"
    assert rating.employee_id == "E1042"
    assert rating.score == 2
    assert rating.reasons == ["waiting_time"]
    assert rating.visit_id == "A-117"
    assert rating.lang == "ar"
    assert rating.created_at == "2026-11-28T09:15:02.123Z"


def test_parse_rating_accepts_its_own_topic() -> None:
    assert parse_rating("riyadh-hq-d12", payload()).id == GOOD_ID


def test_optional_fields_take_their_defaults() -> None:
    rating = parse_message(Rating, payload(employee_id=ABSENT, reasons=ABSENT, visit_id=ABSENT, lang=ABSENT))
    assert (rating.employee_id, rating.reasons, rating.visit_id, rating.lang) == (None, [], None, "ar")


def test_null_employee_and_visit_are_allowed() -> None:
    rating = parse_message(Rating, payload(employee_id=None, visit_id=None))
    assert rating.employee_id is None
    assert rating.visit_id is None


def test_unknown_fields_are_ignored() -> None:
    rating = parse_message(Rating, payload(battery=87, extra={"nested": [1, 2]}))
    assert rating.id == GOOD_ID
    assert not hasattr(rating, "battery")


def test_a_rating_round_trips_through_to_json() -> None:
    rating = parse_message(Rating, payload())
    assert parse_message(Rating, rating.to_json()) == rating


def test_payload_of_exactly_the_limit_is_accepted() -> None:
    base = payload(visit_id="x")
    padding = MAX_PAYLOAD_BYTES - len(base)
    raw = payload(visit_id="x", pad="p" * (padding - len(', "pad": ""')))
    assert len(raw) == MAX_PAYLOAD_BYTES
    assert parse_message(Rating, raw).id == GOOD_ID


# --- payload-level breaches --------------------------------------------------


@pytest.mark.parametrize("raw", [b"not json", b"", b"{", b'{"v": 1,}'])
def test_not_json_is_refused(raw: bytes) -> None:
    assert refused(raw).startswith("payload is not JSON")


def test_not_utf8_is_refused() -> None:
    assert refused(b"\xff\xfe{}") == "payload is not UTF-8"


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"text"', b"42", b"null", b"true"])
def test_non_object_is_refused(raw: bytes) -> None:
    assert refused(raw) == "payload must be a JSON object"


def test_over_4096_bytes_is_refused() -> None:
    raw = payload(pad="p" * MAX_PAYLOAD_BYTES)
    assert refused(raw) == f"payload is {len(raw)} bytes; the limit is 4096"


def test_size_is_counted_in_bytes_not_characters() -> None:
    # Each Arabic letter is 2 bytes in UTF-8: under 4096 characters, over 4096 bytes.
    raw = json.dumps({**GOOD, "pad": "م" * 2100}, ensure_ascii=False).encode()
    assert len(raw.decode()) <= MAX_PAYLOAD_BYTES < len(raw)
    assert "limit is 4096" in refused(raw)


@pytest.mark.parametrize("version", [2, 0, "1", None, ABSENT])
def test_v_other_than_1_is_refused(version: object) -> None:
    assert refused(payload(v=version)).startswith("v: unsupported version")


@pytest.mark.parametrize("version", [True, 1.0])
def test_v_must_be_the_integer_1(version: object) -> None:
    refused(payload(v=version))


def test_deeply_nested_json_is_a_contract_error() -> None:
    refused(b"[" * 2000 + b"]" * 2000)


def test_nesting_is_counted_outside_strings_only() -> None:
    # Brackets inside a string (escaped quotes too) are text; 32 levels pass, 33 are refused.
    text = '[[[{{\\"' * 20
    assert parse_message(Rating, payload(comment=text)).comment == text
    refused(b"[" * 33 + b"]" * 33)
    assert "nested too deeply" not in refused(b"[" * 32 + b"]" * 32)


def test_rating_id_of_survives_deeply_nested_json() -> None:
    assert rating_id_of(b"[" * 2000 + b"]" * 2000) is None


# --- field rules ---------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "", "8a6e0f9c-7d3b-4c6a-9a43", GOOD_ID + "0", 12345, None])
def test_id_must_be_a_uuid(bad_id: object) -> None:
    assert refused(payload(id=bad_id)).startswith("id: ")


def test_id_error_shows_an_example() -> None:
    assert refused(payload(id="abc")) == "id: must be a lowercase UUID like 8a6e0f9c-7d3b-4c6a-9a43-2f1b7f3c9e10"


@pytest.mark.parametrize(
    "spelling",
    [GOOD_ID.upper(), "{" + GOOD_ID + "}", "urn:uuid:" + GOOD_ID, GOOD_ID.replace("-", "")],
)
def test_id_is_kept_as_sent_or_refused(spelling: str) -> None:
    try:
        rating = parse_message(Rating, payload(id=spelling))
    except ContractError:
        return
    assert rating.id == spelling


@pytest.mark.parametrize("seq", [0, -1, True, 1.0, 2.5, "7", None])
def test_seq_must_be_a_positive_integer(seq: object) -> None:
    assert refused(payload(seq=seq)).startswith("seq: ")


@pytest.mark.parametrize("seq", [0, 2**63, 10**30])
def test_seq_outside_one_to_two_to_the_63_minus_one_is_refused_with_the_bound(seq: int) -> None:
    assert refused(payload(seq=seq)) == "seq: must be 1..9223372036854775807 (2^63-1)"


def test_the_largest_seq_sqlite_can_store_is_accepted() -> None:
    assert parse_rating("riyadh-hq-d12", payload(seq=2**63 - 1)).seq == 2**63 - 1


def test_a_status_last_seq_beyond_two_to_the_63_is_refused() -> None:
    assert refused(json.dumps({"v": 1, "state": "online", "last_seq": 2**63}), Status).startswith("last_seq: ")


@pytest.mark.parametrize(
    "device_id",
    ["Riyadh-hq", "a", "-riyadh", "riyadh_hq", "riyadh hq", "riyadh/hq", "+", "#", "r" * 64, "riyadh\n", ""],
)
def test_device_id_must_match_the_name_pattern(device_id: str) -> None:
    assert refused(payload(device_id=device_id)).startswith("device_id: String should match pattern")


@pytest.mark.parametrize("device_id", ["d1", "riyadh-hq-d12", "0-desk", "r" * 63])
def test_device_id_pattern_accepts_names(device_id: str) -> None:
    assert parse_message(Rating, payload(device_id=device_id)).device_id == device_id


def test_payload_device_id_must_equal_the_topic_device_id() -> None:
    with pytest.raises(ContractError) as info:
        parse_rating("riyadh-hq-d13", payload())
    assert str(info.value) == "device_id: payload says 'riyadh-hq-d12' but it was published by 'riyadh-hq-d13'"


def test_parse_rating_still_checks_the_payload() -> None:
    with pytest.raises(ContractError, match=r"score: must be 1\.\.5"):
        parse_rating("riyadh-hq-d12", payload(score=6))


def test_employee_id_too_long_is_refused() -> None:
    assert refused(payload(employee_id="E" * 65)) == "employee_id: String should have at most 64 characters"


def test_employee_id_of_64_characters_is_accepted() -> None:
    assert parse_message(Rating, payload(employee_id="E" * 64)).employee_id == "E" * 64


def test_empty_employee_id_is_refused() -> None:
    assert refused(payload(employee_id="")) == "employee_id: String should have at least 1 character"


@pytest.mark.parametrize("score", [0, 6, -1])
def test_score_out_of_range_is_refused(score: int) -> None:
    assert refused(payload(score=score)) == "score: must be 1..5"


@pytest.mark.parametrize("score", ["3", True, 2.5, 3.0, None])
def test_score_must_be_a_json_integer(score: object) -> None:
    assert refused(payload(score=score)) == "score: Input should be a valid integer"


@pytest.mark.parametrize("score", [1, 2, 3, 4, 5])
def test_scores_1_to_5_are_accepted(score: int) -> None:
    assert parse_message(Rating, payload(score=score)).score == score


def test_missing_score_is_refused() -> None:
    assert refused(payload(score=ABSENT)) == "score: Field required"


def test_more_than_8_reasons_is_refused() -> None:
    message = refused(payload(reasons=[f"r{i}" for i in range(9)]))
    assert message.startswith("reasons: ")
    assert "at most 8" in message


def test_8_reasons_are_accepted() -> None:
    assert len(parse_message(Rating, payload(reasons=[f"r{i}" for i in range(8)])).reasons) == 8


def test_duplicate_reasons_are_refused() -> None:
    assert refused(payload(reasons=["waiting_time", "waiting_time"])) == "reasons: must not repeat a reason code"


@pytest.mark.parametrize("code", ["Waiting", "waiting time", "waiting-time", "", "x" * 33, "وقت"])
def test_bad_reason_code_is_refused(code: str) -> None:
    assert refused(payload(reasons=["procedure", code])).startswith("reasons.1: String should match pattern")


def test_reasons_must_be_a_list_of_strings() -> None:
    assert refused(payload(reasons="waiting_time")).startswith("reasons: ")
    assert refused(payload(reasons=[1])).startswith("reasons.0: ")


def test_visit_id_over_64_characters_is_refused() -> None:
    assert refused(payload(visit_id="A" * 65)) == "visit_id: String should have at most 64 characters"


def test_visit_id_of_64_characters_is_accepted() -> None:
    assert parse_message(Rating, payload(visit_id="A" * 64)).visit_id == "A" * 64


LANG_ERROR = "lang: must be a language code of 2 or 3 lowercase letters, such as ar, en, ur, hi"


@pytest.mark.parametrize("lang", ["AR", "ar-SA", "", "a", "arab", "u1", " ur"])
def test_lang_must_be_a_primary_language_subtag(lang: str) -> None:
    assert refused(payload(lang=lang)) == LANG_ERROR


@pytest.mark.parametrize("lang", [None, 7, ["ar"]])
def test_lang_must_be_a_string(lang: object) -> None:
    assert refused(payload(lang=lang)).startswith("lang: Input should be a valid string")


@pytest.mark.parametrize("lang", ["ar", "en", "ur", "hi", "bn", "tl", "id", "fil", "fr"])
def test_lang_accepts_any_primary_subtag_from_1_1(lang: str) -> None:
    """1.1: any language a desk may offer; the collector keeps it as given (not only those shipped)."""
    assert parse_message(Rating, payload(lang=lang)).lang == lang


RFC3339_ERROR = "created_at: must be RFC 3339 UTC ending in Z, like 2026-11-28T09:15:02.123Z"


@pytest.mark.parametrize(
    "created_at",
    [
        "2026-11-28T09:15:02.123",  # no Z
        "2026-11-28T09:15:02.123+00:00",  # offset instead of Z
        "2026-11-28T12:15:02.123+03:00",  # not UTC
        "2026-11-28 09:15:02.123Z",  # space separator
        "2026-11-28t09:15:02.123z",  # lowercase
        "2026-11-28",  # date only
        "28/11/2026 09:15",
        "yesterday",
        "",
        "2026-11-28T09:15:02.1234567Z",  # more than microseconds
    ],
)
def test_created_at_must_be_rfc3339_utc_with_z(created_at: str) -> None:
    assert refused(payload(created_at=created_at)) == RFC3339_ERROR


@pytest.mark.parametrize("created_at", ["2026-13-28T09:15:02.123Z", "2026-02-30T09:15:02.123Z", "2026-11-28T25:00:00Z"])
def test_created_at_must_be_a_real_moment(created_at: str) -> None:
    assert refused(payload(created_at=created_at)).startswith("created_at: ")


@pytest.mark.parametrize("created_at", [1795856102123, None])
def test_created_at_must_be_a_string(created_at: object) -> None:
    assert refused(payload(created_at=created_at)) == "created_at: Input should be a valid string"


def test_created_at_with_trailing_newline_is_refused() -> None:
    refused(payload(created_at="2026-11-28T09:15:02.123Z\n"))


def test_several_breaches_are_reported_together() -> None:
    message = refused(payload(score=9, created_at=ABSENT))
    assert message == "score: must be 1..5; created_at: Field required"


@pytest.mark.parametrize("field", ["id", "seq", "device_id", "score", "created_at"])
def test_required_fields(field: str) -> None:
    assert refused(payload(**{field: ABSENT})) == f"{field}: Field required"


# --- the other messages ------------------------------------------------------


def test_status_last_will_parses() -> None:
    status = parse_message(Status, b'{"v":1,"state":"offline"}')
    assert status.state == "offline"
    assert (status.app_version, status.outbox, status.employee_id, status.last_seq, status.at) == (None,) * 5


def test_status_online_parses() -> None:
    raw = {
        "v": 1,
        "state": "online",
        "app_version": "0.1.0",
        "outbox": 3,
        "employee_id": "E1042",
        "last_seq": 1042,
        "at": "2026-11-28T09:15:03.000Z",
    }
    assert parse_message(Status, raw).outbox == 3


@pytest.mark.parametrize("state", ["busy", "", "ONLINE", None])
def test_status_state_is_one_of_three(state: object) -> None:
    assert refused(json.dumps({"v": 1, "state": state}), Status).startswith("state: ")


@pytest.mark.parametrize(("field", "value"), [("outbox", -1), ("last_seq", -1), ("outbox", "3"), ("at", "now")])
def test_status_field_rules(field: str, value: object) -> None:
    assert refused(json.dumps({"v": 1, "state": "online", field: value}), Status).startswith(f"{field}: ")


CONFIG = {
    "v": 1,
    "site_id": "riyadh-hq",
    "desk_id": "desk-12",
    "desk_name_ar": "الكاونتر ١٢",
    "desk_name_en": "Counter 12",
}


def test_device_config_defaults() -> None:
    config = parse_message(DeviceConfig, CONFIG)
    assert config.negative_max_score == DEFAULT_NEGATIVE_MAX_SCORE == 2
    assert config.mode == "open"
    assert config.default_lang == "ar"
    assert config.cooldown_s == 10
    assert config.section is None
    assert [r.code for r in config.reasons] == [
        "waiting_time",
        "staff_courtesy",
        "not_resolved",
        "procedure",
        "information",
        "facilities",
    ]
    assert all(r.ar and r.en for r in config.reasons)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("site_id", "Riyadh HQ"),
        ("desk_id", ""),
        ("desk_name_ar", ""),
        ("mode", "closed"),
        ("negative_max_score", 5),
        ("negative_max_score", 0),
        ("cooldown_s", -1),
        ("cooldown_s", 3601),
        ("default_lang", "fr"),
        ("reasons", [{"code": "Bad Code", "ar": "س", "en": "x"}]),
        ("reasons", [{"code": "ok", "ar": "", "en": "x"}]),
    ],
)
def test_device_config_field_rules(field: str, value: object) -> None:
    assert refused(json.dumps({**CONFIG, field: value}), DeviceConfig).startswith(f"{field}")


@pytest.mark.parametrize("field", ["site_id", "desk_id", "desk_name_ar", "desk_name_en"])
def test_device_config_required_fields(field: str) -> None:
    data = {k: v for k, v in CONFIG.items() if k != field}
    assert refused(json.dumps(data), DeviceConfig) == f"{field}: Field required"


def test_invite_defaults() -> None:
    invite = parse_message(Invite, b'{"v": 1}')
    assert (invite.visit_id, invite.employee_id, invite.window_s) == (None, None, 60)


@pytest.mark.parametrize(
    ("field", "value"), [("window_s", 0), ("window_s", 3601), ("window_s", "60"), ("visit_id", "A" * 65)]
)
def test_invite_field_rules(field: str, value: object) -> None:
    assert refused(json.dumps({"v": 1, field: value}), Invite).startswith(f"{field}: ")


def test_ack_defaults_and_rejections() -> None:
    assert parse_message(Ack, b'{"v": 1}').ids == []
    ack = parse_message(Ack, {"v": 1, "ids": [GOOD_ID], "rejected": [{"id": None, "error": "payload is not JSON"}]})
    assert ack.rejected[0].id is None
    assert ack.rejected[0].error == "payload is not JSON"


def test_ack_round_trips() -> None:
    ack = Ack(ids=[GOOD_ID], rejected=[{"id": "x", "error": "score: must be 1..5"}])  # type: ignore[list-item]
    assert parse_message(Ack, ack.to_json()) == ack


ALERT = {
    "v": 1,
    "rating_id": GOOD_ID,
    "site_id": "riyadh-hq",
    "desk_id": "desk-12",
    "employee_id": "E1042",
    "score": 1,
    "reasons": ["staff_courtesy"],
    "created_at": "2026-11-28T09:15:02.123Z",
}


def test_alert_parses_and_checks_score() -> None:
    assert parse_message(Alert, ALERT).score == 1
    assert refused(json.dumps({**ALERT, "score": 0}), Alert) == "score: must be 1..5"


def test_alert_created_at_is_a_contract_time() -> None:
    refused(json.dumps({**ALERT, "created_at": "yesterday"}), Alert)


def test_every_message_ignores_unknown_fields() -> None:
    for model, data in [
        (Status, {"v": 1, "state": "online"}),
        (DeviceConfig, CONFIG),
        (Invite, {"v": 1}),
        (Ack, {"v": 1}),
        (Alert, ALERT),
        (Rating, GOOD),
    ]:
        assert parse_message(model, {**data, "future_field": {"x": 1}}).v == 1


def test_rating_id_of_reads_a_best_effort_id() -> None:
    assert rating_id_of(payload(score=9)) == GOOD_ID
    assert rating_id_of(b"not json") is None
    assert rating_id_of(b"[1]") is None
    assert rating_id_of(json.dumps({"id": "x" * 65}).encode()) is None
    assert rating_id_of(json.dumps({"id": 5}).encode()) is None


# --- clock: uuid7 and times --------------------------------------------------


def test_uuid7_is_version_7_and_rfc4122_variant() -> None:
    for _ in range(100):
        value = uuid7()
        assert value.version == 7
        assert value.variant == uuid.RFC_4122


def test_uuid7_carries_its_milliseconds() -> None:
    assert uuid7(TAP_MS).int >> 80 == TAP_MS
    assert str(uuid7(TAP_MS)).startswith("01a2216f-c26b-7")
    assert parse_time("2026-11-28T09:15:02.123Z") == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=TAP_MS)


def test_uuid7_is_time_ordered() -> None:
    start = TAP_MS
    ids = [uuid7(start + step) for step in range(0, 2000, 7)]
    assert sorted(ids) == ids
    assert sorted(str(i) for i in ids) == [str(i) for i in ids]


def test_uuid7_is_unique_within_a_millisecond() -> None:
    assert len({uuid7(TAP_MS) for _ in range(1000)}) == 1000


def test_uuid7_parses_as_a_rating_id() -> None:
    made = str(uuid7())
    assert parse_message(Rating, payload(id=made)).id == made


def test_format_time_is_utc_with_milliseconds_and_z() -> None:
    moment = datetime(2026, 11, 28, 9, 15, 2, 123456, tzinfo=UTC)
    assert format_time(moment) == "2026-11-28T09:15:02.123Z"


def test_format_time_converts_to_utc() -> None:
    riyadh = timezone(timedelta(hours=3))
    assert format_time(datetime(2026, 11, 28, 12, 15, 2, 5000, tzinfo=riyadh)) == "2026-11-28T09:15:02.005Z"


def test_format_and_parse_round_trip_to_the_millisecond() -> None:
    moment = datetime(2026, 11, 28, 9, 15, 2, 123999, tzinfo=UTC)
    text = format_time(moment)
    assert text == "2026-11-28T09:15:02.123Z"
    back = parse_time(text)
    assert back == moment.replace(microsecond=123000)
    assert back.tzinfo is not None and back.utcoffset() == timedelta(0)
    assert format_time(back) == text


def test_parse_time_accepts_whole_seconds() -> None:
    assert parse_time("2026-11-28T09:15:02Z") == datetime(2026, 11, 28, 9, 15, 2, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-11-28T09:15:02.123", "2026-11-28T09:15:02.123+00:00", "", 5])
def test_parse_time_refuses_other_forms(text: object) -> None:
    with pytest.raises(ValueError, match="RFC 3339 UTC ending in Z"):
        parse_time(text)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("score", "threshold", "negative"),
    [(1, None, True), (2, None, True), (3, None, False), (3, 3, True), (4, 3, False), (1, 1, True), (2, 1, False)],
)
def test_a_score_is_negative_up_to_the_desks_threshold_or_the_default(
    score: int, threshold: int | None, negative: bool
) -> None:
    config = None
    if threshold is not None:
        config = DeviceConfig(
            site_id="site-a", desk_id="desk-1", desk_name_ar="مكتب", desk_name_en="Desk", negative_max_score=threshold
        )
    assert DEFAULT_NEGATIVE_MAX_SCORE == 2
    assert is_negative(score, config) is negative


def test_device_config_offers_arabic_and_english_by_default() -> None:
    assert parse_message(DeviceConfig, CONFIG).languages == ["ar", "en"]


def test_device_config_carries_the_shipped_languages_in_order() -> None:
    config = parse_message(DeviceConfig, {**CONFIG, "languages": list(SHIPPED_LANGUAGES), "default_lang": "ur"})
    assert config.languages == ["ar", "en", "ur", "hi", "bn", "tl", "id"]
    assert config.default_lang == "ur"


@pytest.mark.parametrize(
    ("languages", "error"),
    [
        ([], "languages: List should have at least 1 item after validation, not 0"),
        (["ar", "AR"], "languages.1: must be a language code of 2 or 3 lowercase letters, such as ar, en, ur, hi"),
        (["ar", "en", "ar"], "languages: each language may be listed once"),
        ("ar", "languages: Input should be a valid list"),
    ],
)
def test_device_config_languages_are_checked(languages: object, error: str) -> None:
    with pytest.raises(ContractError) as caught:
        parse_message(DeviceConfig, {**CONFIG, "languages": languages})
    assert str(caught.value) == error


def test_device_config_default_language_must_be_offered() -> None:
    with pytest.raises(ContractError) as caught:
        parse_message(DeviceConfig, {**CONFIG, "languages": ["ar", "ur"], "default_lang": "en"})
    assert str(caught.value) == "default_lang: 'en' is not one of languages ['ar', 'ur']"


def test_device_config_volume_defaults_to_80_and_a_1_0_config_still_parses() -> None:
    assert parse_message(DeviceConfig, CONFIG).volume == 80
    assert parse_message(DeviceConfig, {**CONFIG, "volume": 0}).volume == 0


@pytest.mark.parametrize(
    ("volume", "error"),
    [
        (101, "volume: Input should be less than or equal to 100"),
        (-1, "volume: Input should be greater than or equal to 0"),
        ("80", "volume: Input should be a valid integer"),
    ],
)
def test_device_config_volume_is_checked(volume: object, error: str) -> None:
    with pytest.raises(ContractError) as caught:
        parse_message(DeviceConfig, {**CONFIG, "volume": volume})
    assert str(caught.value).startswith(error), str(caught.value)
