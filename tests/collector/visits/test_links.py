"""Visits and single-use rating links (collector/visits/links.py): a posted visit checked, the link's token,
URL and expiry, the link page's answer, and the per-address limit; plain data, no server.

The same rules over real HTTP: tests/collector/api/test_visits_api.py and tests/collector/web/test_link_page.py.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collector.visits.links import (
    DEFAULT_LINK_HOURS,
    RateLimit,
    expiry,
    link_url,
    needs_link,
    new_token,
    parse_answer,
    parse_visit,
    token_hash,
)
from shared.contract import DEFAULT_SURVEY, MAX_COMMENT, ContractError, DeviceConfig

DESK = DeviceConfig(
    site_id="site-a", desk_id="desk-01", desk_name_ar="مكتب", desk_name_en="Desk", survey=DEFAULT_SURVEY
)


def refusal(data: Any) -> str:
    with pytest.raises(ContractError) as refused:
        parse_visit(data)
    return str(refused.value)


def answer_refusal(data: Any) -> str:
    with pytest.raises(ContractError) as refused:
        parse_answer(data, DESK)
    return str(refused.value)


def test_a_visit_at_a_desk_is_read_with_its_defaults() -> None:
    assert parse_visit({"visit_id": "A-117", "site_id": "site-a"}) == {
        "visit_id": "A-117",
        "site_id": "site-a",
        "desk_id": None,
        "employee_id": None,
        "channel": "desk",
        "phone": None,
    }


def test_a_call_keeps_its_desk_employee_and_phone_without_spaces() -> None:
    visit = parse_visit(
        {"visit_id": "C-9", "site_id": "site-a", "desk_id": "desk-01", "employee_id": "E1042", "channel": "call"}
        | {"phone": "+966 50 000 0009"}
    )
    assert (visit["channel"], visit["desk_id"], visit["employee_id"], visit["phone"]) == (
        "call",
        "desk-01",
        "E1042",
        "+966500000009",
    )


def test_every_wrong_field_of_a_visit_is_named_at_once() -> None:
    says = refusal({"site_id": "Site A", "channel": "fax", "phone": "12", "colour": "red"})
    assert says == "; ".join(
        [
            "colour: unknown field; allowed: channel, desk_id, employee_id, phone, site_id, visit_id",
            "visit_id: required: the queue ticket or call reference (1 to 64 characters)",
            "site_id: a site id (lowercase letters, digits and -)",
            "channel: must be 'desk' (a visit at a desk) or 'call' (a phone call)",
            "phone: an international number of 7 to 15 digits, e.g. +966500000000, or left out",
        ]
    )


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("visit_id", "x" * 65, "visit_id: 1 to 64 characters, no control characters"),
        ("visit_id", "A\n1", "visit_id: 1 to 64 characters, no control characters"),
        ("visit_id", 117, "visit_id: 1 to 64 characters, no control characters"),
        ("desk_id", "Desk 1", "desk_id: a desk id (lowercase letters, digits and -) or left out"),
        ("employee_id", "", "employee_id: 1 to 64 characters or left out"),
    ],
)
def test_a_malformed_field_is_refused_with_its_rule(field: str, value: Any, says: str) -> None:
    assert refusal({"visit_id": "A-1", "site_id": "site-a", field: value}) == says


def test_a_body_that_is_not_an_object_is_refused_showing_the_shape() -> None:
    assert refusal(["A-1"]).startswith('the body must be a JSON object: {"visit_id", "site_id", "channel"')


def test_a_call_or_a_visit_with_a_phone_gets_a_link_and_a_desk_visit_without_one_does_not() -> None:
    assert needs_link({"channel": "call", "phone": None})
    assert needs_link({"channel": "desk", "phone": "+966500000009"})
    assert not needs_link({"channel": "desk", "phone": None})


def test_a_token_is_long_url_safe_and_new_each_time_and_only_its_sha256_is_kept() -> None:
    token = new_token()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token) and token != new_token()
    assert token_hash(token) == hashlib.sha256(token.encode()).hexdigest()


def test_the_link_is_under_the_public_url_with_or_without_its_slash() -> None:
    assert link_url("https://rate.example.sa/", "T0K") == link_url("https://rate.example.sa", "T0K")
    assert link_url("https://rate.example.sa/", "T0K") == "https://rate.example.sa/r/T0K"


def test_a_link_lasts_48_hours_unless_told_otherwise() -> None:
    made = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert expiry(made) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC) and DEFAULT_LINK_HOURS == 48
    assert expiry(made, 2) == datetime(2026, 11, 28, 11, 0, tzinfo=UTC)


def test_an_answer_with_reasons_survey_answers_and_a_comment_is_read() -> None:
    answer = parse_answer(
        {"score": "2", "reasons": ["waiting_time", "waiting_time"], "answers": {"applicant": "citizen"}}
        | {"comment": "طال الانتظار"},
        DESK,
    )
    assert answer == {
        "score": 2,  # a form's "2"
        "reasons": ["waiting_time"],  # once
        "answers": {"applicant": "citizen"},
        "comment": "طال الانتظار",
        "callback_phone": None,  # no call back asked
    }


def test_an_empty_comment_or_no_reasons_and_answers_read_as_nothing_given() -> None:
    assert parse_answer({"score": 5, "comment": ""}, DESK) == {
        "score": 5,
        "reasons": [],
        "answers": {},
        "comment": None,
        "callback_phone": None,
    }


@pytest.mark.parametrize("score", [0, 6, "٣", "²", True, 3.0, None, "3 "])
def test_a_score_is_a_whole_number_from_1_to_5_in_ascii_digits(score: Any) -> None:
    assert answer_refusal({"score": score}) == "score: choose one of the five faces (1 to 5)"


def test_every_wrong_part_of_an_answer_is_named() -> None:
    says = answer_refusal(
        {"score": 4, "reasons": ["bored"], "answers": {"applicant": "alien", "colour": "red"}, "comment": "x" * 501}
    )
    assert says.split("; ")[1:] == [
        "answers: applicant has no option 'alien'",
        "answers: colour is not a question of this survey",
        f"comment: at most {MAX_COMMENT} characters",
    ]
    assert says.startswith("reasons: at most 8 of ")


def test_a_scale_question_takes_1_to_5() -> None:
    scale = DEFAULT_SURVEY.model_copy(
        update={
            "questions": [
                *DEFAULT_SURVEY.questions[:1],
                DEFAULT_SURVEY.questions[0].model_copy(update={"id": "s", "kind": "scale", "options": []}),
            ]
        }
    )
    desk = DESK.model_copy(update={"survey": scale})
    assert parse_answer({"score": 4, "answers": {"s": "5"}}, desk)["answers"] == {"s": 5}
    with pytest.raises(ContractError, match="answers: s takes 1 to 5"):
        parse_answer({"score": 4, "answers": {"s": 6}}, desk)


def test_answers_that_are_not_an_object_are_refused() -> None:
    assert (
        answer_refusal({"score": 4, "answers": ["citizen"]})
        == "answers: an object from question id to the chosen option"
    )


@given(st.integers(min_value=1, max_value=10), st.lists(st.floats(min_value=0, max_value=10), max_size=30))
def test_an_address_is_allowed_its_hits_per_window_and_refused_ones_do_not_count(hits: int, gaps: list[float]) -> None:
    limit = RateLimit(hits=hits, window_s=60)
    allowed, now = [], 0.0
    for gap in gaps:
        now += gap
        if limit.allow("10.0.0.1", now):
            allowed.append(now)
        assert sum(1 for t in allowed if t > now - 60) <= hits
    assert limit.allow("10.0.0.2", now)  # another address is untouched


def test_a_callback_number_is_read_as_typed_only_after_a_negative_and_refused_in_the_pages_language() -> None:
    assert parse_answer({"score": 1, "callback_phone": "٠٥١٢٣٤٥٦٧٨"}, DESK)["callback_phone"] == "+966512345678"
    with pytest.raises(ContractError, match="only about a rating that went wrong"):
        parse_answer({"score": 5, "callback_phone": "0512345678"}, DESK)
    with pytest.raises(ContractError, match="رقم جوال سعودي"):
        parse_answer({"score": 1, "callback_phone": "0512"}, DESK, "ar")
