"""The demo (`./dev.sh demo`) as a newcomer runs it: starts, rates, answers the API, stops on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx

from collector.reports.maths import Calendar
from devtools.local_broker import free_port
from tests.conftest import wait_until

REPO = Path(__file__).resolve().parents[2]


def start_demo(tmp_path: Path, port: int, *extra: str) -> tuple[subprocess.Popen[str], list[str]]:
    """The demo as ./dev.sh demo runs it, read up to the end of its banner."""
    args = ["--data-dir", str(tmp_path / "demo"), "--desks", "3", "--interval", "0.2", "--http", f"127.0.0.1:{port}"]
    demo = subprocess.Popen(
        [sys.executable, "-m", "devtools.demo", *args, *extra],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    assert demo.stdout is not None
    while not any("Press Ctrl-C" in line for line in lines):
        line = demo.stdout.readline()
        if not line:
            demo.wait(10)
            raise AssertionError("demo exited early:\n" + "".join(lines))
        lines.append(line)
    return demo, lines


def stop_demo(demo: subprocess.Popen[str]) -> str:
    demo.send_signal(signal.SIGINT)
    output, _ = demo.communicate(timeout=30)
    assert demo.returncode == 0, output
    assert "Demo stopped." in output
    assert "Traceback" not in output
    return output


def test_demo_runs_rates_and_stops_cleanly(tmp_path: Path):
    port = free_port()
    demo, lines = start_demo(tmp_path, port)
    try:
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
        halls = [s for s in report["by_section"] if s["section"]]  # calls come through no hall
        assert halls and all(s["name_en"] and s["name_ar"] for s in halls)
        # Who served: every desk has its named employee signed in, and each rating names them.
        ratings = httpx.get(f"{base}/api/v1/ratings", headers=headers, timeout=2).json()["ratings"]
        assert all(r["employee_name_en"] and r["employee_name_ar"] for r in ratings)

        def a_call_rated() -> bool:
            found = httpx.get(f"{base}/api/v1/ratings", headers=headers, params={"limit": 1000}, timeout=2)
            return any(r["channel"] == "call" for r in found.json()["ratings"])

        wait_until(a_call_rated, timeout=20, what="the demo's phone system to post a call's rating")
        link = next(line for line in lines if "Link:" in line).split()[1]
        assert link.startswith(base + "/r/") and httpx.get(link, timeout=5).status_code == 200
        today = Calendar.from_settings().today().isoformat()  # the demo's local day (Asia/Riyadh)
        period = httpx.get(
            f"{base}/api/v1/reports/period", headers=headers, params={"from": today, "to": today}, timeout=5
        ).json()
        assert period["calls"] >= 1 and period["visits"] >= 1  # every call recorded; the banner's visit
        signed_in = httpx.get(f"{base}/api/v1/presence", headers=headers, timeout=2).json()["presence"]
        assert {(p["device_id"], p["employee_id"]) for p in signed_in if p["event"] == "sign_in"} == {
            (f"riyadh-hq-desk-0{n}", f"E100{n}") for n in (1, 2, 3)
        }
    finally:
        stop_demo(demo)
    banner = "".join(lines)
    assert "E1001 Sara Alotaibi PIN " in banner and "Staff sign in" in banner
    assert any(line.strip().startswith("Women's hall:     E1001 Sara") for line in lines)  # by the kiosk's section
    assert "Employee:" in banner and "sara /" in banner


def test_the_demo_kiosk_opens_with_its_employee_signed_in(tmp_path: Path):
    port = free_port()
    demo, lines = start_demo(tmp_path, port, "--kiosk")
    try:
        token = next(line for line in lines if "API token:" in line).split()[-1]
        headers = {"Authorization": f"Bearer {token}"}
        base = f"http://127.0.0.1:{port}"

        def kiosk_signed_in() -> bool:
            try:  # the banner is printed just before the web app listens
                log = httpx.get(f"{base}/api/v1/presence", headers=headers, params={"device_id": "riyadh-hq-kiosk"})
            except httpx.HTTPError:
                return False
            return [(p["employee_id"], p["event"], p["cause"]) for p in log.json()["presence"]] == [
                ("E1004", "sign_in", "pin")  # checked against the PIN's hash in its config, as at the desk
            ]

        wait_until(kiosk_signed_in, timeout=60, what="the demo's kiosk to sign its employee in")
    finally:
        output = stop_demo(demo)
    assert "Kiosk:      riyadh-hq-kiosk opens on the faces, signed in as E1004" in "".join(lines)
    assert "could not sign in" not in output


def test_the_demo_has_help_with_an_example():
    result = subprocess.run(
        [sys.executable, "-m", "devtools.demo", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert "Example:" in result.stdout
    assert "./dev.sh demo" in result.stdout.split("Example:", 1)[1]
    for option in ("--data-dir", "--desks", "--interval", "--http", "--kiosk"):
        assert option in result.stdout
