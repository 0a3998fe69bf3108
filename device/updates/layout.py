"""The releases folder under the data dir, and the records kept there.

    <data_dir>/releases/
        a/, b/          the two slots: a release unpacked (device/, shared/, taqyeem-X.dist-info/ ...)
        current         a relative symlink to the slot in use; none: the base install runs
        trial.json      the switched version on trial (``trial.py``), until it comes online
        update.json     ``UpdateRecord``: the last report, the release refused or rolled back, the one ready
        downloads/      a download in progress
        .lock           taken (flock) by anything that reads and changes the files above

The kiosk unit puts ``<data_dir>/releases/current`` first on ``PYTHONPATH``. Every change is a
write to a new file then a rename, so a power cut leaves the old or the new file, never half of
one, and files written by root (the timer's check) stay replaceable by the kiosk's user.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from device.updates.trial import Trial
from shared.releases import Release, UpdateReport

log = logging.getLogger("taqyeem.device.updates")

SLOTS = ("a", "b")


class UpdateRecord(BaseModel):
    """``update.json``: what the tablet remembers about releases across restarts."""

    model_config = ConfigDict(extra="ignore")
    report: UpdateReport | None = None  # what Status.update says
    refused: Release | None = None  # refused for good (signature, hash, size, wheel): not tried again ...
    refused_key: str | None = None  # ... while the tablet's release_key is still this one
    rolled_back: str | None = None  # a version that failed its trial: not taken while the config names it
    ready: Release | None = None  # checked and unpacked in ``ready_slot``, waiting for the kiosk to rest
    ready_slot: str | None = None


def boot_id() -> str:
    """This boot's id (Linux); elsewhere a constant, so the trial's clock never restarts."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "unknown"


class Releases:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.current_link = folder / "current"
        self.trial_file = folder / "trial.json"
        self.record_file = folder / "update.json"
        self.downloads = folder / "downloads"

    # --- slots and the current link ------------------------------------------------------

    def current_slot(self) -> str | None:
        """The slot ``current`` points to, or None (the base install runs)."""
        try:
            target = os.readlink(self.current_link)
        except (FileNotFoundError, OSError):
            return None
        name = Path(target).name
        return name if name in SLOTS else None

    def spare_slot(self) -> str:
        """The slot not in use: where the next release is unpacked."""
        return "b" if self.current_slot() == "a" else "a"

    def slot_path(self, name: str) -> Path:
        if name not in SLOTS:
            raise ValueError(f"no slot {name!r}")
        return self.folder / name

    def point_current(self, slot: str | None) -> None:
        """Flip ``current`` to ``slot`` in one rename (None: remove it, the base install runs)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if slot is None:
            with contextlib.suppress(FileNotFoundError):
                self.current_link.unlink()
            return
        self.slot_path(slot)  # a known slot name
        fresh = self.folder / f".current-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            fresh.unlink()
        os.symlink(slot, fresh)
        os.replace(fresh, self.current_link)
        _sync_folder(self.folder)

    def clear_slot(self, name: str) -> None:
        shutil.rmtree(self.slot_path(name), ignore_errors=True)

    # --- records -------------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """One reader-writer of the records and the link at a time, across processes."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.folder / ".lock", os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def read_trial(self) -> Trial | None:
        """The trial, or None; raises ValueError for a damaged file."""
        try:
            text = self.trial_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            return Trial.model_validate_json(text)
        except ValidationError as exc:
            raise ValueError(f"{self.trial_file} is damaged: {exc.errors()[0]['msg']}") from None

    def write_trial(self, trial: Trial) -> None:
        self._write(self.trial_file, trial.model_dump_json())

    def drop_trial(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.trial_file.unlink()
        _sync_folder(self.folder)

    def read_record(self) -> UpdateRecord:
        """The record; a missing or damaged one reads as empty (logged): nothing in it is needed to run."""
        try:
            return UpdateRecord.model_validate_json(self.record_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return UpdateRecord()
        except (ValidationError, UnicodeDecodeError, OSError) as exc:
            log.error("%s is damaged (%s); starting a fresh one", self.record_file, exc)
            return UpdateRecord()

    def write_record(self, record: UpdateRecord) -> None:
        self._write(self.record_file, record.model_dump_json(exclude_none=True))

    def _write(self, path: Path, text: str) -> None:
        """A new file, then a rename. Root (the timer's check) writes in the kiosk user's folder: it never
        follows a link planted there (O_NOFOLLOW, O_EXCL), and a rename replaces a link, never its target."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fresh = path.with_name(f".{path.name}.{os.getpid()}")
        with contextlib.suppress(FileNotFoundError):
            fresh.unlink()
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(fd, 0o644)  # whatever the umask: the kiosk's user reads what root wrote
            handle.write(text)
            handle.flush()
            os.fsync(fd)
        os.replace(fresh, path)
        _sync_folder(self.folder)


def _sync_folder(folder: Path) -> None:
    """A rename is durable once its folder is fsynced."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
