"""A process's resident memory as Linux reports it (/proc/PID/status), for the tests that bound it."""

from __future__ import annotations

from pathlib import Path


def peak_and_now_mb(pid: int) -> tuple[float, float]:
    """(VmHWM, VmRSS) of a process in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024


def reset_peak(pid: int) -> float:
    """Start VmHWM again from the present RSS (Linux: 5 > clear_refs); returns that RSS in MB."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return peak_and_now_mb(pid)[1]
