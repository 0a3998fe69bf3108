"""A release's wheel: checked, hashed, signed and kept; and the signing key it is signed with.

``taqyeem release keygen`` makes the centre's Ed25519 key (``make_signing_key``); ``taqyeem
release add`` checks a wheel (``inspect_wheel``: a pure-Python ``taqyeem-X.Y.Z-py3-none-any.whl``
whose METADATA names the same version, holding the ``device`` and ``shared`` packages, every file
matching its RECORD hash when it has one, and no entry the tablet would refuse, by the tablet's
own rule in shared/wheel_entries.py), signs it with shared/releases.py's rule and keeps a copy
in the releases folder (``add_release``). A key that is not the one of ``release_public_key`` is
refused: every tablet would refuse what it signs.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from collector.fleet.errors import ReleaseError
from collector.store import Store
from shared.releases import MAX_RELEASE_BYTES, VERSION_PATTERN, Release, public_key_text, sign_release
from shared.wheel_entries import refused_entry

WHEEL_NAME = re.compile(r"^taqyeem-(?P<version>[^-]+)-py3-none-any\.whl$")
# What a tablet runs (device/updates/wheel.py checks the same): a wheel without it cannot replace its program.
PROGRAM = ("device/__init__.py", "device/cli.py", "shared/__init__.py")


@dataclass(frozen=True)
class Wheel:
    version: str
    file_name: str
    size: int
    sha256: str


def make_signing_key(out: Path) -> str:
    """Write a new Ed25519 private key (PEM, 0600) to ``out``; its public key as `release_public_key` wants it."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ReleaseError(f"{out} already exists: a signing key is never overwritten; choose another --out") from None
    with os.fdopen(fd, "wb") as file:
        file.write(pem)
    return public_key_text(key.public_key())


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise ReleaseError(f"signing key {path} does not exist; make one with `taqyeem release keygen`") from None
    except (ValueError, TypeError):
        raise ReleaseError(f"{path} is not an unencrypted PEM private key from `taqyeem release keygen`") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ReleaseError(f"{path} is not an Ed25519 key; make one with `taqyeem release keygen`")
    return key


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def inspect_wheel(path: Path) -> Wheel:
    """The wheel's version, size and SHA-256, or a ReleaseError that says what is wrong with it."""
    found = WHEEL_NAME.match(path.name)
    if found is None or not re.fullmatch(VERSION_PATTERN, found["version"]):
        raise ReleaseError(
            f"{path.name} is not a release wheel: its name must be taqyeem-X.Y.Z-py3-none-any.whl "
            "(pure Python; build it with `python -m build --wheel`)"
        )
    version = found["version"]
    if not path.is_file():
        raise ReleaseError(f"{path} does not exist")
    size = path.stat().st_size
    if size > MAX_RELEASE_BYTES:
        raise ReleaseError(f"{path.name} is {size} bytes; a release is at most {MAX_RELEASE_BYTES} bytes")
    try:
        with zipfile.ZipFile(path) as wheel:
            _check_contents(wheel, version)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ReleaseError(f"{path.name} is not a readable wheel (zip): {exc}") from None
    return Wheel(version, path.name, size, file_sha256(path))


def _check_contents(wheel: zipfile.ZipFile, version: str) -> None:
    names = set(wheel.namelist())
    damaged = wheel.testzip()
    if damaged is not None:
        raise ReleaseError(f"the wheel is damaged: {damaged} does not match its checksum")
    dist_info = f"taqyeem-{version}.dist-info"
    if f"{dist_info}/METADATA" not in names:
        raise ReleaseError(f"the wheel has no {dist_info}/METADATA: is it a wheel of Taqyeem {version}?")
    metadata = HeaderParser().parsestr(wheel.read(f"{dist_info}/METADATA").decode("utf-8", "replace"))
    if metadata.get("Name", "").lower() != "taqyeem" or metadata.get("Version") != version:
        raise ReleaseError(
            f"its METADATA says {metadata.get('Name')} {metadata.get('Version')}, its file name taqyeem {version}: "
            "rebuild the wheel instead of renaming it"
        )
    missing = [name for name in PROGRAM if name not in names]
    if missing:
        raise ReleaseError(f"the wheel does not hold the tablet's program (no {', '.join(missing)})")
    _check_runnable(wheel, dist_info)
    if f"{dist_info}/RECORD" in names:
        _check_record(wheel, wheel.read(f"{dist_info}/RECORD").decode("utf-8", "replace"))


def _check_runnable(wheel: zipfile.ZipFile, dist_info: str) -> None:
    """What the tablet checks before it unpacks a release (device/updates/wheel.py): refused here, not on every desk."""
    why = refused_entry(wheel.infolist())  # the tablet's own rule (shared/wheel_entries.py)
    if why is not None:
        raise ReleaseError(f"{why}: every tablet would refuse it; build it with pip wheel --no-deps .")
    try:
        tags = HeaderParser().parsestr(wheel.read(f"{dist_info}/WHEEL").decode("utf-8", "replace"))
    except KeyError:
        raise ReleaseError(f"the wheel has no {dist_info}/WHEEL: build it with pip wheel") from None
    if (tags.get("Root-Is-Purelib") or "").strip().lower() != "true":
        raise ReleaseError("the wheel is not pure Python (its WHEEL file says Root-Is-Purelib is not true)")


def _check_record(wheel: zipfile.ZipFile, record: str) -> None:
    """Each file listed with a hash in RECORD must have that hash: a file changed after the build is refused."""
    for row in csv.reader(io.StringIO(record)):
        if len(row) < 2 or not row[1]:
            continue
        name, (algorithm, _, expected) = row[0], row[1].partition("=")
        if algorithm != "sha256":
            continue
        try:
            data = wheel.read(name)
        except KeyError:
            raise ReleaseError(f"the wheel's RECORD lists {name}, which it does not hold") from None
        actual = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        if actual != expected:
            raise ReleaseError(f"the wheel was changed after it was built: {name} does not match its RECORD hash")


def add_release(
    store: Store,
    wheel_path: Path,
    key_path: Path,
    *,
    public_key: str | None,
    releases_dir: Path,
    actor: str,
    now: str,
) -> tuple[dict[str, Any], bool]:
    """Check, sign, copy and record a wheel; (its row, True) or, when these bytes are there already, (row, False)."""
    if not public_key:
        raise ReleaseError(
            "release_public_key is not set: make a key with `taqyeem release keygen --out FILE` and put the "
            "line it prints in collector.toml"
        )
    wheel = inspect_wheel(wheel_path)
    key = load_signing_key(key_path)
    if public_key_text(key.public_key()) != public_key.strip():
        raise ReleaseError(
            f"tablets would refuse it: {key_path} is not the key of release_public_key in collector.toml "
            f"({public_key.strip()}); sign with that key, or give the tablets this key's public half"
        )
    known = store.releases.get(wheel.version)
    if known is not None:
        if known["sha256"] == wheel.sha256:
            return known, False
        raise ReleaseError(
            f"release {wheel.version} is already there with other bytes (sha256 {known['sha256'][:12]}...): "
            "a version is never reused; build the next version number"
        )
    signature = sign_release(key, wheel.version, wheel.sha256, wheel.size)
    Release(version=wheel.version, url="https://x/", sha256=wheel.sha256, size=wheel.size, signature=signature)
    _keep_copy(wheel_path, releases_dir / wheel.file_name, wheel.sha256)
    row = {**wheel.__dict__, "signature": signature, "added_at": now, "added_by": actor}
    store.releases.add(row)
    return row, True


def _keep_copy(source: Path, dest: Path, sha256: str) -> None:
    """Copy through a temporary name, so a half-copied file never has the release's name."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    shutil.copyfile(source, partial)
    if file_sha256(partial) != sha256:
        partial.unlink()
        raise ReleaseError(f"{source} changed while it was being copied; run the command again")
    os.replace(partial, dest)
