"""What a release's wheel may hold, entry by entry (shared/wheel_entries.py): the one rule the collector
applies before signing and the tablet again before unpacking, read from the zip's directory alone."""

from __future__ import annotations

import stat
import zipfile

import pytest

from shared.wheel_entries import refused_entry, unsafe_name


def entry(name: str, mode: int = stat.S_IFREG | 0o644) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


@pytest.mark.parametrize("name", ["device/kiosk/root.py", "taqyeem-0.2.0.dist-info/METADATA", "shared/x..y.py"])
def test_a_name_inside_the_folder_is_safe(name: str) -> None:
    assert unsafe_name(name) is None


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("", "a name with a backslash or NUL"),
        ("device\\core.py", "a name with a backslash or NUL"),
        ("device/core.py\x00.txt", "a name with a backslash or NUL"),
        ("/etc/passwd", "an absolute path"),
        ("C:/Windows/evil.py", "an absolute path"),
        ("device/../../etc/cron.d/x", "a path with '..'"),
        ("../outside.py", "a path with '..'"),
    ],
)
def test_a_name_that_would_land_outside_the_folder_says_how(name: str, why: str) -> None:
    assert unsafe_name(name) == why


def test_a_wheel_of_plain_modules_and_its_dist_info_is_accepted() -> None:
    assert (
        refused_entry([entry("device/__init__.py"), entry("device/core.py"), entry("taqyeem.dist-info/RECORD")]) is None
    )


def test_an_entry_leaving_the_folder_is_refused_naming_it() -> None:
    assert refused_entry([entry("ok.py"), entry("../x.py")]) == "the wheel holds a path with '..' ('../x.py')"


def test_a_symbolic_link_is_refused() -> None:
    link = entry("device/link.py", stat.S_IFLNK | 0o777)
    assert refused_entry([link]) == "the wheel holds a symbolic link ('device/link.py')"


@pytest.mark.parametrize("again", ["device/core.py", "device/./core.py", "device//core.py"])
def test_a_name_given_twice_however_spelled_is_refused(again: str) -> None:
    assert refused_entry([entry("device/core.py"), entry(again)]) == f"the wheel holds {again!r} twice"


@pytest.mark.parametrize("name", ["device/fast.so", "device/fast.pyd", "device/fast.dylib", "device/fast.dll"])
def test_a_compiled_module_is_refused_a_release_changes_python_code_only(name: str) -> None:
    assert refused_entry([entry(name)]) == (
        f"the wheel is not pure Python (it holds {name!r}); a release changes Python code only"
    )


def test_the_first_reason_met_is_given_and_a_long_name_is_cut_to_80_characters() -> None:
    long = "device/" + "x" * 200 + ".so"
    assert refused_entry([entry(long), entry("/abs")]) == (
        f"the wheel is not pure Python (it holds {long[:80]!r}); a release changes Python code only"
    )
