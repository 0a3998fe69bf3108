"""A release's wheel on the tablet (device/updates/wheel.py): what is refused before unpacking, the slot it fills."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from device.updates.version import running_version
from device.updates.wheel import WheelRefused, check_wheel, unpack, unsafe_name
from tests.support.tablet_releases import make_wheel


def _zip(entries: dict[str, bytes], *, symlink: str | None = None) -> zipfile.ZipFile:
    buffer = io.BytesIO(make_wheel("0.2.0", extra=entries))
    if symlink is not None:
        with zipfile.ZipFile(buffer, "a") as archive:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, "/etc/passwd")
    return zipfile.ZipFile(buffer)


@pytest.mark.parametrize(
    ("name", "why"),
    [("../evil.py", "'..'"), ("/etc/cron.d/x", "absolute"), ("device\\x.py", "backslash"), ("C:/x.py", "absolute")],
)
def test_a_name_that_would_leave_the_slot_is_named_as_such(name: str, why: str) -> None:
    assert why in (unsafe_name(name) or "")


def test_names_inside_the_slot_are_fine() -> None:
    assert unsafe_name("device/kiosk/root.py") is None
    assert unsafe_name("taqyeem-0.2.0.dist-info/METADATA") is None


@pytest.mark.parametrize(
    ("entries", "symlink", "words"),
    [
        ({"device/../../escape.py": b"x"}, None, "'..'"),
        ({"device/speedups.cpython-311-aarch64-linux-gnu.so": b"\x7fELF"}, None, "not pure Python"),
        ({}, "device/link-out", "symbolic link"),
    ],
)
def test_an_unsafe_or_compiled_wheel_is_refused(entries: dict[str, bytes], symlink: str | None, words: str) -> None:
    with pytest.raises(WheelRefused, match=words):
        check_wheel(_zip(entries, symlink=symlink), "0.2.0")


def test_a_wheel_of_another_version_or_without_the_tablets_program_is_refused() -> None:
    with pytest.raises(WheelRefused, match=r"own version is 0\.2\.0, not the signed 0\.3\.0"):
        check_wheel(_zip({}), "0.3.0")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shared/__init__.py", "")
    with pytest.raises(WheelRefused, match="does not hold the tablet's program"):
        check_wheel(zipfile.ZipFile(buffer), "0.2.0")


def test_a_platform_wheel_is_refused() -> None:
    data = make_wheel("0.2.0")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.endswith("/WHEEL"):
                body = body.replace(b"Root-Is-Purelib: true", b"Root-Is-Purelib: false")
            archive.writestr(info, body)
    with pytest.raises(WheelRefused, match="Root-Is-Purelib"):
        check_wheel(zipfile.ZipFile(buffer), "0.2.0")


def test_unpack_fills_the_slot_and_the_version_is_read_from_its_dist_info(tmp_path: Path) -> None:
    wheel = tmp_path / "taqyeem-0.2.0-py3-none-any.whl"
    wheel.write_bytes(make_wheel("0.2.0"))
    slot = tmp_path / "releases" / "a"
    slot.mkdir(parents=True)
    (slot / "left-over-from-before.py").write_text("")
    unpack(wheel, "0.2.0", slot)
    assert (slot / "device" / "kiosk" / "root.kv").is_file()
    assert not (slot / "left-over-from-before.py").exists()
    assert not list(slot.parent.glob(".*unpacking"))
    assert running_version(slot / "device") == "0.2.0"


def test_a_refused_wheel_leaves_the_slot_as_it_was(tmp_path: Path) -> None:
    wheel = tmp_path / "bad.whl"
    wheel.write_bytes(make_wheel("0.2.0", extra={"../../x.py": b""}))
    slot = tmp_path / "a"
    slot.mkdir()
    (slot / "kept.py").write_text("")
    with pytest.raises(WheelRefused):
        unpack(wheel, "0.2.0", slot)
    assert (slot / "kept.py").exists() and not (tmp_path / "x.py").exists()
