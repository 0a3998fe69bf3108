"""The check from the base install (device/updates/rollback.py): back to the previous slot, and why."""

from __future__ import annotations

import os
from pathlib import Path

from device.updates.layout import Releases
from device.updates.rollback import check, forget_refusals
from device.updates.trial import MAX_STARTS
from tests.device.test_updates_trial import on_trial


def test_check_rolls_back_to_the_previous_slot_and_remembers_why(tmp_path: Path) -> None:
    releases = Releases(tmp_path / "releases")
    releases.point_current("b")
    releases.write_trial(on_trial(boot_id="another-boot", starts=MAX_STARTS))
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
