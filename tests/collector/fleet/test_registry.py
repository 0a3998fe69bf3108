"""The employee registry's rules: sites.toml employees, the HR CSV, plans, staff in configs, PINs (fake publisher)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from collector.fleet.errors import ConfigPublishError, RegistryError, SitesFileError, WeakPinError
from collector.fleet.registry import EmployeeEntry, apply_employees, check_places, set_employee_pin
from collector.fleet.registry_csv import read_employees_csv, read_employees_file
from collector.fleet.sites import apply_sites, load_sites_file
from collector.fleet.staff import staffed
from collector.store import Store
from shared.contract import DeviceConfig
from shared.pins import EMPLOYEE_ITERATIONS, verify_pin

NOW = "2026-11-28T09:00:00.000Z"

SITES = """
[defaults]
sign_out_idle_min = 20

[[sites]]
id = "riyadh-hq"
name_ar = "المقر الرئيسي"
name_en = "Riyadh headquarters"

  [[sites.sections]]
  id = "women-hall"
  name_ar = "قاعة النساء"
  name_en = "Women's hall"

  [[sites.desks]]
  id = "desk-01"
  name_ar = "مكتب ١"
  name_en = "Desk 1"
  closes_at = "15:30"

  [[sites.employees]]
  id = "E1042"
  name_ar = "نورة العتيبي"
  name_en = "Noura Alotaibi"
  section = "women-hall"

  [[sites.employees]]
  id = "E1043"
  name_ar = "خالد الحربي"
  name_en = "Khalid Alharbi"

[[sites]]
id = "jeddah"
name_ar = "مركز جدة"
name_en = "Jeddah centre"
"""


class FakePublisher:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, DeviceConfig | None]] = []
        self.fail = fail

    def publish(self, device_id: str, config: DeviceConfig | None) -> None:
        if self.fail:
            raise ConfigPublishError("the broker is down")
        self.sent.append((device_id, config))


@pytest.fixture
def sites_file(tmp_path: Path) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(SITES)
    return path


@pytest.fixture
def store(tmp_path: Path, sites_file: Path) -> Iterator[Store]:
    store = Store(tmp_path / "collector.db")
    apply_sites(store, load_sites_file(sites_file), NOW)
    yield store
    store.close()


def _device(store: Store, device_id: str = "riyadh-hq-desk-01-aaaaaa") -> str:
    config = store.sites.desk_config("riyadh-hq", "desk-01")
    assert config is not None
    store.devices.provision(device_id, config, "it", NOW)
    return device_id


def entry(employee_id: str, **extra: object) -> EmployeeEntry:
    values = {"name_ar": "سارة القحطاني", "name_en": "Sara Alqahtani", "site_id": "riyadh-hq", **extra}
    return EmployeeEntry.model_validate({"employee_id": employee_id, **values})


# --- sites.toml -------------------------------------------------------------------------------


def test_sites_apply_creates_the_employees_of_the_file_and_twice_changes_nothing(
    store: Store, sites_file: Path
) -> None:
    assert [r["employee_id"] for r in store.employees.rows()] == ["E1042", "E1043"]
    assert store.employees.get("E1042")["section_id"] == "women-hall"  # type: ignore[index]
    again = apply_sites(store, load_sites_file(sites_file), NOW)
    assert not again.employees.changed and not again.plan.changed
    assert store.employees.events("E1042")[0]["kind"] == "sites_file"


def test_an_employee_left_out_of_the_file_is_kept_and_reported(store: Store, sites_file: Path) -> None:
    sites_file.write_text(SITES.replace('id = "E1043"', 'id = "E1044"'))
    applied = apply_sites(store, load_sites_file(sites_file), NOW)
    assert applied.employees.created == ["employee E1044"]
    assert applied.employees.not_in_source == ["E1043"]
    assert store.employees.get("E1043")["active"] is True  # type: ignore[index]  # kept as it was


def test_the_desk_settings_for_signing_out_reach_the_device_config(store: Store) -> None:
    config = store.sites.desk_config("riyadh-hq", "desk-01")
    assert config is not None and config.sign_out_idle_min == 20 and config.closes_at == "15:30"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (('section = "women-hall"', 'section = "men-hall"'), "employee E1042 names section 'men-hall'"),
        (('id = "E1043"', 'id = "E1042"'), "employee 'E1042' is defined twice"),
        (('name_en = "Khalid Alharbi"', 'name_en = "Khalid Alharbi"\n  pin = "1234"'), "pin: unknown key"),
        (('closes_at = "15:30"', 'closes_at = "25:00"'), "closes_at"),
    ],
)
def test_a_bad_employee_in_the_sites_file_is_named(tmp_path: Path, change: tuple[str, str], error: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(SITES.replace(*change))
    with pytest.raises(SitesFileError, match=error):
        load_sites_file(path)


def test_sites_apply_sends_the_new_staff_to_the_sites_devices_before_saving(store: Store, sites_file: Path) -> None:
    device_id = _device(store)
    sites_file.write_text(SITES.replace('name_en = "Khalid Alharbi"', 'name_en = "Khalid Al-Harbi"'))
    with pytest.raises(SitesFileError, match="pass --config or --broker"):
        apply_sites(store, load_sites_file(sites_file), NOW)
    assert store.employees.get("E1043")["name_en"] == "Khalid Alharbi"  # type: ignore[index]  # nothing saved

    publisher = FakePublisher()
    applied = apply_sites(store, load_sites_file(sites_file), NOW, publisher)
    assert applied.employees.updated == ["employee E1043"]
    [(sent_to, config)] = publisher.sent
    assert sent_to == device_id and config is not None
    assert [(m.employee_id, m.name_en) for m in config.staff] == [
        ("E1042", "Noura Alotaibi"),
        ("E1043", "Khalid Al-Harbi"),
    ]
    assert store.devices.config(device_id).staff == []  # type: ignore[union-attr]  # the database keeps it without


# --- the HR export's CSV ---------------------------------------------------------------------

CSV = (
    "\ufeffemployee_id,name_ar,name_en,site_id,section_id,active\r\n"
    "E1044,سارة القحطاني,Sara Alqahtani,riyadh-hq,women-hall,1\r\n"
    "\r\n"
    'E1045,فهد الدوسري,"Aldosari, Fahd",jeddah,,\r\n'
    "E1043,خالد الحربي,Khalid Alharbi,riyadh-hq,,0\r\n"
)


def test_the_csv_takes_a_bom_arabic_names_quoted_commas_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(CSV.encode("utf-8"))
    entries, where = read_employees_file(path)
    assert [(e.employee_id, e.name_ar, e.name_en, e.section_id, e.active) for e in entries] == [
        ("E1044", "سارة القحطاني", "Sara Alqahtani", "women-hall", True),
        ("E1045", "فهد الدوسري", "Aldosari, Fahd", None, True),
        ("E1043", "خالد الحربي", "Khalid Alharbi", None, False),
    ]
    assert where["E1043"] == f"{path} line 5"


def test_the_columns_may_come_in_any_order_but_must_be_exactly_these() -> None:
    entries, _ = read_employees_csv("active,site_id,section_id,name_en,name_ar,employee_id\n0,jeddah,,B,ب,E1\n")
    assert entries[0].active is False and entries[0].site_id == "jeddah"
    with pytest.raises(RegistryError, match=r"line 1: .*missing active; unknown status"):
        read_employees_csv("employee_id,name_ar,name_en,site_id,section_id,status\n")


def test_every_bad_line_is_named_and_nothing_is_taken() -> None:
    text = (
        "employee_id,name_ar,name_en,site_id,section_id,active\n"
        "E1,أ,A,riyadh-hq,,1\n"
        "E2,,B,riyadh-hq,,1\n"
        "E3,ج,C,Riyadh HQ,,1\n"
        "E4,د,D,riyadh-hq,,maybe\n"
        "E5,هـ,E,riyadh-hq,,1,extra\n"
        "E1,أ,A,riyadh-hq,,1\n"
    )
    with pytest.raises(RegistryError) as caught:
        read_employees_csv(text, "hr.csv")
    message = str(caught.value)
    for line, why in [
        (3, "name_ar"),
        (4, "site_id"),
        (5, "active must be 1 or 0"),
        (6, "7 cells where the header has 6"),
        (7, "employee E1 is already on hr.csv line 2"),
    ]:
        assert f"hr.csv line {line}: {why}" in message
    assert "line 2:" not in message and message.endswith("nothing was imported; fix the lines and run again")


def test_a_file_that_is_not_utf8_says_where_and_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes("employee_id,name_ar,name_en,site_id,section_id,active\nE1,نورة,N,riyadh-hq,,1\n".encode("cp1256"))
    with pytest.raises(RegistryError, match=r"line 2: not UTF-8; in Excel save it as 'CSV UTF-8"):
        read_employees_file(path)


def test_sites_and_sections_must_exist_and_every_bad_one_is_named(store: Store) -> None:
    entries = [entry("E1", section_id="men-hall"), entry("E2", site_id="mecca"), entry("E3")]
    with pytest.raises(RegistryError) as caught:
        check_places(store, entries, {"E1": "hr.csv line 2", "E2": "hr.csv line 3"})
    assert "hr.csv line 2: section 'men-hall' is not a section of site riyadh-hq" in str(caught.value)
    assert "hr.csv line 3: site 'mecca' does not exist" in str(caught.value)


# --- applying entries, PINs ------------------------------------------------------------------


def test_applying_is_idempotent_and_a_dry_run_changes_nothing(store: Store) -> None:
    entries, _ = read_employees_csv(CSV)
    dry = apply_employees(store, entries, actor="it", now=NOW, publisher=None, kind="import", dry_run=True)
    assert dry.plan.created == ["employee E1044", "employee E1045"] and dry.plan.updated == ["employee E1043"]
    assert store.employees.get("E1044") is None

    applied = apply_employees(store, entries, actor="it", now=NOW, publisher=None, kind="import")
    assert applied.plan.changed and store.employees.get("E1043")["active"] is False  # type: ignore[index]
    again = apply_employees(store, entries, actor="it", now=NOW, publisher=None, kind="import")
    assert not again.plan.changed and again.device_ids == []


def test_a_deactivated_employee_leaves_the_staff_of_the_sites_desks(store: Store) -> None:
    device_id = _device(store)
    publisher = FakePublisher()
    apply_employees(store, [entry("E1043", active=False)], actor="it", now=NOW, publisher=publisher, kind="api")
    [(sent_to, config)] = publisher.sent
    assert sent_to == device_id and config is not None
    assert [m.employee_id for m in config.staff] == ["E1042"]
    assert [m.employee_id for m in staffed(store, store.devices.config(device_id)).staff] == ["E1042"]  # type: ignore[arg-type]


def test_moving_an_employee_republishes_both_sites_and_only_theirs(store: Store) -> None:
    riyadh = _device(store)
    publisher = FakePublisher()
    apply_employees(store, [entry("E1", site_id="jeddah")], actor="it", now=NOW, publisher=publisher, kind="api")
    assert publisher.sent == []  # jeddah has no devices; riyadh's staff did not change
    apply_employees(store, [entry("E1")], actor="it", now=NOW, publisher=publisher, kind="api")
    assert [d for d, _ in publisher.sent] == [riyadh]


def test_a_broker_that_fails_leaves_nothing_saved(store: Store) -> None:
    _device(store)
    with pytest.raises(ConfigPublishError):
        apply_employees(store, [entry("E9")], actor="it", now=NOW, publisher=FakePublisher(fail=True), kind="api")
    assert store.employees.get("E9") is None
    with pytest.raises(ConfigPublishError, match="pass --config or --broker"):
        apply_employees(store, [entry("E9")], actor="it", now=NOW, publisher=None, kind="api")


def test_a_pin_is_kept_and_sent_only_as_a_slow_salted_hash(store: Store) -> None:
    device_id = _device(store)
    publisher = FakePublisher()
    sent = set_employee_pin(store, "E1042", "246810", actor="cli:sara", now=NOW, publisher=publisher)
    assert sent == [device_id]
    stored = store.employees.state()["E1042"]["pin_hash"]
    _, iterations, salt, digest = stored.split("$")  # only a salt and a digest in hex: no PIN in clear
    assert (int(iterations), len(bytes.fromhex(salt)), len(bytes.fromhex(digest))) == (EMPLOYEE_ITERATIONS, 16, 32)
    assert verify_pin("246810", stored) and not verify_pin("246811", stored)
    config = publisher.sent[0][1]
    assert config is not None and config.staff_member("E1042").pin_hash == stored  # type: ignore[union-attr]
    assert store.employees.events("E1042")[0]["actor"] == "cli:sara"


@pytest.mark.parametrize(
    ("pin", "weakness"),
    [
        *[("123", "length"), ("123456789", "length"), ("12a4", "not_digits"), (" ", "not_digits")],
        *[("12³4", "not_digits"), ("5555", "repeated"), ("1234", "run"), ("٩٨٧٦", "run")],
    ],
)
def test_a_weak_pin_is_refused_with_its_reason_and_nothing_is_stored(store: Store, pin: str, weakness: str) -> None:
    with pytest.raises(WeakPinError) as refused:
        set_employee_pin(store, "E1042", pin, actor="it", now=NOW, publisher=None)
    assert refused.value.weakness == weakness and isinstance(refused.value, RegistryError)
    assert store.employees.state()["E1042"]["pin_hash"] is None


def test_a_pin_typed_in_arabic_digits_is_the_same_pin(store: Store) -> None:
    set_employee_pin(store, "E1042", "٢٤٦٨", actor="it", now=NOW, publisher=None)
    assert verify_pin("2468", store.employees.state()["E1042"]["pin_hash"])


def test_a_pin_for_an_unknown_employee_is_refused(store: Store) -> None:
    with pytest.raises(RegistryError, match="no employee 'E404'"):
        set_employee_pin(store, "E404", "1234", actor="it", now=NOW, publisher=None)
