"""Simulated desks: the real device core, one outbox per desk, tapping at a chosen pace."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from device.core import DeviceCore
from device.settings import DeviceSettings
from shared.contract import DEFAULT_REASONS, Survey

log = logging.getLogger("taqyeem.device.simulator")

# A centre that reports about 4.6 out of 5: mostly fives, a few negatives.
SCORE_WEIGHTS = {5: 0.74, 4: 0.15, 3: 0.04, 2: 0.04, 1: 0.03}


def pick_score(rng: random.Random) -> int:
    return rng.choices(list(SCORE_WEIGHTS), weights=list(SCORE_WEIGHTS.values()))[0]


def pick_reasons(rng: random.Random, score: int, negative_max_score: int = 2) -> list[str]:
    if score > negative_max_score:
        return []
    return rng.sample([r.code for r in DEFAULT_REASONS], k=rng.choice((0, 1, 1, 2)))


def pick_answers(survey: Survey, visitor: int, seed: str) -> dict[str, str | int]:
    """The survey's answers of the desk's ``visitor``-th rating: every n-th answers, some skip after the first.

    A generator of its own (seeded by desk and visitor), so the scores a seed gives stay as they were.
    """
    if survey.every_n == 0 or visitor % survey.every_n:
        return {}
    rng = random.Random(f"{seed}-{visitor}")
    answers: dict[str, str | int] = {}
    for question in survey.questions:
        if answers and rng.random() < 0.2:
            break  # pressed Skip
        answers[question.id] = rng.randint(1, 5) if question.kind == "scale" else rng.choice(question.options).code
    return answers


def desk_employee(number: int) -> str:
    """The employee serving simulated desk ``number``: E1001 at desk 1 (the demo names them)."""
    return f"E{1000 + number}"


@dataclass(frozen=True)
class SimulatedDesk:
    device_id: str
    employee_id: str
    core: DeviceCore


def open_desks(
    *,
    broker: str | None,
    password: str | None,
    count: int,
    prefix: str,
    data_dir: Path,
    ca_file: Path | None = None,
    resend_after_s: float = 30.0,
) -> list[SimulatedDesk]:
    desks = []
    for number in range(1, count + 1):
        device_id = f"{prefix}-{number:02d}"
        settings = DeviceSettings(
            device_id=device_id,
            data_dir=data_dir / device_id,
            broker=broker,
            password=password,
            ca_file=ca_file,
            resend_after_s=resend_after_s,
            max_in_flight=500,
        )
        core = DeviceCore(settings)
        employee = desk_employee(number)
        core.sign_in(employee)
        desks.append(SimulatedDesk(device_id, employee, core))
    return desks


def run_desk(
    desk: SimulatedDesk,
    ratings: int | None,
    interval_s: float,
    stop: threading.Event,
    rng: random.Random,
    on_rating: Callable[[int], None] | None = None,
) -> int:
    """Tap ``ratings`` times (None: until stopped), ``interval_s`` apart on average."""
    made = 0
    while (ratings is None or made < ratings) and not stop.is_set():
        score = pick_score(rng)
        lang = "ar" if rng.random() < 0.8 else "en"
        desk.core.rate(
            score,
            employee_id=desk.employee_id,
            reasons=pick_reasons(rng, score, desk.core.config.negative_max_score),
            visit_id=f"A-{rng.randint(1, 999)}",
            lang=lang,
            answers=pick_answers(desk.core.config.survey, made + 1, desk.device_id),
        )
        made += 1
        if on_rating is not None:
            on_rating(score)
        if interval_s > 0:
            stop.wait(rng.uniform(0.5, 1.5) * interval_s)
    return made


def wait_drained(desks: list[SimulatedDesk], timeout: float) -> bool:
    """Poll until every outbox is empty (every rating acked by the collector)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(d.core.outbox_depth() == 0 for d in desks):
            return True
        time.sleep(0.05)
    return False


def simulate(
    desks: list[SimulatedDesk],
    *,
    ratings: int | None,
    interval_s: float,
    stop: threading.Event,
    seed: int | None = None,
) -> int:
    """Run every desk in its own thread; returns the number of ratings taken."""
    counts = [0] * len(desks)

    def work(index: int) -> None:
        counts[index] = run_desk(
            desks[index], ratings, interval_s, stop, random.Random(None if seed is None else seed + index)
        )

    threads = [
        threading.Thread(target=work, args=(i,), name=f"sim-{d.device_id}", daemon=True) for i, d in enumerate(desks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts)
