"""Employees' names wherever an id shows: the one lookup the API, the pages, the CSV and the alerts use.

A ``NameBook`` holds the names of the employees one page, CSV, stream or alert
needs: ``load`` reads the ids it has not seen yet in one query
(``store.employees.names``), so a page of 100,000 ratings costs a query per
batch of new ids, never one per row. An id the registry does not know is kept
as received and shown as "unknown employee (E1004)" / "موظف غير معروف (E1004)";
a rating without an employee shows as before (None here).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from collector.store import Store

UNKNOWN = {"ar": "موظف غير معروف ({id})", "en": "unknown employee ({id})"}


def unknown_label(employee_id: str, lang: str) -> str:
    return UNKNOWN["ar" if lang == "ar" else "en"].format(id=employee_id)


class NameBook:
    """(Arabic, English) names by employee id, read in batches and kept for the life of one page or stream."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._known: dict[str, tuple[str, str] | None] = {}

    def load(self, employee_ids: Iterable[str | None]) -> NameBook:
        """Read the names of the ids not seen yet: one query (per 500 new ids)."""
        missing = {i for i in employee_ids if i and i not in self._known}
        if missing:
            found = self._store.employees.names(missing)
            self._known.update({i: found.get(i) for i in missing})
        return self

    def names(self, employee_id: str | None) -> tuple[str | None, str | None]:
        """(Arabic, English), or (None, None) for no employee or one not in the registry."""
        if not employee_id:
            return None, None
        if employee_id not in self._known:
            self.load([employee_id])
        return self._known[employee_id] or (None, None)

    def label(self, employee_id: str | None, lang: str) -> str | None:
        """The name in ``lang``; the unknown-employee label for an id not in the registry; None for no employee."""
        if not employee_id:
            return None
        name_ar, name_en = self.names(employee_id)
        if name_ar is None or name_en is None:
            return unknown_label(employee_id, lang)
        return name_ar if lang == "ar" else name_en

    def shown(self, employee_id: str | None) -> tuple[str | None, str | None]:
        """(Arabic, English) as a table shows them: the names, else the unknown-employee labels; None for none."""
        return self.label(employee_id, "ar"), self.label(employee_id, "en")

    def named(self, row: dict[str, Any], *, labels: bool = False, prefix: str = "employee_") -> dict[str, Any]:
        """The row with ``{prefix}name_ar``/``_en``: None when unknown (the API), or with ``labels`` as shown."""
        employee_id = row.get("employee_id")
        name_ar, name_en = self.shown(employee_id) if labels else self.names(employee_id)
        return {**row, f"{prefix}name_ar": name_ar, f"{prefix}name_en": name_en}

    def named_all(self, rows: list[dict[str, Any]], *, labels: bool = False) -> list[dict[str, Any]]:
        """Each row named, after one ``load`` for all of them."""
        self.load(r.get("employee_id") for r in rows)
        return [self.named(r, labels=labels) for r in rows]


def name_report(store: Store, report: dict[str, Any], *, labels: bool = False) -> dict[str, Any]:
    """A daily report with names, added after its figures: ``name_ar``/``name_en`` on each ``by_employee``
    row (as desks have them; the CSV's name column reads them) and ``employee_name_ar``/``_en`` on each
    unreviewed negative. None when unknown, or with ``labels`` the unknown-employee labels (CSV, pages).
    """
    by_employee, negatives = report.get("by_employee", []), report.get("unreviewed_negatives", [])
    book = NameBook(store).load([r.get("employee_id") for r in by_employee + negatives])
    for row in by_employee:
        named = book.named(row, labels=labels, prefix="")
        row["name_ar"], row["name_en"] = named["name_ar"], named["name_en"]
    report["unreviewed_negatives"] = book.named_all(negatives, labels=labels)
    return report


def name_employee_table(store: Store, table: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The Employees table (``collector.reports.daily.employees``) with ``name_ar``/``name_en`` (None when unknown)."""
    book = NameBook(store).load(e["employee_id"] for rows in table.values() for e in rows)
    for rows in table.values():
        for entry in rows:
            entry["name_ar"], entry["name_en"] = book.names(entry["employee_id"])
    return table
