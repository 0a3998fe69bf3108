"""The periodic survey's models (contract 1.1: DeviceConfig ``survey``), and the ministry's shipped default.

Re-exported by ``shared.contract``; kept apart so that module stays readable.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, StrictInt, model_serializer

CODE_PATTERN = r"^[a-z0-9_]{1,32}$"  # a question id or option code: the same rule as a reason code
MAX_QUESTIONS = 10  # as many as a rating may carry answers (shared.contract.MAX_ANSWERS)


class SurveyOption(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    code: Annotated[str, Field(pattern=CODE_PATTERN)]
    label_ar: Annotated[str, Field(min_length=1, max_length=80)]
    label_en: Annotated[str, Field(min_length=1, max_length=80)]


class SurveyQuestion(BaseModel):
    """One question of the periodic survey (1.1): yes/no, a choice, or a 1-5 scale."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    id: Annotated[str, Field(pattern=CODE_PATTERN)]
    kind: Literal["yesno", "choice", "scale"]
    text_ar: Annotated[str, Field(min_length=1, max_length=200)]
    text_en: Annotated[str, Field(min_length=1, max_length=200)]
    options: Annotated[list[SurveyOption], Field(max_length=12)] = []
    # 1.2: this scale question asks the visitor's overall satisfaction (the sites file allows one per
    # survey); the collector's "centre in figures" sheet heads with its mean. Tablets ignore it.
    overall: bool = False

    @model_serializer(mode="wrap")
    def _overall_only_when_marked(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """An unmarked question travels as in 1.1: configs already sent stay the same, byte for byte."""
        data: dict[str, Any] = handler(self)
        if not self.overall:
            data.pop("overall", None)
        return data


class Survey(BaseModel):
    """Asked after the rating of every ``every_n``-th visitor (0: never); always skippable."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    every_n: Annotated[StrictInt, Field(ge=0, le=1000)] = 5
    questions: Annotated[list[SurveyQuestion], Field(max_length=MAX_QUESTIONS)] = []


# The ministry's questionnaire: no obstacle met, and who the applicant is (men and women come from the hall).
DEFAULT_SURVEY = Survey(
    every_n=5,
    questions=[
        SurveyQuestion(
            id="obstacles",
            kind="yesno",
            text_ar="هل واجهت أي عائق في تقديم طلبك؟",
            text_en="Did you meet any obstacle in submitting your request?",
            options=[
                SurveyOption(code="yes", label_ar="نعم", label_en="Yes"),
                SurveyOption(code="no", label_ar="لا", label_en="No"),
            ],
        ),
        SurveyQuestion(
            id="applicant",
            kind="choice",
            text_ar="أنت:",
            text_en="You are:",
            options=[
                SurveyOption(code="citizen", label_ar="مواطن", label_en="A citizen"),
                SurveyOption(code="resident", label_ar="مقيم", label_en="A resident"),
                SurveyOption(code="company", label_ar="شركة أو مؤسسة", label_en="A company or institution"),
            ],
        ),
    ],
)
