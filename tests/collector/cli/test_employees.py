"""``taqyeem employees``: import the HR CSV (BOM, Arabic, bad lines, dry run), list, and set a PIN unseen."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import cli
from collector.fleet.sites import apply_sites, load_sites_file
from collector.store import Store
from shared.pins import EMPLOYEE_ITERATIONS, WEAKNESS_TEXTS, verify_pin
from tests.support.db_files import rows

NOW = "2026-11-28T09:00:00.000Z"
SITES = """
[[sites]]
id = "riyadh-hq"
name_ar = "المقر الرئيسي"
name_en = "Riyadh headquarters"

  [[sites.sections]]
  id = "women-hall"
  name_ar = "قاعة النساء"
  name_en = "Women's hall"
"""
HR = (
    "employee_id,name_ar,name_en,site_id,section_id,active\n"
    "E1042,نورة العتيبي,Noura Alotaibi,riyadh-hq,women-hall,1\n"
    "E1043,خالد الحربي,Khalid Alharbi,riyadh-hq,,0\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "taqyeem.db"
    sites = tmp_path / "sites.toml"
    sites.write_text(SITES)
    store = Store(path)
    apply_sites(store, load_sites_file(sites), NOW)
    store.close()
    return path


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["employees", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_import_takes_a_bom_and_arabic_names_and_twice_changes_nothing(tmp_path: Path, db: Path) -> None:
    csv_file = tmp_path / "hr.csv"
    csv_file.write_bytes(("\ufeff" + HR).encode("utf-8"))

    code, out, err = invoke("import", str(csv_file), "--db", str(db))
    assert code == 0, err
    assert out.splitlines() == ["created employee E1042", "created employee E1043"]
    assert invoke("import", str(csv_file), "--db", str(db))[1] == "no changes: the registry already matches the file\n"
    assert rows(db, "SELECT employee_id, name_ar, active FROM employees ORDER BY 1") == [
        ("E1042", "نورة العتيبي", 1),
        ("E1043", "خالد الحربي", 0),
    ]
    _, listed, _ = invoke("list", "--db", str(db))
    assert listed.splitlines()[0] == "E1042\triyadh-hq\twomen-hall\tactive, no PIN\tNoura Alotaibi\tنورة العتيبي"


def test_a_dry_run_says_what_would_change_and_changes_nothing(tmp_path: Path, db: Path) -> None:
    csv_file = tmp_path / "hr.csv"
    csv_file.write_text(HR, encoding="utf-8")
    code, out, _ = invoke("import", str(csv_file), "--dry-run", "--db", str(db))
    assert code == 0
    assert out.splitlines() == [
        "would be created employee E1042",
        "would be created employee E1043",
        "dry run: nothing was changed",
    ]
    assert rows(db, "SELECT count(*) FROM employees") == [(0,)]


def test_bad_lines_are_named_in_one_error_and_nothing_is_imported(tmp_path: Path, db: Path) -> None:
    csv_file = tmp_path / "hr.csv"
    csv_file.write_text(HR + "E1044,,Sara,riyadh-hq,,1\nE1045,فهد,Fahd,riyadh-hq,men-hall,1\n", encoding="utf-8")
    code, out, err = invoke("import", str(csv_file), "--db", str(db))
    assert code == 1 and out == ""
    assert err.startswith(f"Error: {csv_file} line 4: name_ar:")
    assert "Traceback" not in err
    assert rows(db, "SELECT count(*) FROM employees") == [(0,)]

    csv_file.write_text(HR + "E1045,فهد,Fahd,riyadh-hq,men-hall,1\n", encoding="utf-8")
    code, _, err = invoke("import", str(csv_file), "--db", str(db))
    assert code == 1 and f"{csv_file} line 4: section 'men-hall' is not a section of site riyadh-hq" in err


def test_pin_asks_twice_without_echo_and_keeps_only_a_hash(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv_file = tmp_path / "hr.csv"
    csv_file.write_text(HR, encoding="utf-8")
    invoke("import", str(csv_file), "--db", str(db))
    module = importlib.import_module("collector.cli.employees")  # the attribute of collector.cli is the group
    monkeypatch.setattr(module, "at_a_terminal", lambda: True)

    code, out, err = invoke("pin", "E1042", "--db", str(db), stdin="482913\n482913\n")
    assert code == 0, err
    assert "482913" not in out + err
    assert out.count("PIN (4-8 digits):") == 1 and "Repeat for confirmation:" in out
    assert "PIN set for employee E1042" in out
    [(pin_hash,)] = rows(db, "SELECT pin_hash FROM employees WHERE employee_id = 'E1042'")
    assert pin_hash.startswith(f"pbkdf2_sha256${EMPLOYEE_ITERATIONS}$") and verify_pin("482913", pin_hash)
    dump = "\n".join(str(r) for t in ("employees", "employee_events") for r in rows(db, f"SELECT * FROM {t}"))  # noqa: S608
    assert "482913" not in re.sub(r"[0-9a-f]{32,}", "<hex>", dump)  # a salt or digest in hex may hold it by chance
    assert rows(db, "SELECT kind, actor FROM employee_events WHERE kind = 'pin_set'")[0][1].startswith("cli")
    assert "active, PIN set" in invoke("list", "--db", str(db))[1]


def test_pin_reads_stdin_when_it_is_not_a_terminal_and_refuses_a_bad_pin(tmp_path: Path, db: Path) -> None:
    csv_file = tmp_path / "hr.csv"
    csv_file.write_text(HR, encoding="utf-8")
    invoke("import", str(csv_file), "--db", str(db))
    assert invoke("pin", "E1043", "--db", str(db), stdin="2468\n")[0] == 0
    [(pin_hash,)] = rows(db, "SELECT pin_hash FROM employees WHERE employee_id = 'E1043'")
    assert verify_pin("2468", pin_hash)

    code, _, err = invoke("pin", "E1043", "--db", str(db), stdin="12\n")
    assert code == 1 and err == "Error: a PIN is 4 to 8 digits\n"
    code, _, err = invoke("pin", "E1043", "--db", str(db), stdin="1234\n")
    assert code == 1 and err == f"Error: {WEAKNESS_TEXTS['run']}\n" and "a run of digits (like 1234" in err
    code, _, err = invoke("pin", "E1043", "--db", str(db), stdin="7777\n")
    assert code == 1 and "one digit repeated" in err
    assert verify_pin("2468", rows(db, "SELECT pin_hash FROM employees WHERE employee_id = 'E1043'")[0][0])  # kept
    code, _, err = invoke("pin", "E404", "--db", str(db), stdin="2580\n")
    assert code == 1 and "no employee 'E404'" in err
    code, _, err = invoke("pin", "E1043", "--db", str(db), stdin="")
    assert code == 1 and "no PIN on standard input" in err
