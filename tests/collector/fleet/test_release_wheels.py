"""A release's wheel and its signing key: real files, real signatures (shared/releases.py's rule)."""

from __future__ import annotations

import io
import stat
import warnings
import zipfile
from pathlib import Path

import pytest

from collector.fleet.errors import ReleaseError
from collector.fleet.release_wheels import add_release, file_sha256, inspect_wheel, load_signing_key
from collector.store import Store
from device.updates.wheel import WheelRefused, check_wheel
from shared.releases import Release, load_public_key, signature_is_valid
from tests.support.fleet_releases import make_key, make_wheel

NOW = "2026-12-01T04:00:00.000Z"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "taqyeem.db")


def _add(store: Store, wheel: Path, key: Path, public: str, tmp_path: Path) -> tuple[dict[str, object], bool]:
    return add_release(
        store, wheel, key, public_key=public, releases_dir=tmp_path / "releases", actor="cli:it", now=NOW
    )


def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites_it(tmp_path: Path) -> None:
    key, public = make_key(tmp_path)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    load_public_key(public)  # what collector.toml and device.toml take
    before = key.read_bytes()
    with pytest.raises(ReleaseError, match=r"never overwritten"):
        make_key(tmp_path)
    assert key.read_bytes() == before
    assert load_signing_key(key) is not None


def test_a_real_wheel_is_read_for_its_version_size_and_hash(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "0.2.0")
    found = inspect_wheel(wheel)
    assert (found.version, found.size, found.sha256) == ("0.2.0", wheel.stat().st_size, file_sha256(wheel))


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"metadata_version": "0.3.0"}, "its METADATA says taqyeem 0.3.0, its file name taqyeem 0.2.0"),
        ({"packages": ("shared",)}, r"does not hold the tablet's program \(no device/__init__.py"),
        ({"extra_files": {"device/_speedups.cpython-311-aarch64-linux-gnu.so": b"\x7fELF"}}, "not pure Python"),
        ({"purelib": False}, "Root-Is-Purelib is not true"),
        ({"extra_files": {"../../etc/cron.d/x": b"* * * * * root sh"}}, "a path with '..'"),
    ],
)
def test_a_wheel_that_is_not_the_tablets_program_is_refused(tmp_path: Path, change: dict, error: str) -> None:
    with pytest.raises(ReleaseError, match=error):
        inspect_wheel(make_wheel(tmp_path, "0.2.0", **change))


def test_a_wheel_with_another_name_is_refused(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "0.2.0")
    renamed = wheel.rename(tmp_path / "taqyeem-0.2.0-cp311-cp311-linux_aarch64.whl")
    with pytest.raises(ReleaseError, match=r"taqyeem-X.Y.Z-py3-none-any.whl"):
        inspect_wheel(renamed)


def test_a_tampered_wheel_is_refused(tmp_path: Path) -> None:
    """A module changed after the build (its RECORD hash no longer matches), and bytes flipped in the zip."""
    wheel = make_wheel(tmp_path / "a", "0.2.0")
    tampered = tmp_path / "b" / wheel.name
    tampered.parent.mkdir()
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(tampered, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            out.writestr(item, data + b"import os\n" if item.filename == "device/__init__.py" else data)
    with pytest.raises(ReleaseError, match=r"changed after it was built: device/__init__.py"):
        inspect_wheel(tampered)

    raw = bytearray(wheel.read_bytes())
    at = raw.index(b"PK\x03\x04") + 60  # inside the first file's compressed bytes
    raw[at] ^= 0xFF
    wheel.write_bytes(bytes(raw))
    with pytest.raises(ReleaseError, match=r"damaged|not a readable wheel"):
        inspect_wheel(wheel)


def test_add_signs_copies_and_records_a_release_that_tablets_verify(store: Store, tmp_path: Path) -> None:
    key, public = make_key(tmp_path / "keys")
    wheel = make_wheel(tmp_path / "dist", "0.2.0")

    row, new = _add(store, wheel, key, public, tmp_path)

    assert new and row["version"] == "0.2.0" and row["added_by"] == "cli:it"
    kept = tmp_path / "releases" / wheel.name
    assert kept.read_bytes() == wheel.read_bytes()
    stored = store.releases.get("0.2.0")
    assert stored is not None and stored["sha256"] == file_sha256(wheel) and stored["size"] == wheel.stat().st_size
    release = Release(
        version="0.2.0", url="https://c/", sha256=stored["sha256"], size=stored["size"], signature=stored["signature"]
    )
    assert signature_is_valid(load_public_key(public), release)
    assert [e["kind"] for e in store.releases.events()] == ["added"]


def test_a_key_that_is_not_release_public_key_is_refused(store: Store, tmp_path: Path) -> None:
    _configured, public = make_key(tmp_path / "keys", "centre.key")
    other, _ = make_key(tmp_path / "keys", "laptop.key")
    with pytest.raises(
        ReleaseError, match=r"tablets would refuse it: .*laptop.key is not the key of release_public_key"
    ):
        _add(store, make_wheel(tmp_path / "dist"), other, public, tmp_path)
    assert store.releases.all() == [] and not (tmp_path / "releases").exists()


def test_without_release_public_key_add_says_what_to_set(store: Store, tmp_path: Path) -> None:
    key, _ = make_key(tmp_path / "keys")
    with pytest.raises(ReleaseError, match=r"release_public_key is not set: .*taqyeem release keygen"):
        add_release(store, make_wheel(tmp_path), key, public_key=None, releases_dir=tmp_path / "r", actor="it", now=NOW)


def test_the_same_bytes_again_are_already_there_and_other_bytes_are_refused(store: Store, tmp_path: Path) -> None:
    key, public = make_key(tmp_path / "keys")
    wheel = make_wheel(tmp_path / "dist", "0.2.0")
    first, _ = _add(store, wheel, key, public, tmp_path)

    again, new = _add(store, wheel, key, public, tmp_path)
    assert not new and again["signature"] == first["signature"]

    rebuilt = make_wheel(tmp_path / "rebuilt", "0.2.0", extra=b"# fixed\n")
    with pytest.raises(ReleaseError, match=r"already there with other bytes"):
        _add(store, rebuilt, key, public, tmp_path)
    assert (tmp_path / "releases" / wheel.name).read_bytes() == wheel.read_bytes()


def crafted(tmp_path: Path, name: str, *, link_to: str | None = None) -> Path:
    """A real wheel with one more entry appended: ``name`` as a symbolic link to ``link_to``, or as a file."""
    wheel = make_wheel(tmp_path, "0.2.0")
    with warnings.catch_warnings(), zipfile.ZipFile(wheel, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of a name given twice: that is the point
        info = zipfile.ZipInfo(name)
        if link_to is not None:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, link_to or "import os\n")
    return wheel


@pytest.mark.parametrize(
    ("name", "link_to", "why"),
    [
        ("device/kiosk/evil.py", "/etc/shadow", "the wheel holds a symbolic link ('device/kiosk/evil.py')"),
        ("device/cli.py", None, "the wheel holds 'device/cli.py' twice"),
        ("device/./cli.py", None, "the wheel holds 'device/./cli.py' twice"),
        ("/usr/lib/python3/dist-packages/x.pth", None, "the wheel holds an absolute path"),
        ("device/../../x.pth", None, "the wheel holds a path with '..'"),
    ],
    ids=["symlink", "duplicate", "duplicate-dot", "absolute", "dotdot"],
)
def test_a_wheel_the_tablet_would_refuse_is_refused_before_it_is_signed_for_the_same_reason(
    store: Store, tmp_path: Path, name: str, link_to: str | None, why: str
) -> None:
    wheel = crafted(tmp_path / "dist", name, link_to=link_to)
    key, public = make_key(tmp_path)
    with pytest.raises(ReleaseError) as refused:
        _add(store, wheel, key, public, tmp_path)
    assert str(refused.value).startswith(why) and "every tablet would refuse it" in str(refused.value)
    assert store.releases.get("0.2.0") is None and not (tmp_path / "releases").exists()  # nothing signed or kept
    with pytest.raises(WheelRefused) as on_the_tablet, zipfile.ZipFile(io.BytesIO(wheel.read_bytes())) as archive:
        check_wheel(archive, "0.2.0")
    assert str(on_the_tablet.value).startswith(why)
