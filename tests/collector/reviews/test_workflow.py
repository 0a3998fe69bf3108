"""Closing a review and adding a response (collector/reviews/workflow.py), called directly on a real store file:
who may see which review, who may close it, and the refusals each side turns into its own answer.

The seeded day (tests/support/two_sites_today.py) has four negative ratings, so four open reviews: at
site-a, desk-01's 4th (E2, a 1) and 6th (E2, a 2) and desk-02's 3rd (E3); at site-b, dev-b1's 1st (B7).
The same rules over HTTP, in forms and JSON, are tested in tests/collector/reviews/test_rules.py,
tests/collector/web/test_employee_pages.py and tests/collector/api/test_security.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from collector.reviews.rules import ReviewError
from collector.reviews.workflow import (
    REFUSALS,
    ReviewClosed,
    ReviewNotFound,
    ReviewRefused,
    close,
    respond,
    review_in_scope,
)
from collector.store import Store
from tests.support.two_sites_today import seed


@dataclass(frozen=True)
class Reader:
    name: str
    sites: list[str] | None = None
    employee_id: str | None = None

    def site_scope(self) -> list[str] | None:
        return self.sites


ADMIN = Reader("admin")
SUP_A = Reader("sup-a", ["site-a"])
SUP_B = Reader("sup-b", ["site-b"])
E2 = Reader("emp-e2", ["site-a"], employee_id="E2")
E3 = Reader("emp-e3", ["site-a"], employee_id="E3")


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The seeded day's database file (seeded once: its accounts' passwords take a while to hash) and the
    rating id of each open review: a1-4, a1-6, a2-3, b1-1."""
    path = tmp_path_factory.mktemp("workflow") / "seeded.db"
    store = Store(path)
    try:
        ratings = seed(store)["ratings"]
    finally:
        store.close()
    ids = {f"{r.device_id[4:]}-{r.seq}": r.id for r in ratings if r.score <= 2}
    assert sorted(ids) == ["a1-4", "a1-6", "a2-3", "b1-1"]
    return path, ids


@pytest.fixture
def seeded(seeded_file: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[tuple[Store, dict[str, str]]]:
    """A fresh copy of the seeded day for each test, open as a store."""
    path, ids = seeded_file
    store = Store(Path(shutil.copy(path, tmp_path / "taqyeem.db")))
    yield store, ids
    store.close()


def closing(store: Store, reader: Reader, rating_id: str, **fields: Any) -> dict[str, Any]:
    values = {"cause": "waiting_time", "action": "coaching", "note": "Spoke with the team about the queue."}
    return close(store, reader, rating_id, **(values | fields))


def test_a_supervisor_sees_a_review_of_their_sites_with_presence_at_the_tap(seeded: tuple[Store, dict]) -> None:
    store, ids = seeded
    item = review_in_scope(store, SUP_A, ids["a1-4"])
    assert item["rating"]["id"] == ids["a1-4"] and item["review"]["status"] == "open"
    assert "presence" in item


def test_an_admin_sees_a_review_at_any_site(seeded: tuple[Store, dict]) -> None:
    store, ids = seeded
    assert review_in_scope(store, ADMIN, ids["b1-1"])["rating"]["site_id"] == "site-b"


def test_a_review_at_another_site_is_answered_as_one_that_does_not_exist(seeded: tuple[Store, dict]) -> None:
    store, ids = seeded
    with pytest.raises(ReviewNotFound) as elsewhere:
        review_in_scope(store, SUP_B, ids["a1-4"])
    with pytest.raises(ReviewNotFound) as nowhere:
        review_in_scope(store, SUP_B, "0193a7e2-7a10-7000-8000-00000000dead")
    assert str(elsewhere.value) == str(nowhere.value) == "no review for that rating in your sites"


def test_an_employee_sees_their_own_review_and_a_colleague_s_as_one_that_does_not_exist(
    seeded: tuple[Store, dict],
) -> None:
    store, ids = seeded
    assert review_in_scope(store, E2, ids["a1-6"])["rating"]["employee_id"] == "E2"
    with pytest.raises(ReviewNotFound, match=r"^no review for that rating among yours$"):
        review_in_scope(store, E3, ids["a1-6"])


def test_closing_records_the_closure_and_answers_the_closed_review(seeded: tuple[Store, dict]) -> None:
    store, ids = seeded
    item = closing(store, SUP_A, ids["a1-4"], cause="system_outage")
    review = item["review"]
    assert (review["status"], review["closed_by"], review["cause"], review["action"]) == (
        "closed",
        "sup-a",
        "system_outage",
        "coaching",
    )
    assert not review["attributable"]  # a system outage is not the employee's doing, unless the closer says so


def test_the_closer_may_hold_a_rating_against_the_employee_whatever_the_cause(seeded: tuple[Store, dict]) -> None:
    store, ids = seeded
    assert closing(store, SUP_A, ids["a1-4"], cause="system_outage", attributable="yes")["review"]["attributable"]


def test_a_review_closed_once_cannot_be_closed_again(seeded: tuple[Store, dict]) -> None:
    store, ids = seeded
    closing(store, SUP_A, ids["a2-3"])
    with pytest.raises(ReviewClosed, match="already closed; add to it with an employee response"):
        closing(store, ADMIN, ids["a2-3"], cause="other")


def test_an_employee_may_never_close_even_their_own_review(seeded: tuple[Store, dict]) -> None:
    store, ids = seeded
    with pytest.raises(ReviewRefused, match="never close it"):
        closing(store, E2, ids["a1-4"])
    assert review_in_scope(store, SUP_A, ids["a1-4"])["review"]["status"] == "open"


def test_a_closing_that_breaks_the_rules_says_which_field_to_fix_and_leaves_the_review_open(
    seeded: tuple[Store, dict],
) -> None:
    store, ids = seeded
    with pytest.raises(ReviewError, match=r"^note is required"):
        closing(store, SUP_A, ids["a1-4"], note="   ")
    with pytest.raises(ReviewError, match=r"^cause must be one of"):
        closing(store, SUP_A, ids["a1-4"], cause="bad-luck")
    assert review_in_scope(store, SUP_A, ids["a1-4"])["review"]["status"] == "open"


def test_a_review_at_another_site_cannot_be_closed_or_answered(seeded: tuple[Store, dict]) -> None:
    store, ids = seeded
    with pytest.raises(ReviewNotFound):
        closing(store, SUP_A, ids["b1-1"])
    with pytest.raises(ReviewNotFound):
        respond(store, SUP_A, ids["b1-1"], "Not mine to answer.")


def test_an_employee_s_response_is_kept_in_the_history_with_their_staff_number(seeded: tuple[Store, dict]) -> None:
    store, ids = seeded
    item = respond(store, E2, ids["a1-6"], "  The system was slow that morning.  ")
    assert item["review"]["response"] == "The system was slow that morning."
    [event] = [e for e in item["history"] if e["kind"] == "response"]
    assert (event["actor"], event["data"]) == ("emp-e2", {"response": item["review"]["response"], "employee_id": "E2"})


def test_a_response_may_still_be_added_after_the_review_is_closed(seeded: tuple[Store, dict]) -> None:
    store, ids = seeded
    closing(store, SUP_A, ids["a1-6"])
    assert (
        respond(store, SUP_A, ids["a1-6"], "Noted by the employee.")["review"]["response"] == "Noted by the employee."
    )


def test_an_empty_response_is_refused(seeded: tuple[Store, dict]) -> None:
    store, ids = seeded
    with pytest.raises(ReviewError, match=r"^response is required"):
        respond(store, E2, ids["a1-6"], "")


def test_every_refusal_is_one_a_side_turns_into_its_own_answer() -> None:
    assert set(REFUSALS) == {ReviewNotFound, ReviewClosed, ReviewRefused, ReviewError}
