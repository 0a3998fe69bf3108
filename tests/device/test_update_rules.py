"""The update path's rules without a network: the wheel's checks, the trial's verdicts, a rollback's files."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from device.updates.layout import Releases, UpdateRecord
from device.updates.rollback import check, forget_refusals
from device.updates.trial import MAX_STARTS, Trial, judge
from device.updates.version import running_version
from device.updates.wheel import WheelRefused, check_wheel, unpack, unsafe_name
from shared.releases import UpdateReport
from tests.support.tablet_releases import make_wheel


def _zip(entries: dict[str, bytes], *, symlink: str | None = None) -> zipfile.ZipFile:
    buffer = io.BytesIO(make_wheel("0.2.0", extra=entries))
    if symlink is not None:
        with zipfile.ZipFile(buffer, "a") as archive:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, "/etc/passwd")
    return zipfile.ZipFile(buffer)


@pytest.mark.parametrize(
    ("name", "why"),
    [("../evil.py", "'..'"), ("/etc/cron.d/x", "absolute"), ("device\\x.py", "backslash"), ("C:/x.py", "absolute")],
)
def test_a_name_that_would_leave_the_slot_is_named_as_such(name: str, why: str) -> None:
    assert why in (unsafe_name(name) or "")


def test_names_inside_the_slot_are_fine() -> None:
    assert unsafe_name("device/kiosk/root.py") is None
    assert unsafe_name("taqyeem-0.2.0.dist-info/METADATA") is None


@pytest.mark.parametrize(
    ("entries", "symlink", "words"),
    [
        ({"device/../../escape.py": b"x"}, None, "'..'"),
        ({"device/speedups.cpython-311-aarch64-linux-gnu.so": b"\x7fELF"}, None, "not pure Python"),
        ({}, "device/link-out", "symbolic link"),
    ],
)
def test_an_unsafe_or_compiled_wheel_is_refused(entries: dict[str, bytes], symlink: str | None, words: str) -> None:
    with pytest.raises(WheelRefused, match=words):
        check_wheel(_zip(entries, symlink=symlink), "0.2.0")


def test_a_wheel_of_another_version_or_without_the_tablets_program_is_refused() -> None:
    with pytest.raises(WheelRefused, match=r"own version is 0\.2\.0, not the signed 0\.3\.0"):
        check_wheel(_zip({}), "0.3.0")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shared/__init__.py", "")
    with pytest.raises(WheelRefused, match="does not hold the tablet's program"):
        check_wheel(zipfile.ZipFile(buffer), "0.2.0")


def test_a_platform_wheel_is_refused() -> None:
    data = make_wheel("0.2.0")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.endswith("/WHEEL"):
                body = body.replace(b"Root-Is-Purelib: true", b"Root-Is-Purelib: false")
            archive.writestr(info, body)
    with pytest.raises(WheelRefused, match="Root-Is-Purelib"):
        check_wheel(zipfile.ZipFile(buffer), "0.2.0")


def test_unpack_fills_the_slot_and_the_version_is_read_from_its_dist_info(tmp_path: Path) -> None:
    wheel = tmp_path / "taqyeem-0.2.0-py3-none-any.whl"
    wheel.write_bytes(make_wheel("0.2.0"))
    slot = tmp_path / "releases" / "a"
    slot.mkdir(parents=True)
    (slot / "left-over-from-before.py").write_text("")
    unpack(wheel, "0.2.0", slot)
    assert (slot / "device" / "kiosk" / "root.kv").is_file()
    assert not (slot / "left-over-from-before.py").exists()
    assert not list(slot.parent.glob(".*unpacking"))
    assert running_version(slot / "device") == "0.2.0"


def test_a_refused_wheel_leaves_the_slot_as_it_was(tmp_path: Path) -> None:
    wheel = tmp_path / "bad.whl"
    wheel.write_bytes(make_wheel("0.2.0", extra={"../../x.py": b""}))
    slot = tmp_path / "a"
    slot.mkdir()
    (slot / "kept.py").write_text("")
    with pytest.raises(WheelRefused):
        unpack(wheel, "0.2.0", slot)
    assert (slot / "kept.py").exists() and not (tmp_path / "x.py").exists()


def _trial(**changes: object) -> Trial:
    values: dict[str, object] = {
        "version": "0.2.0",
        "slot": "b",
        "previous": "a",
        "previous_version": "0.1.5",
        "started_at": "2026-12-01T04:00:00.000Z",
        "boot_id": "boot-1",
        "started_mono": 100.0,
    }
    return Trial.model_validate(values | changes)


def test_more_than_three_starts_on_trial_roll_back() -> None:
    trial = _trial()
    for _ in range(MAX_STARTS):
        verdict = judge(trial, boot_id="boot-1", mono=110.0, starting=True)
        assert verdict.roll_back is None
        trial = verdict.trial
    verdict = judge(trial, boot_id="boot-1", mono=110.0, starting=True)
    assert verdict.roll_back is not None and "started 3 times" in verdict.roll_back
    assert "0.1.5 runs again" in verdict.roll_back


def test_a_trial_older_than_its_time_rolls_back_and_a_reboot_restarts_its_clock() -> None:
    assert judge(_trial(), boot_id="boot-1", mono=399.0, starting=False).roll_back is None
    late = judge(_trial(), boot_id="boot-1", mono=401.0, starting=False).roll_back
    assert late is not None and "did not come online within 5 min" in late
    rebooted = judge(_trial(), boot_id="boot-2", mono=5000.0, starting=True)
    assert rebooted.roll_back is None and rebooted.trial.started_mono == 5000.0 and rebooted.trial.starts == 1


def test_check_rolls_back_to_the_previous_slot_and_remembers_why(tmp_path: Path) -> None:
    releases = Releases(tmp_path / "releases")
    releases.point_current("b")
    releases.write_trial(_trial(boot_id="another-boot", starts=MAX_STARTS))
    result = check(releases, starting=True)
    assert result.rolled_back is not None
    assert releases.current_slot() == "a" and os.readlink(releases.current_link) == "a"
    record = releases.read_record()
    assert record.rolled_back == "0.2.0" and record.report is not None and record.report.state == "rolled_back"
    assert not releases.trial_file.exists()
    assert check(releases, starting=True).rolled_back is None  # nothing on trial any more
    forget_refusals(releases)
    assert releases.read_record().rolled_back is None


def test_a_damaged_trial_goes_back_to_the_base_install(tmp_path: Path) -> None:
    releases = Releases(tmp_path / "releases")
    releases.point_current("a")
    releases.trial_file.write_text("{not json")
    result = check(releases, starting=False)
    assert result.rolled_back is not None and "base install" in result.rolled_back
    assert releases.current_slot() is None


def test_a_damaged_record_reads_as_empty(tmp_path: Path) -> None:
    releases = Releases(tmp_path / "releases")
    releases.write_record(UpdateRecord(report=UpdateReport(version="0.2.0", state="done")))
    assert releases.read_record().report is not None
    releases.record_file.write_text("\x00garbage")
    assert releases.read_record() == UpdateRecord()


def test_a_link_planted_in_the_releases_folder_is_never_written_through(tmp_path: Path) -> None:
    """The timer's check runs as root in the kiosk user's folder: a planted symlink must not redirect its writes."""
    releases = Releases(tmp_path / "releases")
    releases.folder.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    (releases.folder / f".update.json.{os.getpid()}").symlink_to(victim)
    releases.record_file.symlink_to(victim)
    releases.write_record(UpdateRecord(rolled_back="0.2.0"))
    assert victim.read_text() == "keep me"
    assert not releases.record_file.is_symlink() and releases.read_record().rolled_back == "0.2.0"
