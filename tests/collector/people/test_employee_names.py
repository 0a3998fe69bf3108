"""Employees' names wherever an id shows (collector/people/employee_names.py), read from a real store file:
the registry's names, the unknown-employee label for an id it does not hold, and one query per batch of new ids.

The names as the API, the pages and the CSV show them are tested over real HTTP in
tests/collector/api/test_employees.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from collector.people.employee_names import NameBook, name_employee_table, name_report, unknown_label
from collector.store import Store

NOW = "2026-11-28T09:00:00.000Z"
NOURA = ("نورة العتيبي", "Noura Alotaibi")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A store whose registry holds E1 (Noura) and E2 (Khalid, no longer active)."""
    store = Store(tmp_path / "taqyeem.db")
    people = [("E1", *NOURA, True), ("E2", "خالد الحربي", "Khalid Alharbi", False)]
    store.employees.save(
        [
            {"employee_id": i, "name_ar": ar, "name_en": en, "site_id": "site-a", "section_id": None, "active": on}
            for i, ar, en, on in people
        ],
        "test",
        NOW,
    )
    yield store
    store.close()


@pytest.fixture
def queries(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The ids each call of ``store.employees.names`` asked for, in order."""
    asked: list[set[str]] = []
    names = store.employees.names

    def counted(employee_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        ids = set(employee_ids)
        asked.append(ids)
        return names(ids)

    monkeypatch.setattr(store.employees, "names", counted)
    return asked


def test_an_id_nobody_holds_is_labelled_unknown_in_the_language_with_the_id_as_received() -> None:
    assert unknown_label("E1004", "ar") == "موظف غير معروف (E1004)"
    assert unknown_label("E1004", "en") == "unknown employee (E1004)"
    assert unknown_label("E1004", "fr") == "unknown employee (E1004)"  # any other language: English


def test_a_registered_employee_is_named_in_each_language_active_or_not(store: Store) -> None:
    book = NameBook(store)
    assert book.names("E1") == NOURA
    assert (book.label("E2", "ar"), book.label("E2", "en")) == ("خالد الحربي", "Khalid Alharbi")


def test_an_unregistered_id_has_no_names_but_shows_the_unknown_label(store: Store) -> None:
    book = NameBook(store)
    assert book.names("E404") == (None, None)
    assert book.shown("E404") == ("موظف غير معروف (E404)", "unknown employee (E404)")


def test_a_rating_without_an_employee_has_no_name_and_no_label(store: Store) -> None:
    book = NameBook(store)
    assert book.names(None) == (None, None) and book.names("") == (None, None)
    assert book.label(None, "ar") is None and book.shown(None) == (None, None)


def test_a_book_reads_the_ids_it_has_not_seen_in_one_query_and_never_again(
    store: Store, queries: list[set[str]]
) -> None:
    book = NameBook(store).load(["E1", "E2", "E404", None, "E1"])
    assert queries == [{"E1", "E2", "E404"}]
    for employee_id in ("E1", "E2", "E404"):
        book.shown(employee_id)
    book.load(["E1", "E404"])
    assert len(queries) == 1  # an unknown id is remembered as unknown, too
    book.names("E3")
    assert queries[1:] == [{"E3"}]  # an id not loaded is read when asked for


def test_named_rows_carry_the_names_none_for_the_api_or_the_labels_for_a_table(
    store: Store, queries: list[set[str]]
) -> None:
    rows: list[dict[str, Any]] = [{"employee_id": "E1", "score": 2}, {"employee_id": "E404"}, {"employee_id": None}]
    api = NameBook(store).named_all(rows)
    assert [(r["employee_name_ar"], r["employee_name_en"]) for r in api] == [NOURA, (None, None), (None, None)]
    assert api[0]["score"] == 2 and "employee_name_ar" not in rows[0]  # a new row; the one given is left alone
    shown = NameBook(store).named_all(rows, labels=True)
    assert shown[1]["employee_name_en"] == "unknown employee (E404)" and shown[2]["employee_name_en"] is None
    assert len(queries) == 2  # one per book


def test_a_daily_report_gains_names_on_its_employee_rows_and_its_unreviewed_negatives(store: Store) -> None:
    report: dict[str, Any] = {
        "by_employee": [{"employee_id": "E1", "count": 3}, {"employee_id": "E404", "count": 1}],
        "unreviewed_negatives": [{"rating_id": "r1", "employee_id": "E404"}],
    }
    named = name_report(store, report)
    assert [(r["name_ar"], r["name_en"]) for r in named["by_employee"]] == [NOURA, (None, None)]
    assert named["unreviewed_negatives"][0]["employee_name_en"] is None
    labelled = name_report(store, report, labels=True)
    assert labelled["by_employee"][1]["name_ar"] == "موظف غير معروف (E404)"
    assert labelled["unreviewed_negatives"][0]["employee_name_en"] == "unknown employee (E404)"


def test_the_employees_table_gains_names_and_none_for_an_id_nobody_holds(store: Store) -> None:
    table = name_employee_table(store, {"men-hall": [{"employee_id": "E1"}], "": [{"employee_id": "E404"}]})
    assert table == {
        "men-hall": [{"employee_id": "E1", "name_ar": NOURA[0], "name_en": NOURA[1]}],
        "": [{"employee_id": "E404", "name_ar": None, "name_en": None}],
    }
