"""Release wheels for tests: a small real wheel made with zipfile (no build, no network), and a signing key."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

from collector.fleet.config_publisher import ConfigPublisher
from collector.fleet.release_wheels import add_release, inspect_wheel, make_signing_key
from collector.fleet.rollout import Change, Place, rollout
from collector.store import Store
from shared.clock import now_text


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def make_wheel(
    folder: Path,
    version: str = "0.2.0",
    *,
    metadata_version: str | None = None,
    packages: tuple[str, ...] = ("device", "shared"),
    extra: bytes = b"",
    extra_files: dict[str, bytes] | None = None,
    purelib: bool = True,
) -> Path:
    """``taqyeem-{version}-py3-none-any.whl`` holding the packages, METADATA and a RECORD with each file's hash.

    ``extra`` changes one module's bytes (so two wheels of one version differ).
    """
    folder.mkdir(parents=True, exist_ok=True)
    dist_info = f"taqyeem-{version}.dist-info"
    files = {f"{p}/__init__.py": f'"""{p} {version}"""\n'.encode() + extra for p in packages}
    if "device" in packages:
        files["device/cli.py"] = b'"""The tablet\'s command."""\n'
    files.update(extra_files or {})
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: taqyeem\nVersion: {metadata_version or version}\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        f"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: {str(purelib).lower()}\nTag: py3-none-any\n".encode()
    )
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    path = folder / f"taqyeem-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
    return path


def make_key(folder: Path, name: str = "release.key") -> tuple[Path, str]:
    """A new signing key file and its public key text."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    return path, make_signing_key(path)


def roll_out_wheel(
    store: Store,
    publisher: ConfigPublisher,
    wheel: Path,
    *,
    key_path: Path,
    public_key: str,
    tablet_url: str,
    place: Place | None = None,
    skip_stages: bool = True,
) -> list[Change]:
    """Add ``wheel`` as a release (kept in ``<db folder>/releases``, where the app serves it from when its
    settings name no ``releases_dir``) and roll it out at ``place`` (default: every tablet).

    ``publisher``: a running collector's ``ingest.config_publisher``, or ``connect_config_publisher(...)``.
    The tablets must be provisioned in ``store`` (``store.devices.register``) for their download to be allowed.
    """
    now = now_text()
    add_release(
        store,
        wheel,
        key_path,
        public_key=public_key,
        releases_dir=store.path.parent / "releases",
        actor="test",
        now=now,
    )
    version = inspect_wheel(wheel).version
    return rollout(
        store,
        publisher,
        place=place or Place(),
        version=version,
        tablet_url=tablet_url,
        actor="test",
        now=now,
        skip_stages=skip_stages,
    )
