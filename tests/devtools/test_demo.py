"""The demo (`./dev.sh demo`) as a newcomer runs it: starts, rates, answers the API, stops on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx

from devtools.local_broker import free_port
from tests.conftest import wait_until

REPO = Path(__file__).resolve().parents[2]


def test_demo_runs_rates_and_stops_cleanly(tmp_path: Path):
    port = free_port()
    demo = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devtools.demo",
            "--data-dir",
            str(tmp_path / "demo"),
            "--desks",
            "3",
            "--interval",
            "0.2",
            "--http",
            f"127.0.0.1:{port}",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert demo.stdout is not None
        while not any("API token:" in line for line in lines):
            line = demo.stdout.readline()
            assert line, "demo exited early:\n" + "".join(lines)
            lines.append(line)
        token = next(line for line in lines if "API token:" in line).split()[-1]
        headers = {"Authorization": f"Bearer {token}"}
        base = f"http://127.0.0.1:{port}"

        def some_ratings() -> bool:
            try:
                return bool(httpx.get(f"{base}/api/v1/ratings", headers=headers, timeout=2).json()["ratings"])
            except httpx.HTTPError:
                return False

        wait_until(some_ratings, timeout=20, what="the demo's desks to be rated")
        assert httpx.get(f"{base}/healthz", timeout=2).json()["broker"] == "connected"
        devices = httpx.get(f"{base}/api/v1/devices", headers=headers, timeout=2).json()["devices"]
        assert {d["site_id"] for d in devices} == {"riyadh-hq"}
        assert len(devices) == 3  # the kiosk is a device only with --kiosk
        report = httpx.get(f"{base}/api/v1/reports/daily", headers=headers, timeout=5).json()
        assert report["by_section"] and all(s["name_en"] and s["name_ar"] for s in report["by_section"])
    finally:
        demo.send_signal(signal.SIGINT)
        output, _ = demo.communicate(timeout=30)
    assert demo.returncode == 0, output
    assert "Demo stopped." in output
    assert "Traceback" not in output


def test_the_demo_has_help_with_an_example():
    result = subprocess.run(
        [sys.executable, "-m", "devtools.demo", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert "Example:" in result.stdout
    assert "./dev.sh demo" in result.stdout.split("Example:", 1)[1]
    for option in ("--data-dir", "--desks", "--interval", "--http", "--kiosk"):
        assert option in result.stdout
