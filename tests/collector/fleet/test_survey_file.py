"""A site's survey as sites.toml writes it (collector/fleet/survey_file.py): read strictly, every mistake named,
and turned into the contract's Survey the site's desks ask.

The same tables read from a whole sites file and sent to the desks are tested in
tests/collector/fleet/test_sites_survey.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from collector.fleet.survey_file import YES_NO, SurveyEntry, site_survey
from shared.contract import DEFAULT_SURVEY

SCALE = {"id": "satisfaction", "kind": "scale", "text_ar": "ما مدى رضاك؟", "text_en": "How satisfied are you?"}
CHOICE = {
    "id": "applicant",
    "kind": "choice",
    "text_ar": "أنت:",
    "text_en": "You are:",
    "options": [
        {"code": "citizen", "label_ar": "مواطن", "label_en": "A citizen"},
        {"code": "resident", "label_ar": "مقيم", "label_en": "A resident"},
    ],
}


def entry(*questions: dict[str, Any], **survey: Any) -> SurveyEntry:
    return SurveyEntry.model_validate({**survey, "questions": list(questions)})


def refusal(*questions: dict[str, Any], **survey: Any) -> str:
    with pytest.raises(ValidationError) as refused:
        entry(*questions, **survey)
    return str(refused.value)


def test_a_site_without_a_survey_table_asks_the_ministry_s_survey() -> None:
    assert site_survey(None) == DEFAULT_SURVEY


def test_every_n_alone_asks_the_ministry_s_questions_at_the_site_s_rhythm() -> None:
    survey = site_survey(SurveyEntry(every_n=3))
    assert (survey.every_n, survey.questions) == (3, DEFAULT_SURVEY.questions)


def test_a_yes_no_question_gets_its_yes_and_no_and_a_scale_none() -> None:
    yesno = {**SCALE, "id": "obstacles", "kind": "yesno"}
    survey = entry(yesno, SCALE).survey()
    assert survey.questions[0].options == list(YES_NO)
    assert survey.questions[1].options == []


def test_a_choice_question_keeps_its_options_in_order() -> None:
    [question] = entry(CHOICE).survey().questions
    assert [(o.code, o.label_en) for o in question.options] == [("citizen", "A citizen"), ("resident", "A resident")]


def test_one_scale_question_may_ask_the_overall_satisfaction() -> None:
    assert entry({**SCALE, "overall": True}).survey().questions[0].overall


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ({**CHOICE, "kind": "yesno", "overall": False}, "only a choice question lists options (yesno has its own)"),
        ({**CHOICE, "options": CHOICE["options"][:1]}, "options: needs 2 to 12, has 1"),
        ({**CHOICE, "options": CHOICE["options"] * 7}, "options: needs 2 to 12, has 14"),
        ({**CHOICE, "options": [CHOICE["options"][0]] * 2}, "options: code 'citizen' is defined twice"),
        ({**CHOICE, "overall": True}, "overall: only a scale question (1 to 5) can ask the overall satisfaction"),
        ({**SCALE, "colour": "green"}, "colour"),
        ({**SCALE, "id": "Satisfaction"}, "id"),
        ({**SCALE, "kind": "free_text"}, "kind"),
    ],
)
def test_a_broken_question_is_refused_saying_which_question_and_what_to_fix(
    question: dict[str, Any], says: str
) -> None:
    assert says in refusal(question)


def test_a_question_id_given_twice_is_refused() -> None:
    assert "survey: questions: id 'satisfaction' is defined twice" in refusal(SCALE, SCALE)


def test_two_overall_questions_are_refused_naming_both() -> None:
    second = {**SCALE, "id": "again", "overall": True}
    assert "overall = true on satisfaction and again; mark one question only" in refusal(
        {**SCALE, "overall": True}, second
    )


@pytest.mark.parametrize("every_n", [-1, 1001, "5", 2.5])
def test_every_n_is_a_whole_number_from_0_to_1000(every_n: Any) -> None:
    assert "every_n" in refusal(every_n=every_n)
