"""The kiosk and its check as processes, started the way the systemd units start them (for the update tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from device.updates.layout import Releases
from shared.contract import Status, parse_message
from tests.support.mqtt_peer import Peer

DEVICE_COMMAND = Path(sys.executable).parent / "taqyeem-device"


def unit_env(releases: Releases | None) -> dict[str, str]:
    """The unit's environment: PYTHONPATH at ``current`` for the kiosk, none for the check."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAQYEEM_", "PYTHON"))}
    env |= {"SDL_VIDEODRIVER": "offscreen", "SDL_AUDIODRIVER": "dummy", "PYTHONUNBUFFERED": "1"}
    if releases is not None:
        env["PYTHONPATH"] = str(releases.current_link)
    return env


def update_check(toml: Path, *args: str) -> str:
    result = subprocess.run(
        [str(DEVICE_COMMAND), "update-check", "--config", str(toml), *args],
        capture_output=True,
        text=True,
        env=unit_env(None),
        cwd=toml.parent,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def wait_status(peer: Peer, wanted, timeout: float = 60.0) -> Status:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            message = peer.next_message(timeout=max(0.1, deadline - time.monotonic()))
        except Exception:  # noqa: S112 - queue.Empty: keep waiting until the deadline
            continue
        if message.topic.endswith("/status"):
            status = parse_message(Status, message.payload)
            if wanted(status):
                return status
    raise AssertionError("no such status within the time")


def start_kiosk(toml: Path, releases: Releases | None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(DEVICE_COMMAND), "run", "--windowed", "--config", str(toml)],
        env=unit_env(releases),
        cwd=toml.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_kiosk(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output
