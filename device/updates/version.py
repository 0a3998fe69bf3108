"""The version of the program actually running, and keeping its folder for the rest of the process.

A tablet runs either its base install (the venv's site-packages) or a release unpacked in a slot
of the releases folder, put first on ``sys.path`` by the kiosk unit's ``PYTHONPATH``. Either way
the ``taqyeem-X.Y.Z.dist-info`` beside the running ``device`` package names its version.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from pathlib import Path

DIST_NAME = "taqyeem"
UNKNOWN = "0.0.0+unknown"


def running_version(package_dir: Path | None = None) -> str:
    """The version of the distribution whose folder holds the running ``device`` package.

    The dist-info beside it first (a slot, site-packages, or a checkout's egg-info), else
    whatever ``taqyeem`` distribution Python finds, else ``0.0.0+unknown``.
    """
    here = (package_dir or Path(__file__).resolve().parents[1]).parent
    for dist in importlib.metadata.distributions(name=DIST_NAME, path=[str(here)]):  # by folder name: no scan
        return dist.version
    try:
        return importlib.metadata.version(DIST_NAME)
    except importlib.metadata.PackageNotFoundError:
        return UNKNOWN


def pin_running_slot() -> None:
    """Replace a symlinked ``sys.path`` entry (``releases/current``) by the folder it points to now.

    Modules imported later in this process (Kivy's screens are imported lazily) then come from
    the same release even if ``current`` is flipped while it runs.
    """
    for index, entry in enumerate(sys.path):
        if entry and os.path.islink(entry):
            sys.path[index] = os.path.realpath(entry)
