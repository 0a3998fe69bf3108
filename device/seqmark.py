"""The seq high-water mark: a small file beside the outbox that outlives a damaged outbox.

The outbox keeps ``last_seq`` inside its own SQLite file, so a damaged file would
take the device's count with it, and a fresh outbox starting again at 1 would
reuse numbers the collector already holds. Before any ``seq`` past the mark is
committed, the mark is raised a block ahead (one small write per ``BLOCK``
ratings, not one per tap), so the mark is always at least every ``seq`` ever
used. A fresh outbox continues above it: a few numbers may be skipped (at most
a block), none is reused. The file is replaced atomically (write, fsync,
rename, fsync the folder), so a power cut leaves the old mark or the new one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

BLOCK = 100


def mark_path(outbox_path: Path) -> Path:
    return outbox_path.with_name(outbox_path.name + ".seq")


def read_mark(path: Path) -> int | None:
    """The mark, or None if there is none (a device from before marks) or it cannot be read."""
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def write_mark(path: Path, value: int) -> None:
    temp = path.with_name(path.name + ".tmp")
    with open(temp, "w") as handle:
        handle.write(f"{value}\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    with contextlib.suppress(OSError):  # some filesystems cannot fsync a folder; the rename is still atomic
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
