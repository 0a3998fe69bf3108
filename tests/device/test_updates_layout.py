"""The releases folder's records and links (device/updates/layout.py): damaged ones read as empty, never followed."""

from __future__ import annotations

import os
from pathlib import Path

from device.updates.layout import Releases, UpdateRecord
from shared.releases import UpdateReport


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
