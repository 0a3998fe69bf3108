"""What a release's wheel may hold, entry by entry: one rule for the collector and the tablet.

``taqyeem release add`` (collector/fleet/release_wheels.py) refuses a wheel by it before
signing, and the tablet (device/updates/wheel.py) by it again before unpacking: no entry
whose name leaves the folder (absolute, ``..``, a drive, a backslash or NUL), no symbolic
link, no name given twice (a second copy would silently replace the first when unpacked),
no compiled module (a release changes Python code only). Pure: it reads the zip's
directory (names and modes), never a file's bytes.
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath

COMPILED = (".so", ".pyd", ".dylib", ".dll")


def unsafe_name(name: str) -> str | None:
    """Why an entry's name would land outside the folder it is unpacked into, or None when it stays inside."""
    if not name or "\\" in name or "\x00" in name:
        return "a name with a backslash or NUL"
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and ":" in path.parts[0]):
        return "an absolute path"
    if ".." in path.parts:
        return "a path with '..'"
    return None


def refused_entry(entries: Iterable[zipfile.ZipInfo]) -> str | None:
    """Why these entries cannot be unpacked as a release (the first reason met), or None when they can."""
    seen: set[str] = set()
    for info in entries:
        name = info.filename
        shown = repr(name[:80])
        why = unsafe_name(name)
        if why is not None:
            return f"the wheel holds {why} ({shown})"
        if stat.S_ISLNK(info.external_attr >> 16):
            return f"the wheel holds a symbolic link ({shown})"
        same = str(PurePosixPath(name))  # device/./x.py and device//x.py are device/x.py once unpacked
        if same in seen:
            return f"the wheel holds {shown} twice"
        seen.add(same)
        if name.endswith(COMPILED):
            return f"the wheel is not pure Python (it holds {shown}); a release changes Python code only"
    return None
