"""The HR export's CSV of employees, read strictly: every error names its line.

The file (docs/deployment.md, "The employee registry"):

- UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8" writes one);
- a header row naming exactly these columns, in any order:
  ``employee_id,name_ar,name_en,site_id,section_id,active``;
- one employee per line; ``section_id`` may be empty; ``active`` is ``1``/``0``,
  ``true``/``false`` or ``yes``/``no`` (empty: ``1``). Blank lines are skipped.

Example::

    employee_id,name_ar,name_en,site_id,section_id,active
    E1042,نورة العتيبي,Noura Alotaibi,riyadh-hq,women-hall,1
    E1043,خالد الحربي,Khalid Alharbi,riyadh-hq,,1
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import ValidationError

from collector.fleet.errors import RegistryError
from collector.fleet.registry import EmployeeEntry
from shared.contract import describe_validation_error

COLUMNS = ("employee_id", "name_ar", "name_en", "site_id", "section_id", "active")
TRUE, FALSE = {"1", "true", "yes", ""}, {"0", "false", "no"}
MAX_ERRORS = 20  # a file with a wrong column mapping would otherwise print every line


def read_employees_file(path: Path) -> tuple[list[EmployeeEntry], dict[str, str]]:
    """The entries of a CSV file and, per employee id, ``FILE line N`` for later errors."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RegistryError(f"employees file {path} does not exist") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RegistryError(
            f"{path} line {line}: not UTF-8; in Excel save it as 'CSV UTF-8 (Comma delimited)'"
        ) from None
    return read_employees_csv(text, str(path))


def read_employees_csv(text: str, source: str = "the CSV") -> tuple[list[EmployeeEntry], dict[str, str]]:
    """Entries from CSV text (a leading byte-order mark is ignored); RegistryError lists the bad lines."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown or len(header) != len(set(header)):
        raise RegistryError(
            f"{source} line 1: the header must name exactly the columns {','.join(COLUMNS)}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
        )
    entries: list[EmployeeEntry] = []
    where: dict[str, str] = {}
    errors: list[str] = []
    for cells in reader:
        line = f"{source} line {reader.line_num}"
        if not any(c.strip() for c in cells):
            continue
        try:
            entry = _entry(dict(zip(header, cells, strict=True)))
        except ValueError as exc:  # zip's length check, a bad active, a model error
            errors.append(f"{line}: {_why(exc, len(cells), len(header))}")
            continue
        if entry.employee_id in where:
            errors.append(f"{line}: employee {entry.employee_id} is already on {where[entry.employee_id]}")
            continue
        where[entry.employee_id] = line
        entries.append(entry)
    if errors:
        more = f"\n... and {len(errors) - MAX_ERRORS} more" if len(errors) > MAX_ERRORS else ""
        advice = "\nnothing was imported; fix the lines and run again"
        raise RegistryError("\n".join(errors[:MAX_ERRORS]) + more + advice)
    return entries, where


def _entry(cells: dict[str, str]) -> EmployeeEntry:
    active = cells["active"].strip().lower()
    if active not in TRUE | FALSE:
        raise ValueError(f"active must be 1 or 0 (or true/false, yes/no), not {cells['active']!r}")
    return EmployeeEntry(
        employee_id=cells["employee_id"],
        name_ar=cells["name_ar"],
        name_en=cells["name_en"],
        site_id=cells["site_id"].strip(),
        section_id=cells["section_id"].strip() or None,
        active=active in TRUE,
    )


def _why(exc: ValueError, cells: int, columns: int) -> str:
    if isinstance(exc, ValidationError):
        return describe_validation_error(exc)
    if cells != columns:
        return f"{cells} cells where the header has {columns} columns (a comma inside a name needs quotes)"
    return str(exc)
