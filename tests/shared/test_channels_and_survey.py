"""Contract 1.1: a rating's channel, survey answers and comment; the desk config's survey."""

from __future__ import annotations

import json

import pytest

from shared.contract import DEFAULT_SURVEY, ContractError, DeviceConfig, Rating, parse_message, parse_rating

BASE = {
    "v": 1,
    "id": "8a6e0f9c-7d3b-4c6a-9a43-2f1b7f3c9e10",
    "seq": 1,
    "device_id": "riyadh-hq-d12",
    "score": 2,
    "created_at": "2026-11-28T09:15:02.123Z",
}


def test_a_rating_from_1_0_is_a_desk_rating_without_answers() -> None:
    rating = parse_rating("riyadh-hq-d12", json.dumps(BASE).encode())
    assert (rating.channel, rating.answers, rating.comment) == ("desk", {}, None)


def test_ratings_without_answers_each_have_their_own_empty_answers() -> None:
    first, second = (parse_rating("riyadh-hq-d12", json.dumps(BASE).encode()) for _ in range(2))
    assert first.answers == second.answers == {} and first.answers is not second.answers
    assert Rating.model_validate(BASE).model_dump()["answers"] == {}  # the slow way and the JSON say the same


def test_a_rating_carries_its_channel_answers_and_comment() -> None:
    data = BASE | {"channel": "link", "answers": {"obstacles": "no", "ease": 4}, "comment": "<b>طال الانتظار</b>"}
    rating = parse_rating("riyadh-hq-d12", json.dumps(data).encode())
    assert rating.channel == "link" and rating.answers == {"obstacles": "no", "ease": 4}
    assert rating.comment == "<b>طال الانتظار</b>"  # kept as given; every page escapes it


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"channel": "fax"}, "channel"),
        ({"answers": {"ease": 6}}, "ease: a scale answer must be 1..5"),
        ({"answers": {"ease": True}}, "ease: must be an option code"),
        ({"answers": {"obstacles": "No way"}}, "obstacles: must be an option code"),
        ({"answers": {f"q{i}": "yes" for i in range(11)}}, "answers"),
        ({"comment": "x" * 501}, "comment"),
    ],
)
def test_a_broken_channel_answer_or_comment_is_refused(changes: dict[str, object], error: str) -> None:
    with pytest.raises(ContractError, match=error):
        parse_rating("riyadh-hq-d12", json.dumps(BASE | changes).encode())


def test_an_answer_to_a_question_nobody_knows_is_kept_as_given() -> None:
    assert parse_message(Rating, BASE | {"answers": {"retired_question": "maybe"}}).answers == {
        "retired_question": "maybe"
    }


def test_the_shipped_survey_asks_the_ministrys_two_questions() -> None:
    assert [(q.id, q.kind, [o.code for o in q.options]) for q in DEFAULT_SURVEY.questions] == [
        ("obstacles", "yesno", ["yes", "no"]),
        ("applicant", "choice", ["citizen", "resident", "company"]),
    ]
    config = DeviceConfig(site_id="s1", desk_id="d1", desk_name_ar="١", desk_name_en="1")
    assert config.survey.every_n == 0  # a config without a survey asks nothing
    with_survey = parse_message(DeviceConfig, config.model_dump() | {"survey": DEFAULT_SURVEY.model_dump()})
    assert with_survey.survey == DEFAULT_SURVEY
