"""What a release's wheel must be before it is unpacked into a slot, and the unpacking.

The tablet runs a release straight from its unpacked files (it is put first on ``sys.path``), so
the wheel must be pure Python (no compiled module: the base install's venv provides those),
hold the tablet's program (``device/``), name the signed version in its dist-info, and pass
shared/wheel_entries.py's rule (no path that leaves its folder, no symbolic link, no name twice),
the one ``taqyeem release add`` applies before signing. No pip and no network at run time: ``zipfile`` is enough.
"""

from __future__ import annotations

import compileall
import os
import shutil
import zipfile
from email.parser import Parser
from pathlib import Path, PurePosixPath

from shared.wheel_entries import refused_entry, unsafe_name

__all__ = ["MAX_UNPACKED", "REQUIRED", "WheelRefused", "check_wheel", "unpack", "unsafe_name"]

MAX_UNPACKED = 1024 * 1024 * 1024  # a zip bomb would fill the SD card
REQUIRED = ("device/__init__.py", "device/cli.py", "shared/__init__.py")


class WheelRefused(ValueError):
    """The wheel cannot run as a release; the text says why and what to do."""


def check_wheel(archive: zipfile.ZipFile, version: str) -> None:
    """Raise ``WheelRefused`` unless the wheel can be unpacked and run as ``version`` (pure, over the zip)."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    why = refused_entry(infos)  # the collector refused such a wheel before signing it, by the same rule
    if why is not None:
        raise WheelRefused(f"{why}: refused; build it with pip wheel --no-deps .")
    if sum(info.file_size for info in infos) > MAX_UNPACKED:
        raise WheelRefused("the wheel unpacks to more than 1 GiB: refused")
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise WheelRefused(f"the wheel does not hold the tablet's program (no {', '.join(missing)})")
    dist_infos = {n.split("/", 1)[0] for n in names if n.split("/", 1)[0].endswith(".dist-info")}
    if len(dist_infos) != 1:
        raise WheelRefused("the wheel has no single .dist-info folder: build it with pip wheel")
    (dist_info,) = dist_infos
    try:
        metadata = Parser().parsestr(archive.read(f"{dist_info}/METADATA").decode("utf-8"))
        wheel = Parser().parsestr(archive.read(f"{dist_info}/WHEEL").decode("utf-8"))
    except (KeyError, UnicodeDecodeError):
        raise WheelRefused(f"{dist_info} lacks METADATA or WHEEL: build the wheel with pip wheel") from None
    if (metadata.get("Name") or "").lower() != "taqyeem":
        raise WheelRefused(f"the wheel is {metadata.get('Name')!r}, not taqyeem")
    if metadata.get("Version") != version:
        raise WheelRefused(f"the wheel's own version is {metadata.get('Version')}, not the signed {version}")
    if (wheel.get("Root-Is-Purelib") or "").strip().lower() != "true":
        raise WheelRefused("the wheel is not pure Python (Root-Is-Purelib is not true)")


def unpack(wheel_file: Path, version: str, slot: Path) -> None:
    """Check the wheel, then unpack it into ``slot`` (emptied first) through a folder beside it."""
    fresh = slot.with_name(f".{slot.name}.unpacking")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        with zipfile.ZipFile(wheel_file) as archive:
            check_wheel(archive, version)
            fresh.mkdir(parents=True)
            for info in archive.infolist():
                target = fresh.joinpath(*PurePosixPath(info.filename).parts)
                if not target.resolve().is_relative_to(fresh.resolve()):  # checked above; belt and braces
                    raise WheelRefused(f"the wheel holds a path outside its folder ({info.filename[:80]!r})")
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
                os.chmod(target, 0o644)
    except zipfile.BadZipFile:
        shutil.rmtree(fresh, ignore_errors=True)
        raise WheelRefused("the file is not a wheel (not a zip archive)") from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    compileall.compile_dir(str(fresh), ddir=str(slot), quiet=2, workers=1)  # the first start after the switch is faster
    shutil.rmtree(slot, ignore_errors=True)
    os.replace(fresh, slot)
