"""What the kiosk and the simulator call: take a rating, keep config, talk to the collector."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from device import __version__
from device.health import SYS_THERMAL, free_disk_mb, temperature_c
from device.link import DeviceLink
from device.outbox import Outbox
from device.presence import sign_in_events, sign_out_events
from device.settings import DeviceSettings
from shared.clock import format_time, parse_time
from shared.contract import DeviceConfig, Invite, PresenceCause, Rating, Status
from shared.pins import verify_pin
from shared.releases import UpdateReport

log = logging.getLogger("taqyeem.device")

# A switch into a new release restarts the kiosk in about 5 s; a start later than this is not that restart.
HANDOVER = "handover_at"
HANDOVER_S = 120


def default_config(device_id: str) -> DeviceConfig:
    """Until the collector's retained config arrives, a desk named after its device."""
    return DeviceConfig(site_id="unassigned", desk_id=device_id, desk_name_ar=device_id, desk_name_en=device_id)


class DeviceCore:
    def __init__(self, settings: DeviceSettings) -> None:
        self.settings = settings
        self.thermal_root: Path = SYS_THERMAL  # where the Status's temperature is read (a fake tree in tests)
        self.outbox = Outbox(settings.data_dir / "outbox.db", settings.device_id)
        self.config: DeviceConfig = self.outbox.load_config() or default_config(settings.device_id)
        self._store_held_tap()
        self.on_config: Callable[[DeviceConfig], None] | None = None
        self.on_invite: Callable[[Invite], None] | None = None
        self.on_connection: Callable[[bool], None] | None = None
        self.update_report: Callable[[], UpdateReport | None] = lambda: None  # set by device/updates/updater.py
        self.link: DeviceLink | None = None
        address = settings.broker_address()
        if address is not None:
            self.link = DeviceLink(
                address=address,
                device_id=settings.device_id,
                outbox=self.outbox,
                status=self.status,
                on_config=self.apply_config,
                on_invite=self.deliver_invite,
                on_connection=self._connection_changed,
                ca_file=str(settings.ca_file) if settings.ca_file else None,
                resend_after_s=settings.resend_after_s,
                max_in_flight=settings.max_in_flight,
                status_every_s=settings.status_every_s,
            )
        # PROTOCOL 1.1: a restart signs out whoever was still signed in (nobody checked who stands at the desk),
        # but not the restart into a new release, which the kiosk makes at rest seconds ago (hand_over_sign_in).
        if not self._handed_over(datetime.now(UTC)):
            self.sign_out(cause="restart")

    def start(self) -> None:
        if self.link is not None:
            self.link.start()

    def stop(self) -> None:
        if self.link is not None:
            self.link.stop()
        self.outbox.close()

    @property
    def connected(self) -> bool:
        return self.link is not None and self.link.connected

    @property
    def employee_id(self) -> str | None:
        """The employee signed in at this desk, or None; changed only by ``sign_in`` and ``sign_out``."""
        return self.outbox.get_setting("employee_id")

    @property
    def signed_in_at(self) -> datetime | None:
        """When the current employee signed in (UTC), or None when nobody is signed in."""
        text = self.outbox.get_setting("signed_in_at") if self.employee_id is not None else None
        return None if text is None else parse_time(text)

    @property
    def last_rating_at(self) -> datetime | None:
        """When this desk last stored a rating (UTC, its created_at), or None before the first: for idle sign-out."""
        text = self.outbox.last_rating_at()
        return None if text is None else parse_time(text)

    def sign_in(self, employee_id: str, *, cause: PresenceCause = "pin", now: datetime | None = None) -> None:
        """The employee now serving at this desk; whoever else was signed in is signed out first ("replaced").

        Each change is a Presence queued in the outbox in the same transaction as the new
        signed-in employee (PROTOCOL 1.1), so the collector's sign-in log is complete after
        an outage and a power cut cannot leave the two disagreeing. Signing in the employee
        already signed in changes nothing.
        """
        moment = now or datetime.now(UTC)
        events = sign_in_events(self.settings.device_id, self.employee_id, employee_id, cause, moment)
        if events:
            self.outbox.change_presence(events, employee_id, format_time(moment))
            self._presence_changed()

    def sign_in_with_pin(self, employee_id: str, pin: str) -> bool | None:
        """Sign in after checking the employee's own PIN against the desk's staff list (offline).

        None while the desk's config does not list that employee with a PIN yet (it may
        still be on its way); False for a wrong PIN; True once signed in.
        """
        member = self.config.staff_member(employee_id)
        if member is None or member.pin_hash is None:
            return None
        if not verify_pin(pin, member.pin_hash):
            return False
        self.sign_in(employee_id, cause="pin")
        return True

    def hand_over_sign_in(self, now: datetime | None = None) -> None:
        """The kiosk restarts into a new release now (at rest): the next start keeps whoever is signed in."""
        self.outbox.set_setting(HANDOVER, format_time(now or datetime.now(UTC)))

    def _handed_over(self, now: datetime) -> bool:
        """Whether this start follows a release switch made at most HANDOVER_S ago (the record is used once)."""
        at = self.outbox.get_setting(HANDOVER)
        self.outbox.set_setting(HANDOVER, None)
        try:
            return at is not None and timedelta(0) <= now - parse_time(at) <= timedelta(seconds=HANDOVER_S)
        except ValueError:
            return False

    def sign_out(self, *, cause: PresenceCause = "manual", now: datetime | None = None) -> None:
        """Nobody serves at this desk now; nothing happens when nobody was signed in."""
        events = sign_out_events(self.settings.device_id, self.employee_id, cause, now or datetime.now(UTC))
        if events:
            self.outbox.change_presence(events, None, None)
            self._presence_changed()

    def _presence_changed(self) -> None:
        if self.link is not None:
            self.link.wake()
            self.link.publish_status()

    def rate(
        self,
        score: int,
        *,
        employee_id: str | None = None,
        reasons: Iterable[str] = (),
        visit_id: str | None = None,
        lang: str = "ar",
        now: datetime | None = None,
        answers: Mapping[str, str | int] | None = None,
        callback_phone: str | None = None,
    ) -> Rating:
        """Durably store one tap (with its survey answers, if the visitor was asked) and queue it for the collector."""
        rating = self.outbox.add(
            score=score,
            employee_id=employee_id,
            reasons=reasons,
            visit_id=visit_id,
            lang=lang,
            now=now,
            answers=answers,
            callback_phone=callback_phone,
        )
        if self.link is not None:
            self.link.wake()
        return rating

    def hold(
        self,
        score: int,
        *,
        employee_id: str | None,
        visit_id: str | None,
        lang: str,
        now: datetime,
        reasons: Iterable[str] = (),
        answers: Mapping[str, str | int] | None = None,
    ) -> None:
        """A tap waiting for its reasons or survey answers: durable now, stored as a rating by ``rate``.

        Held again after each choice, so a power cut keeps what the visitor had chosen so far.
        """
        self.outbox.hold(
            {
                "score": score,
                "employee_id": employee_id,
                "visit_id": visit_id,
                "lang": lang,
                "created_at": now.astimezone(UTC).isoformat(),
                "reasons": list(reasons),
                "answers": dict(answers or {}),
            }
        )

    def _store_held_tap(self) -> None:
        """After a crash or power cut during the follow-up or the survey, the tap is stored with what was chosen."""
        held = self.outbox.take_held()
        if held is None:
            return
        try:
            rating = self.outbox.add(
                score=int(held["score"]),  # type: ignore[call-overload]
                employee_id=held.get("employee_id"),  # type: ignore[arg-type]
                reasons=list(held.get("reasons") or []),  # type: ignore[call-overload]
                visit_id=held.get("visit_id"),  # type: ignore[arg-type]
                lang=str(held.get("lang") or "ar"),
                now=datetime.fromisoformat(str(held["created_at"])),
                answers=dict(held.get("answers") or {}),  # type: ignore[call-overload]
            )
            log.warning("stored rating seq %s left half-done by the last run (as chosen so far)", rating.seq)
        except (ValueError, KeyError, TypeError):
            log.exception("a held tap could not be stored; it is dropped: %s", held)
            self.outbox.clear_held()

    def outbox_depth(self) -> int:
        return self.outbox.depth()

    def status(self) -> Status:
        return Status(
            state="online",
            app_version=__version__,
            outbox=self.outbox.depth(),
            employee_id=self.employee_id,
            last_seq=self.outbox.last_seq(),
            at=format_time(datetime.now(UTC)),
            update=self.update_report(),
            outbox_replaced_at=self.outbox.replaced_at(),
            free_disk_mb=free_disk_mb(self.settings.data_dir),
            temperature_c=temperature_c(self.thermal_root),
        )

    def apply_config(self, config: DeviceConfig) -> None:
        self.outbox.save_config(config)
        self.config = config
        if self.on_config is not None:
            self.on_config(config)

    def deliver_invite(self, invite: Invite) -> None:
        if self.on_invite is not None:
            self.on_invite(invite)

    def _connection_changed(self, connected: bool) -> None:
        if self.on_connection is not None:
            self.on_connection(connected)
