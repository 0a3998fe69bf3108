"""The kiosk's update thread: take the config's release, install it in the spare slot, switch, confirm.

Runs beside the kiosk and the MQTT link and never blocks either: it polls the config the core
holds, downloads and checks on its own thread, and reports each step in ``Status.update``
(published at once, and with every status after). The switch itself is asked for by the kiosk
when it is at rest (``device/kiosk/update_switch.py``); then the process exits and systemd starts
the new version, which confirms itself here once its link is up and its ``online`` status is out.

Failures worth another try (the network, the collector, disk space) are retried with back-off;
a release refused for its signature, hash, size or wheel is not tried again until the config
names another; nor is a version that was rolled back (``rollback.py``).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from device.updates.download import DownloadError, download
from device.updates.layout import Releases, UpdateRecord, boot_id
from device.updates.trial import Trial
from device.updates.version import running_version
from device.updates.wheel import WheelRefused, unpack
from shared.clock import format_time
from shared.releases import Release, UpdateReport, UpdateState, load_public_key, signature_is_valid

if TYPE_CHECKING:
    from device.core import DeviceCore
    from device.settings import DeviceSettings

log = logging.getLogger("taqyeem.device.updates")

SPARE_BYTES = 20 * 1024 * 1024  # besides the download and its unpacked copy


class Updater:
    def __init__(
        self,
        settings: DeviceSettings,
        core: DeviceCore,
        *,
        poll_s: float = 2.0,
        retry_s: float = 60.0,
        max_retry_s: float = 3600.0,
        running: str | None = None,
    ) -> None:
        self.settings = settings
        self.core = core
        self.releases = Releases(settings.data_dir / "releases")
        self.running = running or running_version()
        self.poll_s = poll_s
        self.retry_s = retry_s
        self.max_retry_s = max_retry_s
        self._record = self.releases.read_record()
        self._failures = 0
        self._next_try = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="updates", daemon=True)

    # --- what the core, the kiosk and the wiring call ------------------------------------

    def report(self) -> UpdateReport | None:
        """``Status.update``: the latest step or refusal, kept across restarts."""
        return self._record.report

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def ready_to_switch(self) -> bool:
        """A checked release for the config's version waits in the spare slot."""
        record = self._record
        release = self.core.config.release
        return record.ready is not None and record.ready == release and not self.releases.trial_file.exists()

    def switch(self) -> bool:
        """Write the trial and point ``current`` at the ready slot; the caller then exits the process.

        Only the kiosk calls it, at rest with its outbox empty (``device/kiosk/update_switch.py``).
        """
        with self.releases.lock():
            record = self.releases.read_record()
            release = self.core.config.release
            slot = record.ready_slot
            if release is None or record.ready != release or slot is None or self.releases.trial_file.exists():
                return False
            if not (self.releases.slot_path(slot) / "device" / "__init__.py").is_file():
                record.ready = record.ready_slot = None
                self.releases.write_record(record)
                self._record = record
                return False
            trial = Trial(
                version=release.version,
                slot=slot,
                previous=self.releases.current_slot(),
                previous_version=self.running,
                started_at=_now(),
                boot_id=boot_id(),
                started_mono=time.monotonic(),
            )
            self.releases.write_trial(trial)
            self.releases.point_current(slot)
            record.report = UpdateReport(version=release.version, state="trying", at=_now())
            record.ready = record.ready_slot = None
            self.releases.write_record(record)
            self._record = record
        log.warning("switched to %s in slot %s (from %s); restarting", release.version, slot, self.running)
        return True

    # --- the thread ----------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.step()
            except Exception:
                log.exception("the update step failed; trying again shortly")
            self._stop.wait(self.poll_s)

    def step(self) -> None:
        """One look: confirm a trial of this version, or take the config's release if it should be."""
        self._confirm_if_on_trial()
        release = self.core.config.release
        if release is None or release.version == self.running or self.releases.trial_file.exists():
            return  # nothing to do, or a switch on trial: its previous slot must stay as it is
        if self._should_take(release):
            self._take(release)

    def _should_take(self, release: Release) -> bool:
        with self.releases.lock():
            record = self.releases.read_record()
            changed = False
            if record.rolled_back is not None and record.rolled_back != release.version:
                record.rolled_back, changed = None, True  # the config names another version now
            if record.refused is not None and (
                record.refused != release or record.refused_key != self.settings.release_key
            ):  # another release, or the tablet was given another key (or its first)
                record.refused, record.refused_key, changed = None, None, True
            if changed:
                self.releases.write_record(record)
            self._record = record
        if record.rolled_back == release.version or record.refused == release:
            return False
        if record.ready == release and record.ready_slot is not None:
            return False
        return time.monotonic() >= self._next_try

    def _take(self, release: Release) -> None:
        if self.settings.release_key is None:
            self._refuse(
                release,
                f"this tablet has no release_key in device.toml, so it cannot check the signature of "
                f"{release.version}: re-provision it (taqyeem provision device) or add the centre's release_key",
            )
            return
        if not signature_is_valid(load_public_key(self.settings.release_key), release):
            self._refuse(
                release,
                f"the signature of {release.version} does not match this tablet's release_key: add the release "
                "with the centre's signing key (taqyeem release add --sign-key), or re-provision the tablet",
            )
            return
        self.releases.downloads.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(self.releases.downloads).free
        if free < 6 * release.size + SPARE_BYTES:
            need = (6 * release.size + SPARE_BYTES) // 2**20
            self._fail(release, f"not enough free disk for {release.version}: {free // 2**20} MB free, {need} needed")
            return
        self._set_report(UpdateReport(version=release.version, state="downloading", at=_now()), ready=None)
        part = self.releases.downloads / f"{release.version}.whl.part"
        try:
            self._fetch_and_install(release, part)
        finally:
            with contextlib.suppress(FileNotFoundError):
                part.unlink()

    def _fetch_and_install(self, release: Release, part: Path) -> None:
        try:
            digest = download(release, part, ca_file=self.settings.ca_file, stop=self._stop)
        except DownloadError as exc:
            (self._fail if exc.retry else self._refuse)(release, exc.reason)
            return
        if digest != release.sha256:
            self._refuse(
                release,
                f"the SHA-256 of the downloaded {release.version} is {digest[:12]}..., not the signed "
                f"{release.sha256[:12]}...: the collector serves another file than it signed; add the release again",
            )
            return
        with self.releases.lock():
            slot = self.releases.spare_slot()
        try:
            unpack(part, release.version, self.releases.slot_path(slot))
        except WheelRefused as exc:
            self._refuse(release, f"{release.version} refused: {exc}")
            return
        except OSError as exc:
            self._fail(release, f"could not unpack {release.version} into slot {slot}: {exc}")
            return
        self._failures, self._next_try = 0, 0.0
        self._set_report(UpdateReport(version=release.version, state="ready", at=_now()), ready=(release, slot))
        log.info("release %s checked, unpacked in slot %s; switching when the kiosk rests", release.version, slot)

    def _confirm_if_on_trial(self) -> None:
        """Once this version's link is up and its ``online`` status is published: the trial is over."""
        if not self.releases.trial_file.exists() or not self.core.connected or self.core.link is None:
            return
        try:
            with self.releases.lock():
                trial = self.releases.read_trial()
        except ValueError:
            return  # update-check deals with a damaged trial
        if trial is None or trial.version != self.running:
            return
        info = self.core.link.publish_status()
        if info is None:
            return
        with contextlib.suppress(RuntimeError, ValueError):
            info.wait_for_publish(10.0)
        if not info.is_published():
            return
        with self.releases.lock():
            trial = self.releases.read_trial()
            if trial is None or trial.version != self.running:
                return  # rolled back meanwhile
            record = self.releases.read_record()
            record.report = UpdateReport(version=self.running, state="done", at=_now())
            self.releases.write_record(record)
            self.releases.drop_trial()
            self._record = record
        log.warning("release %s came online: the update is done", self.running)
        self._publish()

    # --- reporting -----------------------------------------------------------------------

    def _refuse(self, release: Release, reason: str) -> None:
        """Refused for good for this config's release."""
        log.error("release %s refused: %s", release.version, reason)
        self._set_report(_report(release, "failed", reason), ready=None, refused=release)

    def _fail(self, release: Release, reason: str) -> None:
        """Worth another try: later and later, up to ``max_retry_s``."""
        self._failures += 1
        wait = min(self.retry_s * 2 ** (self._failures - 1), self.max_retry_s)
        self._next_try = time.monotonic() + wait
        log.warning("release %s: %s; trying again in %.0f s", release.version, reason, wait)
        self._set_report(_report(release, "failed", f"{reason}; trying again in {_span(wait)}"), ready=None)

    def _set_report(
        self,
        report: UpdateReport,
        *,
        ready: tuple[Release, str] | None,
        refused: Release | None = None,
    ) -> None:
        with self.releases.lock():
            record: UpdateRecord = self.releases.read_record()
            record.report = report
            record.ready, record.ready_slot = ready if ready is not None else (None, None)
            if refused is not None:
                record.refused, record.refused_key = refused, self.settings.release_key
            self.releases.write_record(record)
            self._record = record
        self._publish()

    def _publish(self) -> None:
        if self.core.link is not None:
            self.core.link.publish_status()


def start_updates(settings: DeviceSettings, core: DeviceCore, **options: float) -> Updater:
    """The kiosk's wiring: the core reports the updater's state in each status; the thread starts."""
    updater = Updater(settings, core, **options)  # type: ignore[arg-type]
    core.update_report = updater.report
    updater.start()
    return updater


def _report(release: Release, state: UpdateState, reason: str) -> UpdateReport:
    return UpdateReport(version=release.version, state=state, reason=reason[:300], at=_now())


def _span(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


def _now() -> str:
    return format_time(datetime.now(UTC))
