"""Provision desk tablets: broker credentials, the retained DeviceConfig and an enrolment bundle.

Plain functions over three collaborators, so tests and the CLI pass real or
fake ones:

- ``Store``: the collector database (which device serves which desk, and a log
  of who provisioned, replaced and revoked what);
- a ``BrokerAdmin``: creates and removes broker accounts. ``PasswordFileAdmin``
  edits mosquitto's password file with ``mosquitto_passwd`` and sends mosquitto
  SIGHUP. On that signal mosquitto 2.0 re-checks every connected client against
  the reloaded file and disconnects those whose account is gone or changed, so
  a revoked tablet is cut at once (measured on 2.0.11; see docs/deployment.md);
- a ``ConfigPublisher``: publishes (or clears) a device's retained config
  (``collector.config_publisher.RetainedConfigPublisher``, or a fake).

Error tree::

    ProvisioningError        what went wrong and what to do (the CLI prints it)
    ConfigPublishError       (collector.config_publisher) a retained config was not sent

The device's topics need no per-device grant: the broker's ACL gives every
account exactly its own topics by username (``pattern ... taqyeem/v1/devices/%u/...``)
and the username is the device id.
"""

from __future__ import annotations

import base64
import fcntl
import io
import json
import os
import re
import secrets
import signal
import ssl
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import qrcode

from collector.broker import BrokerError, delete_user, set_password
from collector.config_publisher import RetainedConfigPublisher
from collector.store import Store, StoreError
from shared.broker_url import parse_broker_url
from shared.contract import NAME_PATTERN, DeviceConfig

ENROLMENT_KIND = "taqyeem-enrolment"
TABLET_DATA_DIR = Path("/var/lib/taqyeem")


class ProvisioningError(RuntimeError):
    """Provisioning could not be done; the text says why and what to do."""


# --- the broker's accounts ---------------------------------------------------------


class BrokerAdmin(Protocol):
    def add_device(self, device_id: str, password: str) -> None: ...

    def remove_device(self, device_id: str) -> None:
        """Remove the account and drop its open connection, if any."""

    def has_device(self, device_id: str) -> bool: ...


def reload_by_pid_file(pid_file: Path) -> Callable[[], None]:
    """SIGHUP the mosquitto whose pid is in ``pid_file`` (Debian: /run/mosquitto/mosquitto.pid)."""

    def reload() -> None:
        try:
            pid = int(pid_file.read_text().strip())
            os.kill(pid, signal.SIGHUP)
        except FileNotFoundError:
            raise ProvisioningError(
                f"mosquitto's pid file {pid_file} does not exist; is mosquitto running "
                "(systemctl status mosquitto)? Or pass --mosquitto-pid-file"
            ) from None
        except ValueError:
            raise ProvisioningError(f"{pid_file} does not hold a process id; pass mosquitto's pid file") from None
        except ProcessLookupError:
            raise ProvisioningError(
                f"no process has the pid in {pid_file}; start mosquitto: systemctl start mosquitto"
            ) from None
        except PermissionError:
            raise ProvisioningError("not allowed to signal mosquitto; run this command as root (sudo)") from None

    return reload


@dataclass
class PasswordFileAdmin:
    """Accounts in mosquitto's password file; ``reload`` makes mosquitto apply them (SIGHUP)."""

    password_file: Path
    reload: Callable[[], None]

    @contextmanager
    def _locked(self) -> Iterator[None]:
        # mosquitto_passwd rewrites the file: one provisioning command at a time.
        lock = self.password_file.with_name(self.password_file.name + ".lock")
        try:
            with lock.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                yield
        except PermissionError:
            raise ProvisioningError(
                f"cannot write beside {self.password_file}; run this command as root (sudo) on the broker's machine"
            ) from None

    def _check(self) -> None:
        if not self.password_file.exists():
            raise ProvisioningError(
                f"mosquitto password file {self.password_file} does not exist; create it "
                "as in docs/deployment.md or pass --passwd-file"
            )

    def has_device(self, device_id: str) -> bool:
        self._check()
        try:
            lines = self.password_file.read_text().splitlines()
        except PermissionError:
            raise ProvisioningError(f"cannot read {self.password_file}; run this command as root (sudo)") from None
        return any(line.split(":", 1)[0] == device_id for line in lines)

    def add_device(self, device_id: str, password: str) -> None:
        self._check()
        with self._locked():
            try:
                set_password(self.password_file, device_id, password)
            except (BrokerError, OSError) as exc:
                raise ProvisioningError(f"mosquitto_passwd could not add {device_id}: {exc}") from None
            self.reload()

    def remove_device(self, device_id: str) -> None:
        if not self.has_device(device_id):
            return
        with self._locked():
            try:
                delete_user(self.password_file, device_id)
            except (BrokerError, OSError) as exc:
                raise ProvisioningError(f"mosquitto_passwd could not remove {device_id}: {exc}") from None
            self.reload()


# --- the retained DeviceConfig ---------------------------------------------------


class ConfigPublisher(Protocol):
    def publish(self, device_id: str, config: DeviceConfig | None) -> None:
        """Publish a device's retained config; None clears it."""


class ConnectOnFirstPublish:
    """A ConfigPublisher that connects only when there is a config to send.

    ``sites apply`` mostly has none (the first apply has no devices yet): then it
    needs neither the broker nor its password.
    """

    def __init__(self, connect: Callable[[], AbstractContextManager[RetainedConfigPublisher]]) -> None:
        self._connect = connect
        self._connection = ExitStack()
        self._publisher: RetainedConfigPublisher | None = None

    @property
    def connected(self) -> bool:
        return self._publisher is not None

    def publish(self, device_id: str, config: DeviceConfig | None) -> None:
        if self._publisher is None:
            self._publisher = self._connection.enter_context(self._connect())
        self._publisher.publish(device_id, config)

    def __enter__(self) -> ConnectOnFirstPublish:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._connection.close()
        self._publisher = None


# --- enrolment data and the bundle -------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """What a tablet needs to join: carried by the bundle's files and by its QR code."""

    device_id: str
    broker: str  # mqtts://HOST:8883 as the tablet dials it
    password: str
    ca_pem: str

    def to_qr_text(self) -> str:
        der = ssl.PEM_cert_to_DER_cert(self.ca_pem)
        data = {
            "kind": ENROLMENT_KIND,
            "v": 1,
            "device_id": self.device_id,
            "broker": self.broker,
            "password": self.password,
            "ca": base64.b64encode(der).decode(),
        }
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_qr_text(cls, text: str) -> Enrolment:
        try:
            data = json.loads(text)
            if data.get("kind") != ENROLMENT_KIND or data.get("v") != 1:
                raise ValueError("not a Taqyeem enrolment code")
            ca_pem = ssl.DER_cert_to_PEM_cert(base64.b64decode(data["ca"], validate=True))
            return cls(data["device_id"], data["broker"], data["password"], ca_pem)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ProvisioningError(
                f"this QR code is not a Taqyeem enrolment code ({exc}); scan the code "
                "that `taqyeem provision device` printed"
            ) from None


@dataclass(frozen=True)
class BundleOptions:
    broker_url: str  # what the tablet dials: mqtts://centre-broker.example:8883
    ca_file: Path  # the CA certificate that signed the broker's certificate
    out_dir: Path  # each bundle goes to out_dir/<device_id>/
    install_dir: Path | None = Path("/etc/taqyeem")  # where the files will be on the tablet; None: right here
    data_dir: Path | None = None  # the tablet's outbox folder; None: /var/lib/taqyeem, or <bundle>/data right here

    def data_dir_for(self, folder: Path) -> Path:
        if self.data_dir is not None:
            return self.data_dir
        return folder.resolve() / "data" if self.install_dir is None else TABLET_DATA_DIR

    def check(self) -> str:
        """Validate before anything is created; returns the CA certificate (PEM)."""
        try:
            address = parse_broker_url(self.broker_url)
        except ValueError as exc:
            raise ProvisioningError(f"device broker address: {exc}") from None
        if not address.tls:
            raise ProvisioningError(f"tablets connect over TLS only: use mqtts://HOST:8883, not {self.broker_url}")
        if address.username or address.password:
            raise ProvisioningError("the device broker address must not hold a username or password")
        try:
            pem = self.ca_file.read_text()
            ssl.PEM_cert_to_DER_cert(pem)
        except FileNotFoundError:
            raise ProvisioningError(
                f"CA certificate {self.ca_file} does not exist; make it with "
                "deploy/tls/make-certs.sh or pass --device-ca"
            ) from None
        except (ValueError, UnicodeDecodeError):
            raise ProvisioningError(f"{self.ca_file} is not a PEM certificate; pass the broker's ca.crt") from None
        return pem


@dataclass(frozen=True)
class Bundle:
    folder: Path
    enrolment: Enrolment
    config: DeviceConfig | None  # None: made at a bridged centre (`provision account`); HQ holds the desk
    site_id: str | None
    desk_id: str | None
    on_this_machine: bool = False  # made with --install-dir -: to try the kiosk here, not on a tablet

    @property
    def device_id(self) -> str:
        return self.enrolment.device_id

    @property
    def device_toml(self) -> Path:
        return self.folder / "device.toml"

    @property
    def qr_png(self) -> Path:
        return self.folder / "enrol-qr.png"

    def qr_terminal(self) -> str:
        return qr_terminal_text(self.enrolment.to_qr_text())

    def next_step(self) -> str:
        """What to run next with this bundle, on a tablet or (``--install-dir -``) right here."""
        if self.on_this_machine:
            return f"Next, on this machine: taqyeem-device run --config {self.device_toml} --windowed"
        return f"Next, on the tablet: sudo ./deploy/pi/setup-pi.sh --bundle {self.folder}"


def device_toml_text(enrolment: Enrolment, install_dir: Path, data_dir: Path) -> str:
    return (
        "# Taqyeem desk tablet. Written by `taqyeem provision device`; copy this folder to "
        f"{install_dir} on the tablet.\n"
        f'device_id = "{enrolment.device_id}"\n'
        f'data_dir = "{data_dir}"\n'
        f'broker = "{enrolment.broker}"\n'
        f'password_file = "{install_dir / "password"}"\n'
        f'ca_file = "{install_dir / "ca.crt"}"\n'
    )


def _qr(text: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, box_size=6, border=4)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_terminal_text(text: str) -> str:
    out = io.StringIO()
    _qr(text).print_ascii(out=out, invert=True)
    return out.getvalue()


def write_device_files(enrolment: Enrolment, folder: Path, install_dir: Path, data_dir: Path) -> None:
    """device.toml, the password file (0600) and ca.crt: all a tablet needs (also used to enrol from a QR)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    password = folder / "password"
    password.touch(mode=0o600, exist_ok=True)
    password.chmod(0o600)
    password.write_text(enrolment.password + "\n")
    (folder / "ca.crt").write_text(enrolment.ca_pem)
    (folder / "device.toml").write_text(device_toml_text(enrolment, install_dir, data_dir))


def write_bundle(
    enrolment: Enrolment,
    options: BundleOptions,
    *,
    site_id: str | None,
    desk_id: str | None,
    config: DeviceConfig | None,
) -> Bundle:
    folder = options.out_dir / enrolment.device_id
    if folder.exists():
        raise ProvisioningError(f"{folder} already exists; move it away or pass another --out")
    folder.mkdir(parents=True, mode=0o700)
    bundle = Bundle(folder, enrolment, config, site_id, desk_id, on_this_machine=options.install_dir is None)
    write_device_files(enrolment, folder, options.install_dir or folder.resolve(), options.data_dir_for(folder))
    _qr(enrolment.to_qr_text()).make_image().save(str(bundle.qr_png))
    (folder / "enrol-qr.txt").write_text(bundle.qr_terminal())
    desk = f"{config.desk_name_en} ({site_id}/{desk_id})" if config is not None else "its desk is registered at HQ"
    step = bundle.next_step().replace(str(folder), "THIS-FOLDER")
    (folder / "README.txt").write_text(
        f"Taqyeem desk tablet {enrolment.device_id}: {desk}.\n"
        f"{step} (see docs/deployment.md).\n"
        "The password file is a secret: keep this folder on an encrypted USB stick and delete it after use.\n"
    )
    for item in folder.iterdir():  # the QR code and its text carry the password too
        item.chmod(0o600)
    return bundle


# --- provisioning ------------------------------------------------------------------


def new_device_id(site_id: str, desk_id: str) -> str:
    """``{site}-{desk}-{6 hex}``: readable in logs and never reused."""
    stem = f"{site_id}-{desk_id}"[:55].rstrip("-")
    return f"{stem}-{secrets.token_hex(3)}"


def _check_ids(**ids: str) -> None:
    for what, value in ids.items():
        if not re.fullmatch(NAME_PATTERN, value):
            raise ProvisioningError(
                f"{what} id {value!r} must be lowercase letters, digits and '-' (2-63), like riyadh-hq or desk-12"
            )


def resolve_desk_config(
    store: Store, site_id: str, desk_id: str, label_ar: str | None = None, label_en: str | None = None
) -> DeviceConfig:
    """The desk's config from ``sites apply``; labels override its names, or name a desk not in the file."""
    _check_ids(site=site_id, desk=desk_id)
    config = store.sites.desk_config(site_id, desk_id)
    if config is None:
        if not (label_ar and label_en):
            raise ProvisioningError(
                f"desk {desk_id} of site {site_id} is not configured; add it to sites.toml "
                "and run `taqyeem sites apply`, or pass --label-ar and --label-en"
            )
        return DeviceConfig(site_id=site_id, desk_id=desk_id, desk_name_ar=label_ar, desk_name_en=label_en)
    updates = {k: v for k, v in (("desk_name_ar", label_ar), ("desk_name_en", label_en)) if v}
    return DeviceConfig.model_validate({**config.model_dump(), **updates})


def provision_device(
    store: Store,
    admin: BrokerAdmin,
    publisher: ConfigPublisher,
    options: BundleOptions,
    *,
    config: DeviceConfig,
    actor: str,
    now: str,
    replaces: str | None = None,
) -> Bundle:
    """Register a new device for ``config``'s desk, give it an account and its config, write its bundle.

    Anything done before a failure is undone, so the command can simply be run again.
    """
    ca_pem = options.check()
    device_id = new_device_id(config.site_id, config.desk_id)
    enrolment = Enrolment(device_id, options.broker_url, secrets.token_urlsafe(32), ca_pem)
    data = {"site_id": config.site_id, "desk_id": config.desk_id, **({"replaces": replaces} if replaces else {})}
    try:
        store.devices.provision(device_id, config, actor, now, data)
    except StoreError as exc:
        raise ProvisioningError(str(exc)) from None
    try:
        admin.add_device(device_id, enrolment.password)
        publisher.publish(device_id, config)
        return write_bundle(enrolment, options, site_id=config.site_id, desk_id=config.desk_id, config=config)
    except BaseException:
        _undo(store, admin, device_id, actor, now)
        raise


def _undo(store: Store, admin: BrokerAdmin, device_id: str, actor: str, now: str) -> None:
    try:
        admin.remove_device(device_id)
    finally:
        store.devices.revoke(device_id, actor, now, {"reason": "provisioning failed"})


def _known_device(store: Store, device_id: str) -> dict[str, Any]:
    row = store.devices.get(device_id)
    if row is None or not row["provisioned"]:
        raise ProvisioningError(f"no provisioned device {device_id!r}; see `taqyeem provision list`")
    return row


def revoke_device(
    store: Store, admin: BrokerAdmin, *, device_id: str, actor: str, now: str, reason: str = "revoked"
) -> None:
    """Remove the account (its open connection drops at once); its ratings and history stay.

    Its retained config is left in place: only its own account (now gone) and the
    collector may read it, and clearing it would send the tablet an empty message
    in the moment before mosquitto drops it.
    """
    row = _known_device(store, device_id)
    admin.remove_device(device_id)  # first: whatever fails later, the tablet is out
    if row["revoked_at"] is None:
        store.devices.revoke(device_id, actor, now, {"reason": reason})


def replace_device(
    store: Store,
    admin: BrokerAdmin,
    publisher: ConfigPublisher,
    options: BundleOptions,
    *,
    device_id: str,
    actor: str,
    now: str,
) -> Bundle:
    """A new tablet (new device id) for the old one's desk; the old account stops at once.

    Ratings are stored with their site and desk, so the desk's history spans both tablets.
    """
    row = _known_device(store, device_id)
    if row["revoked_at"] is not None:
        raise ProvisioningError(
            f"device {device_id} was revoked at {row['revoked_at']}; provision a new one "
            f"with `taqyeem provision device --site {row['site_id']} --desk {row['desk_id']}`"
        )
    if any(e["kind"] == "provisioned" and e["data"].get("account") for e in store.devices.events(device_id)):
        raise ProvisioningError(
            f"device {device_id} has its account at a bridged centre: register a new device for its desk "
            "(`taqyeem provision register`), give it an account there, then revoke this one on both sides"
        )
    config = store.sites.desk_config(row["site_id"], row["desk_id"]) or store.devices.config(device_id)
    if config is None:
        raise ProvisioningError(f"device {device_id} has no desk; use `taqyeem provision device` instead")
    bundle = provision_device(store, admin, publisher, options, config=config, actor=actor, now=now, replaces=device_id)
    revoke_device(store, admin, device_id=device_id, actor=actor, now=now, reason=f"replaced by {bundle.device_id}")
    return bundle


# --- a bridged centre: the registration at HQ, the account at the centre -------------
#
# A centre's desks sign in to the centre's own broker, but the collector (and the
# database that gives ratings their site and desk) is at HQ. IT does two halves,
# HQ first: ``register_device`` makes the device id, registers it for its desk and
# publishes its retained config (the bridge carries it to the centre); then
# ``provision_account`` on the centre's broker machine creates that id's account
# and the bundle. In this order a tablet cannot sign in before HQ can place its
# ratings (the kiosk rates before its config arrives: an unregistered device's
# ratings would be stored without site and desk), the desk is checked against
# HQ's sites before anything is made, and the password never leaves the centre.


def register_device(store: Store, publisher: ConfigPublisher, *, config: DeviceConfig, actor: str, now: str) -> str:
    """HQ's half: a new device id for ``config``'s desk, registered and sent its retained config.

    No broker account is made here: the centre makes it with ``provision_account``.
    Returns the device id. A failure to publish leaves nothing registered.
    """
    device_id = new_device_id(config.site_id, config.desk_id)
    data = {"site_id": config.site_id, "desk_id": config.desk_id, "account": "at a bridged centre"}
    try:
        store.devices.provision(device_id, config, actor, now, data)
    except StoreError as exc:
        raise ProvisioningError(str(exc)) from None
    try:
        publisher.publish(device_id, config)
    except BaseException:
        store.devices.revoke(device_id, actor, now, {"reason": "provisioning failed"})
        raise
    return device_id


def provision_account(admin: BrokerAdmin, options: BundleOptions, *, device_id: str) -> Bundle:
    """The centre's half: the account of a device registered at HQ, on this broker, and its bundle.

    Needs no database: the device's desk and config are HQ's (they come over the bridge).
    """
    _check_ids(device=device_id)
    ca_pem = options.check()
    if admin.has_device(device_id):
        raise ProvisioningError(
            f"this broker already has an account {device_id}; to give its desk a new tablet, register "
            "a new device at HQ (`taqyeem provision register`) and revoke this one"
        )
    enrolment = Enrolment(device_id, options.broker_url, secrets.token_urlsafe(32), ca_pem)
    admin.add_device(device_id, enrolment.password)
    try:
        return write_bundle(enrolment, options, site_id=None, desk_id=None, config=None)
    except BaseException:
        admin.remove_device(device_id)
        raise


def revoke_account(admin: BrokerAdmin, *, device_id: str) -> None:
    """The centre's half of a revocation: remove the account from this broker (its connection drops)."""
    if not admin.has_device(device_id):
        raise ProvisioningError(f"this broker has no account {device_id!r}; check the device id")
    admin.remove_device(device_id)
