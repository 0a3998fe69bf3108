"""The periodic survey's models and the ministry's default (shared/survey.py), as a desk config carries them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.survey import DEFAULT_SURVEY, MAX_QUESTIONS, Survey, SurveyOption, SurveyQuestion


def question(qid: str = "satisfaction", **changes: object) -> SurveyQuestion:
    fields: dict[str, object] = {"id": qid, "kind": "scale", "text_ar": "ما مدى رضاك؟", "text_en": "How satisfied?"}
    return SurveyQuestion.model_validate(fields | changes)


def test_the_ministry_s_survey_asks_every_fifth_visitor_about_obstacles_and_who_they_are() -> None:
    assert DEFAULT_SURVEY.every_n == 5
    assert [(q.id, q.kind) for q in DEFAULT_SURVEY.questions] == [("obstacles", "yesno"), ("applicant", "choice")]
    assert [o.code for o in DEFAULT_SURVEY.questions[1].options] == ["citizen", "resident", "company"]
    assert all(o.label_ar and o.label_en for q in DEFAULT_SURVEY.questions for o in q.options)


def test_an_unmarked_question_travels_as_in_1_1_without_the_overall_key() -> None:
    assert "overall" not in question().model_dump()
    assert question(overall=True).model_dump()["overall"] is True


def test_a_survey_read_back_from_its_json_is_the_same_survey() -> None:
    survey = Survey(every_n=3, questions=[question(overall=True), *DEFAULT_SURVEY.questions])
    assert Survey.model_validate_json(survey.model_dump_json()) == survey


def test_keys_a_later_version_adds_are_ignored() -> None:
    assert question(colour="green") == question()


@pytest.mark.parametrize("qid", ["Satisfaction", "with space", "", "x" * 33, "ٍسؤال"])
def test_a_question_id_is_1_to_32_lowercase_letters_digits_or_underscores(qid: str) -> None:
    with pytest.raises(ValidationError, match="id"):
        question(qid)


def test_an_option_needs_a_code_and_both_labels() -> None:
    with pytest.raises(ValidationError, match="label_en"):
        SurveyOption(code="yes", label_ar="نعم", label_en="")


@pytest.mark.parametrize("every_n", [-1, 1001, "5"])
def test_every_n_is_a_whole_number_from_0_to_1000(every_n: object) -> None:
    with pytest.raises(ValidationError, match="every_n"):
        Survey.model_validate({"every_n": every_n})


def test_a_survey_holds_at_most_as_many_questions_as_a_rating_may_answer() -> None:
    Survey(questions=[question(f"q{n}") for n in range(MAX_QUESTIONS)])
    with pytest.raises(ValidationError, match="questions"):
        Survey(questions=[question(f"q{n}") for n in range(MAX_QUESTIONS + 1)])


def test_a_question_of_another_kind_is_refused() -> None:
    with pytest.raises(ValidationError, match="kind"):
        question(kind="free_text")


def test_the_models_are_frozen_so_a_config_sent_is_the_config_kept() -> None:
    with pytest.raises(ValidationError):
        DEFAULT_SURVEY.every_n = 1  # type: ignore[misc]
