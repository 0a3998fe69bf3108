"""The periodic survey's steps on the kiosk (issue 10 item 5): pure, like ``device.kiosk.flow``.

Every ``every_n``-th visitor of this desk (``due``; the kiosk counts stored
ratings in the outbox's settings, so a restart keeps the rhythm) is asked the
config's questions after the rating, and after the reasons of a negative one:
one question at a time, skippable as a whole. The tap is held meanwhile and
stored once, with the answers given, when the visitor answers the last
question or skips (then thanked), or leaves a question untouched for
``Timings.survey_s`` (then the kiosk rests at once: ``flow.tick``), so the
rating never waits on the survey and the next visitor never waits either.
"""

from __future__ import annotations

from dataclasses import replace

from device.kiosk import flow
from shared.contract import DeviceConfig, Survey, SurveyQuestion

SCALE = (1, 2, 3, 4, 5)  # a scale question's answers, drawn 1 to 5 left to right in both languages


def due(visitor: int, survey: Survey) -> bool:
    """Whether the desk's ``visitor``-th rating (counted from 1) is asked the survey."""
    return survey.every_n > 0 and bool(survey.questions) and visitor % survey.every_n == 0


def question(state: flow.KioskState, config: DeviceConfig) -> SurveyQuestion | None:
    """The question on screen, or None (no survey open, or a live config took it away)."""
    questions = config.survey.questions
    if state.screen != "survey" or state.question >= len(questions):
        return None
    return questions[state.question]


def answer(
    state: flow.KioskState,
    value: str | int,
    now: float,
    config: DeviceConfig,
    employee_id: str | None,
    timings: flow.Timings,
) -> flow.Outcome:
    """The visitor chose ``value`` (an option code, or 1..5 on a scale): the next question, or the end."""
    shown = question(state, config)
    if shown is None or state.pending is None:
        return flow.Outcome(state, refused="no survey question shown")
    valid = value in SCALE if shown.kind == "scale" else value in {o.code for o in shown.options}
    if not valid or isinstance(value, bool):
        return flow.Outcome(state, refused=f"{value!r} does not answer {shown.id}")
    answers = (*((q, a) for q, a in state.pending.answers if q != shown.id), (shown.id, value))
    state = replace(state, pending=replace(state.pending, answers=answers), question=state.question + 1)
    if state.question >= len(config.survey.questions):
        return flow.end_survey(state, now, config, employee_id, timings, thank=True)
    return flow.Outcome(replace(state, deadline=now + timings.survey_s))


def skip(
    state: flow.KioskState, now: float, config: DeviceConfig, employee_id: str | None, timings: flow.Timings
) -> flow.Outcome:
    """The visitor pressed Skip: the rest of the survey is left out; the answers given so far are kept."""
    return flow.end_survey(state, now, config, employee_id, timings, thank=True)


def progress(state: flow.KioskState, config: DeviceConfig) -> tuple[int, int]:
    """(the question's number from 1, how many questions): what the screen shows as "1 / 2"."""
    return state.question + 1, len(config.survey.questions)
