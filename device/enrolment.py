"""First-boot enrolment of a desk tablet: its config from a bundle folder or a one-time code (issue 13).

A tablet made by ``deploy/pi/setup-pi.sh`` without ``--bundle`` has no config.
It gets one in either of two ways, both ending in ``install``:

- a **bundle** (``taqyeem provision device``'s folder: device.toml, password,
  ca.crt), from a folder or a USB stick (``take_from_stick``, run by the USB
  unit as root through device/usb_stick.py). From a stick it is taken only if
  the tablet is not enrolled yet, and its secrets are then overwritten and
  deleted from the stick, which is left a TAKEN.txt;
- a **code** typed on the enrolment screen (or ``taqyeem-device enrol --code``),
  redeemed over HTTPS at the collector's ``POST /api/v1/enrol`` (``redeem_code``),
  the collector's certificate checked against the CA the image provides.

The config goes to ``/var/lib/taqyeem/enrolled/`` (the kiosk may write there; its
unit makes /etc read-only to it); ``/etc/taqyeem/device.toml`` still wins when
present (``find_config``). Failures raise ``EnrolmentError`` whose ``kind`` the
enrolment screen turns into words.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from device.settings import DeviceSettings
from shared.contract import describe_validation_error

ETC_CONFIG = Path("/etc/taqyeem/device.toml")
ENROLLED_DIR = Path("/var/lib/taqyeem/enrolled")
ENROL_SETTINGS = Path("/etc/taqyeem/enrol.toml")  # written into the image: collector_url, ca_file
TABLET_DATA_DIR = Path("/var/lib/taqyeem")
BUNDLE_FILES = ("device.toml", "password", "ca.crt")
SECRET_FILES = ("password", "enrol-qr.png", "enrol-qr.txt")  # what a stick's copy loses once taken
PATH_KEYS = ("data_dir", "password_file", "ca_file")  # a bundle's paths: rewritten for this tablet
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # the collector's (collector/fleet/enrol_codes.py); a test keeps them equal
CODE_LENGTH = 12


class EnrolmentError(Exception):
    """Enrolment failed; ``kind`` says why in one word, the text what to do.

    Kinds: ``enrolled``, ``no_bundle``, ``many_bundles``, ``bad_bundle``, ``bad_code``,
    ``wrong_code``, ``used_code``, ``too_many``, ``unreachable``, ``untrusted``, ``refused``, ``no_write``,
    ``not_scrubbed`` (enrolled, but the stick kept its secrets).
    """

    def __init__(self, kind: str, text: str) -> None:
        super().__init__(text)
        self.kind = kind


@dataclass(frozen=True)
class EnrolmentData:
    """What a tablet needs to join: a bundle's contents."""

    device_id: str
    broker: str
    password: str = field(repr=False)
    ca_pem: str
    release_key: str | None = None
    desk_name_ar: str | None = None
    desk_name_en: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # a bundle's other device.toml keys, kept


def find_config(etc: Path = ETC_CONFIG, enrolled_dir: Path = ENROLLED_DIR) -> Path | None:
    """/etc/taqyeem/device.toml when present (set up by hand), else the enrolled one, else None."""
    for path in (etc, enrolled_dir / "device.toml"):
        if path.is_file():
            return path
    return None


def normalise_code(typed: str) -> str:
    raw = "".join(ch for ch in typed.upper() if ch not in "- \t")
    if len(raw) != CODE_LENGTH or any(ch not in ALPHABET for ch in raw):
        raise EnrolmentError("bad_code", "an enrolment code has 12 letters and digits, like 7KQ2-M9XD-4HPA")
    return raw


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string is a JSON string


def device_toml(data: EnrolmentData, folder: Path, data_dir: Path, how: str, now: datetime) -> str:
    values: dict[str, Any] = {
        "device_id": data.device_id,
        "data_dir": str(data_dir),
        "broker": data.broker,
        "password_file": str(folder / "password"),
        "ca_file": str(folder / "ca.crt"),
    }
    if data.release_key:
        values["release_key"] = data.release_key
    values.update({k: v for k, v in data.extra.items() if k not in values and k not in PATH_KEYS})
    lines = [f"# Taqyeem desk tablet, enrolled {how} at {now.strftime('%Y-%m-%d %H:%M')} UTC."]
    lines += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(path, mode)


def install(
    data: EnrolmentData,
    *,
    enrolled_dir: Path = ENROLLED_DIR,
    data_dir: Path = TABLET_DATA_DIR,
    how: str = "by hand",
    now: datetime | None = None,
) -> Path:
    """Write device.toml, the password (0600) and ca.crt into ``enrolled_dir``; returns the device.toml.

    Written into a new folder first and renamed into place, so a half-written
    enrolment is never taken for one. Run as root, the files go to the owner of ``data_dir`` (the kiosk user).
    """
    text = device_toml(data, enrolled_dir, data_dir, how, now or datetime.now(UTC))
    try:
        DeviceSettings.model_validate({**tomllib.loads(text), "password_file": None, "ca_file": None})
    except ValidationError as exc:
        raise EnrolmentError("bad_bundle", f"the enrolment is not usable: {describe_validation_error(exc)}") from None
    if "BEGIN CERTIFICATE" not in data.ca_pem:
        raise EnrolmentError("bad_bundle", "the enrolment's CA is not a PEM certificate; make the bundle again")
    new = enrolled_dir.with_name(f".{enrolled_dir.name}.new")
    try:
        enrolled_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(new, ignore_errors=True)
        new.mkdir(mode=0o750)
        _write(new / "password", data.password + "\n", 0o600)
        _write(new / "ca.crt", data.ca_pem, 0o644)
        _write(new / "device.toml", text, 0o640)
        if os.geteuid() == 0 and data_dir.exists():
            owner = data_dir.stat()
            for path in (new, *new.iterdir()):
                os.chown(path, owner.st_uid, owner.st_gid)
        if enrolled_dir.exists():  # an earlier attempt without device.toml, or an enrolment being replaced
            shutil.rmtree(enrolled_dir)
        os.replace(new, enrolled_dir)
    except PermissionError as exc:
        raise EnrolmentError(
            "no_write", f"cannot write {exc.filename or enrolled_dir}: run as root or as the kiosk's user"
        ) from None
    return enrolled_dir / "device.toml"


def read_bundle(folder: Path) -> EnrolmentData:
    """The enrolment a bundle folder holds; EnrolmentError(bad_bundle) naming what is wrong."""
    for name in BUNDLE_FILES:
        if not (folder / name).is_file():
            raise EnrolmentError("bad_bundle", f"{folder / name} is missing: is this a Taqyeem bundle folder?")
    try:
        values = tomllib.loads((folder / "device.toml").read_text(encoding="utf-8"))
        password = (folder / "password").read_text(encoding="utf-8").strip()
        ca_pem = (folder / "ca.crt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise EnrolmentError("bad_bundle", f"cannot read the bundle in {folder}: {exc}") from None
    if not values.get("device_id") or not values.get("broker") or not password:
        raise EnrolmentError("bad_bundle", f"{folder}/device.toml has no device_id or broker, or no password")
    extra = {k: v for k, v in values.items() if k not in ("device_id", "broker", "release_key", *PATH_KEYS)}
    return EnrolmentData(
        str(values["device_id"]), str(values["broker"]), password, ca_pem, values.get("release_key"), extra=extra
    )


def find_bundles(root: Path, depth: int = 2) -> list[Path]:
    """Folders at most ``depth`` levels under ``root`` (itself included) holding a bundle's three files."""
    found = [root] if all((root / name).is_file() for name in BUNDLE_FILES) else []
    if depth > 0:
        try:
            children = sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink())
        except OSError:
            children = []
        for child in children:
            if not child.name.startswith("."):
                found += find_bundles(child, depth - 1)
    return found


def scrub(folder: Path) -> list[str]:
    """Overwrite, then delete, the bundle's secret files (the password and the QR codes); the names removed."""
    removed = []
    for name in SECRET_FILES:
        path = folder / name
        if path.is_symlink() or not path.is_file():
            continue
        size = path.stat().st_size
        with path.open("r+b") as out:
            out.write(os.urandom(size))
            out.flush()
            os.fsync(out.fileno())
        path.unlink()
        removed.append(name)
    return removed


def taken_note(data: EnrolmentData, now: datetime) -> str:
    when = now.strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"أخذ هذه الحزمة الجهاز {data.device_id} ({socket.gethostname()}) في {when}.\n"
        "حُذفت كلمة المرور ورموز QR من هذه الذاكرة بعد الكتابة فوقها،\n"
        "لكن ذاكرة الفلاش قد تحتفظ بنسخ قديمة: امسحها بالكامل.\n\n"
        f"This bundle was taken by tablet {data.device_id} ({socket.gethostname()}) at {when}.\n"
        "Its password file and QR codes were overwritten and deleted from this stick, but flash memory may keep\n"
        "old copies (wear levelling): wipe the whole stick before using it for anything else.\n"
    )


def take_from_stick(
    root: Path,
    *,
    enrolled_dir: Path = ENROLLED_DIR,
    etc_config: Path = ETC_CONFIG,
    data_dir: Path = TABLET_DATA_DIR,
    now: datetime | None = None,
) -> EnrolmentData:
    """Install the one bundle on a (mounted) stick, only if this tablet is not enrolled; then clean the stick.

    An enrolled tablet refuses and leaves the stick as it was: a stick a visitor plugs in never replaces an enrolment.
    """
    when = now or datetime.now(UTC)
    enrolled = find_config(etc_config, enrolled_dir)
    if enrolled is not None:
        raise EnrolmentError("enrolled", f"this tablet is already enrolled ({enrolled}); the stick was left as it was")
    bundles = find_bundles(root)
    if not bundles:
        raise EnrolmentError("no_bundle", "no bundle folder (device.toml, password, ca.crt) on the stick")
    if len(bundles) > 1:
        names = ", ".join(str(b.relative_to(root)) for b in bundles)
        raise EnrolmentError("many_bundles", f"{len(bundles)} bundles on the stick ({names}): leave only this desk's")
    data = read_bundle(bundles[0])
    install(data, enrolled_dir=enrolled_dir, data_dir=data_dir, how="from a USB stick", now=when)
    try:
        scrub(bundles[0])
        _write(bundles[0] / "TAKEN.txt", taken_note(data, when), 0o644)
    except OSError as exc:  # a write-protected stick, mounted read-only
        raise EnrolmentError(
            "not_scrubbed",
            f"this tablet is now enrolled as {data.device_id}, but the stick could not be cleaned ({exc.strerror}): "
            f"delete the password and enrol-qr files in {bundles[0].name} by hand, or wipe the stick",
        ) from None
    return data


def _detail(error: urllib.error.HTTPError) -> str:
    try:
        detail = json.loads(error.read().decode("utf-8")).get("detail")
    except (ValueError, AttributeError, OSError):
        detail = None
    return detail if isinstance(detail, str) else f"HTTP {error.code}"


def redeem_code(collector_url: str, code: str, *, ca_file: Path | None = None, timeout: float = 20.0) -> EnrolmentData:
    """POST the code to the collector's ``/api/v1/enrol`` over HTTPS; the enrolment it answers with."""
    raw = normalise_code(code)
    if not collector_url.startswith("https://"):
        raise EnrolmentError("refused", f"{collector_url}: the collector address must begin with https://")
    try:
        context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise EnrolmentError("untrusted", f"cannot read the CA file {ca_file}: {exc}") from None
    request = urllib.request.Request(  # noqa: S310 (https only, checked above)
        collector_url.rstrip("/") + "/api/v1/enrol",
        data=json.dumps({"code": raw}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:  # noqa: S310
            body = json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        kinds = {404: "wrong_code", 422: "wrong_code", 410: "used_code", 429: "too_many"}
        raise EnrolmentError(kinds.get(exc.code, "refused"), _detail(exc)) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ssl.SSLCertVerificationError):
            raise EnrolmentError("untrusted", f"the collector's certificate is not trusted: {exc.reason}") from None
        raise EnrolmentError("unreachable", f"cannot reach {collector_url}: {exc.reason}") from None
    except ssl.SSLError as exc:
        raise EnrolmentError("untrusted", f"TLS with {collector_url} failed: {exc}") from None
    except (OSError, ValueError) as exc:
        raise EnrolmentError("unreachable", f"no answer from {collector_url}: {exc}") from None
    desk = body.get("desk") or {}
    return EnrolmentData(
        body["device_id"],
        body["broker"],
        body["password"],
        body["ca"],
        body.get("release_key"),
        desk.get("desk_name_ar"),
        desk.get("desk_name_en"),
    )


def enrol_defaults(path: Path = ENROL_SETTINGS) -> tuple[str | None, Path | None]:
    """``collector_url`` and ``ca_file`` from the image's enrol.toml (None, None when it is missing)."""
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None, None
    url, ca = values.get("collector_url"), values.get("ca_file")
    return (str(url) if url else None), (Path(ca) if ca else None)
