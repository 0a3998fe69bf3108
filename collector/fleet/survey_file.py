"""A site's periodic survey as sites.toml writes it (issue 10 item 5), checked strictly.

::

    [sites.survey]             # optional; without it the site asks the ministry's
    every_n = 5                # two shipped questions (shared.contract.DEFAULT_SURVEY)
                               # every 5th visitor; every_n = 0 asks nothing; with
                               # every_n alone, the shipped questions at that rhythm
      [[sites.survey.questions]]
      id = "obstacles"
      kind = "yesno"           # options Yes/No (نعم/لا) are added by themselves
      text_ar = "هل واجهت أي عائق في تقديم طلبك؟"
      text_en = "Did you meet any obstacle in submitting your request?"

      [[sites.survey.questions]]
      id = "applicant"
      kind = "choice"          # 2 to 12 options, each a code with two labels
      text_ar = "أنت:"
      text_en = "You are:"
        [[sites.survey.questions.options]]
        code = "citizen"
        label_ar = "مواطن"
        label_en = "A citizen"

A ``scale`` question (1 to 5) has no options; one scale question may say
``overall = true``: it asks the visitor's overall satisfaction, and the printable
"centre in figures" sheet heads with its mean (collector/reports/figures.py). The result is
the contract's ``Survey``, which goes into every desk's DeviceConfig of the site.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from shared.contract import DEFAULT_SURVEY, MAX_ANSWERS, REASON_PATTERN, Survey, SurveyOption, SurveyQuestion

Label = Annotated[str, Field(min_length=1, max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=200)]
Code = Annotated[str, Field(pattern=REASON_PATTERN)]
YES_NO = (
    SurveyOption(code="yes", label_ar="نعم", label_en="Yes"),
    SurveyOption(code="no", label_ar="لا", label_en="No"),
)
MIN_CHOICES, MAX_CHOICES = 2, 12


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OptionEntry(_Strict):
    code: Code
    label_ar: Label
    label_en: Label


class QuestionEntry(_Strict):
    id: Code
    kind: Literal["yesno", "choice", "scale"]
    text_ar: Text
    text_en: Text
    options: list[OptionEntry] = []
    overall: StrictBool = False  # the overall-satisfaction question: a scale, at most one per survey

    @model_validator(mode="after")
    def _options_fit_the_kind(self) -> QuestionEntry:
        where = f"survey question {self.id}"
        if self.overall and self.kind != "scale":
            raise ValueError(f"{where}: overall: only a scale question (1 to 5) can ask the overall satisfaction")
        if self.kind != "choice" and self.options:
            raise ValueError(f"{where}: options: only a choice question lists options ({self.kind} has its own)")
        if self.kind == "choice" and not MIN_CHOICES <= len(self.options) <= MAX_CHOICES:
            raise ValueError(f"{where}: options: needs {MIN_CHOICES} to {MAX_CHOICES}, has {len(self.options)}")
        seen: set[str] = set()
        for option in self.options:
            if option.code in seen:
                raise ValueError(f"{where}: options: code {option.code!r} is defined twice")
            seen.add(option.code)
        return self

    def question(self) -> SurveyQuestion:
        options = {"yesno": list(YES_NO), "scale": []}.get(self.kind)
        if options is None:
            options = [SurveyOption(**o.model_dump()) for o in self.options]
        texts = {"text_ar": self.text_ar, "text_en": self.text_en}
        return SurveyQuestion(id=self.id, kind=self.kind, **texts, options=options, overall=self.overall)


class SurveyEntry(_Strict):
    every_n: Annotated[StrictInt, Field(ge=0, le=1000)] = DEFAULT_SURVEY.every_n
    questions: Annotated[list[QuestionEntry], Field(max_length=MAX_ANSWERS)] = []

    @model_validator(mode="after")
    def _unique_ids(self) -> SurveyEntry:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"survey: questions: id {question.id!r} is defined twice")
            seen.add(question.id)
        overall = [q.id for q in self.questions if q.overall]
        if len(overall) > 1:
            raise ValueError(f"survey: questions: overall = true on {' and '.join(overall)}; mark one question only")
        return self

    def survey(self) -> Survey:
        """Without questions of its own, the site asks the shipped ones at its own rhythm."""
        if not self.questions:
            return Survey(every_n=self.every_n, questions=DEFAULT_SURVEY.questions)
        return Survey(every_n=self.every_n, questions=[q.question() for q in self.questions])


def site_survey(entry: SurveyEntry | None) -> Survey:
    """The survey a site's desks ask: its own, or the ministry's shipped default."""
    return DEFAULT_SURVEY if entry is None else entry.survey()
