"""The employee registry in the store, on a real SQLite file: saved, listed, named, staffed, PINs as hashes only."""

from __future__ import annotations

from pathlib import Path

from collector.store import Store
from tests.support.db_files import rows

NOW = "2026-11-28T09:00:00.000Z"


def employee(employee_id: str, site_id: str = "riyadh-hq", **extra: object) -> dict[str, object]:
    row = {"employee_id": employee_id, "name_ar": f"موظف {employee_id}", "name_en": f"Employee {employee_id}"}
    return {**row, "site_id": site_id, "section_id": None, "active": True, **extra}


def test_saved_employees_are_listed_by_id_with_whether_a_pin_is_set_never_the_hash(store: Store) -> None:
    store.employees.save([employee("E2"), employee("E1", section_id="men-hall")], "it", NOW)
    assert store.employees.set_pin("E1", "pbkdf2_sha256$600000$00$11", "cli:sara", NOW)

    listed = store.employees.rows()
    assert [r["employee_id"] for r in listed] == ["E1", "E2"]
    assert listed[0] == {
        "employee_id": "E1",
        "name_ar": "موظف E1",
        "name_en": "Employee E1",
        "site_id": "riyadh-hq",
        "section_id": "men-hall",
        "active": True,
        "pin_set": True,
        "pin_set_at": NOW,
    }
    assert not any("pin_hash" in r for r in listed)
    assert store.employees.get("E2")["pin_set"] is False  # type: ignore[index]
    assert store.employees.get("E9") is None


def test_an_update_keeps_the_pin_and_a_site_filter_and_scope_narrow_the_list(store: Store) -> None:
    store.employees.save([employee("E1"), employee("E2", site_id="jeddah")], "it", NOW)
    store.employees.set_pin("E1", "pbkdf2_sha256$600000$00$11", "it", NOW)
    store.employees.save([employee("E1", name_en="Noura", active=False)], "it", NOW)

    assert store.employees.state()["E1"]["pin_hash"] == "pbkdf2_sha256$600000$00$11"
    assert store.employees.get("E1")["active"] is False  # type: ignore[index]
    assert [r["employee_id"] for r in store.employees.rows(sites=["jeddah"])] == ["E2"]
    assert [r["employee_id"] for r in store.employees.rows(site_id="riyadh-hq")] == ["E1"]
    assert store.employees.rows(sites=[]) == []


def test_names_come_in_one_query_for_many_ids_and_unknown_ids_are_simply_absent(store: Store) -> None:
    store.employees.save([employee(f"E{n}") for n in range(1200)], "it", NOW)
    names = store.employees.names([f"E{n}" for n in range(1300)] + [None, ""])  # type: ignore[list-item]
    assert len(names) == 1200
    assert names["E7"] == ("موظف E7", "Employee E7")
    assert "E1250" not in names


def test_staff_is_the_active_employees_of_a_site_with_their_sections_and_hashes(store: Store) -> None:
    store.employees.save([employee("E1"), employee("E2", active=False), employee("E3", site_id="jeddah")], "it", NOW)
    store.employees.set_pin("E1", "pbkdf2_sha256$600000$aa$bb", "it", NOW)
    names = {"name_ar": "موظف E1", "name_en": "Employee E1"}
    assert store.employees.staff("riyadh-hq") == [
        {"employee_id": "E1", **names, "section_id": None, "pin_hash": "pbkdf2_sha256$600000$aa$bb"}
        | {"pin_withdrawn_at": None}
    ]


def test_a_devices_held_hashes_are_those_set_before_its_last_config_and_withdrawing_them_is_logged(
    store: Store,
) -> None:
    store.employees.save([employee("E1"), employee("E2"), employee("E3")], "it", NOW)
    for employee_id in ("E1", "E2", "E3"):
        store.employees.set_pin(employee_id, f"pbkdf2_sha256$600000$aa${employee_id}", "it", "2026-11-28T08:00:00.000Z")
    store.employees.note_hashes_sent("desk-a", ["E1", "E2"], "2026-11-28T09:00:00.000Z")
    store.employees.set_pin("E2", "pbkdf2_sha256$600000$aa$new", "it", "2026-11-28T10:00:00.000Z")  # after: not held
    assert store.employees.hashes_held_by("desk-a") == ["E1"]
    assert store.employees.hashes_held_by("desk-b") == []

    store.employees.withdraw_pins(["E1"], "desk-a", "cli:it", "2026-11-28T11:00:00.000Z")
    state = store.employees.state()["E1"]
    assert (state["pin_hash"], state["pin_withdrawn_at"]) == (None, "2026-11-28T11:00:00.000Z")
    event = store.employees.events("E1")[0]
    assert (event["kind"], event["actor"], event["data"]) == ("pin_withdrawn", "cli:it", {"lost_device": "desk-a"})
    store.employees.set_pin("E1", "pbkdf2_sha256$600000$aa$again", "e1", "2026-11-28T12:00:00.000Z")
    assert store.employees.state()["E1"]["pin_withdrawn_at"] is None  # a new PIN ends the withdrawal


def test_the_change_log_says_who_did_what_and_never_holds_a_pin_hash(store: Store, db_path: Path) -> None:
    store.employees.save([employee("E1")], "cli:it", NOW, "import")
    assert store.employees.set_pin("E1", "pbkdf2_sha256$600000$aa$secret", "cli:sara", NOW)
    assert not store.employees.set_pin("E404", "pbkdf2_sha256$600000$aa$bb", "cli:sara", NOW)

    events = store.employees.events("E1")
    assert [(e["kind"], e["actor"]) for e in events] == [("pin_set", "cli:sara"), ("import", "cli:it")]
    assert events[1]["data"]["name_ar"] == "موظف E1"
    assert not any("secret" in str(r) for r in rows(db_path, "SELECT * FROM employee_events"))
