"""The review rota (pure): who is next in turn, skipping anyone away; a section's own turn or the site's."""

from __future__ import annotations

from datetime import date

from collector.reviews.rota import SITE_WIDE, Rota, next_owner


def test_the_next_owner_follows_the_last_in_turn_and_wraps_around() -> None:
    turn = ("sara", "khalid", "omar")
    assert next_owner(turn, None, set()) == "sara"
    assert next_owner(turn, "sara", set()) == "khalid"
    assert next_owner(turn, "omar", set()) == "sara"


def test_anyone_away_is_skipped_and_nobody_is_left_when_all_are_away() -> None:
    turn = ("sara", "khalid", "omar")
    assert next_owner(turn, "sara", {"khalid"}) == "omar"
    assert next_owner(turn, "omar", {"SARA"}) == "khalid"  # user names compare without case
    assert next_owner(turn, "sara", set(turn)) is None
    assert next_owner((), None, set()) is None


def test_a_last_owner_no_longer_in_the_rota_starts_the_turn_again() -> None:
    assert next_owner(("sara", "khalid"), "someone-removed", set()) == "sara"


def test_a_section_takes_its_own_turn_or_else_the_sites() -> None:
    rota = Rota("riyadh-hq", supervisors={SITE_WIDE: ("sara",), "men-hall": ("omar", "khalid")})
    assert rota.in_turn("men-hall") == ("omar", "khalid")
    assert rota.in_turn("women-hall") == ("sara",)
    assert rota.in_turn(None) == ("sara",)
    assert rota.reviewers() == {"sara", "omar", "khalid"}


def test_a_rota_survives_its_trip_through_json() -> None:
    rota = Rota(
        "riyadh-hq",
        supervisors={SITE_WIDE: ("سارة", "khalid")},
        managers=("huda",),
        director="abdullah",
        closes_at="15:00",
        working_days=("sun", "mon"),
        holidays=("2026-12-02",),
    )
    assert Rota.from_json("riyadh-hq", rota.to_json()) == rota


def test_weekends_and_holidays_are_not_working_days() -> None:
    rota = Rota("s", holidays=("2026-12-09",))
    assert rota.is_working_day(date(2026, 12, 6))  # a Sunday
    assert not rota.is_working_day(date(2026, 12, 11))  # a Friday
    assert not rota.is_working_day(date(2026, 12, 9))  # a holiday
