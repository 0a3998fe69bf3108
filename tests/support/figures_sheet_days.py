"""Nine days of a centre as the "centre in figures" sheet sees it, ending yesterday (issue 19 point 3).

Site-a ("Riyadh service centre") has two halls; its survey adds an overall-satisfaction scale
question (``satisfaction``, ``overall = true``) to the ministry's two. Each day: 6 desk ratings
in the men's hall and 3 in the women's (each answering the satisfaction question), 2 phone calls
(an integration's pseudo-device, no hall) and 1 rating link (the link page's pseudo-device).
The span asked for runs from 9 days ago to 20 days ahead: it holds today, so "per working day"
divides by the working days (Sunday to Thursday) from its first day to today.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from collector.fleet.sites import SectionEntry, SiteEntry, SitesFile, apply_sites
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.ingest.contacts import integration_device
from collector.people.auth import Accounts
from collector.store import Store
from collector.web.routes.link import LINK_DEVICE
from shared.clock import format_time
from shared.contract import DEFAULT_SURVEY, Survey, SurveyQuestion
from tests.support.two_sites_today import CALENDAR, PASSWORDS, desk_config, make_rating

NOW = "2026-11-28T12:00:00.000Z"
DAYS = 9
SITE = ("مركز خدمات الرياض", "Riyadh service centre")
MINISTRY = ("وزارة الخدمات العامة", "Ministry of Public Services")
SATISFACTION = SurveyQuestion(
    id="satisfaction",
    kind="scale",
    text_ar="ما مدى رضاك عن الخدمة بشكل عام؟",
    text_en="Overall, how satisfied are you with the service?",
    overall=True,
)
DESK_SCORES = [5, 4, 3, 5, 2, 5, 4, 4, 1]  # the ratings' mean: 33/9 = 3.67
ANSWERS = [5, 5, 5, 4, 4, 5, 5, 4, 4]  # the survey's: 41/9 = 4.56
PER_DAY = {"men-hall": 6, "women-hall": 3, "call": 2, "link": 1}


def span(today: date) -> tuple[date, date]:
    return today - timedelta(days=DAYS), today + timedelta(days=20)


def seed_sheet(store: Store, today: date) -> dict[str, Any]:
    """The nine days and the site, a supervisor (sup-a); the figures the sheet must show."""
    sections = [
        SectionEntry(id="men-hall", name_ar="قاعة الرجال", name_en="Men's hall"),
        SectionEntry(id="women-hall", name_ar="قاعة النساء", name_en="Women's hall"),
    ]
    apply_sites(store, SitesFile(sites=[SiteEntry(id="site-a", name_ar=SITE[0], name_en=SITE[1],
                                                  sections=sections)]), NOW)  # fmt: skip
    survey = Survey(every_n=1, questions=[*DEFAULT_SURVEY.questions, SATISFACTION])
    for device, desk, hall in (("dev-a1", "desk-01", "men-hall"), ("dev-a2", "desk-02", "women-hall")):
        config = desk_config("site-a", desk, hall).model_copy(update={"survey": survey})
        store.devices.register(device, config, NOW)
    seqs: dict[str, int] = {}
    batch, places = [], {}
    first, _ = span(today)
    for k in range(DAYS):  # from the span's first day to yesterday
        start = datetime.combine(first + timedelta(days=k), datetime.min.time(), CALENDAR.zone) + timedelta(hours=10)
        for i in range(sum(PER_DAY.values())):
            device, extra = _source(i)
            seqs[device] = seqs.get(device, 0) + 1
            score = DESK_SCORES[i % 9]
            rating = make_rating(device, seqs[device], score, start + timedelta(minutes=5 * i), "E1", **extra)
            batch.append(rating)
            if not device.startswith("dev-"):
                places[rating.id] = ("site-a", None)
    store_batch(store, Batch(batch, rating_places=places), format_time(datetime.now(UTC)))
    Accounts(store).add_user("sup-a", "supervisor", ["site-a"], PASSWORDS["sup-a"])
    desk = [r for r in batch if r.device_id.startswith("dev-")]
    return {
        "count": len(batch),
        "ratings_mean": round(sum(r.score for r in batch) / len(batch), 2),
        "survey_mean": round(sum(ANSWERS) / len(ANSWERS), 2),
        "survey_n": len(desk),
        "halls": {"men-hall": 6 / 12, "women-hall": 3 / 12},
        "unplaced": {"call": 2 / 12, "link": 1 / 12},
        "working_days": sum(1 for k in range(DAYS + 1) if (first + timedelta(days=k)).weekday() in CALENDAR.weekdays),
    }


def _source(i: int) -> tuple[str, dict[str, Any]]:
    """The i-th rating of a day: 6 in the men's hall, 3 in the women's, 2 calls, a link."""
    if i < 9:
        answers = {"satisfaction": ANSWERS[i], "obstacles": "no", "applicant": "citizen"}
        return ("dev-a1" if i < 6 else "dev-a2"), {"answers": answers}
    if i < 11:
        return integration_device("ivr"), {"channel": "call"}
    return LINK_DEVICE, {"channel": "link"}
