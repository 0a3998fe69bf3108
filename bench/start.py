"""A collector's restart on a big database: seconds from start to ``/healthz`` 200, and to its whole check.

Starts a private mosquitto, then ``python -m collector collector`` on ``--db`` (a file
built by bench/reports.py; keep it out of the repository) as systemd would, and polls
``/healthz`` every 50 ms until it answers 200: the broker's backlog drains from then
on. It keeps reading the collector's log until the background integrity check says it
finished (when the start did not check the whole file), then stops it. ``--repo`` runs
another checkout's collector on the same file (an older one, for a before/after).

    .venv/bin/python bench/start.py --db /tmp/taqyeem-1m.db --runs 3
    .venv/bin/python bench/start.py --db /tmp/taqyeem-1m-v20.db --repo /work/main
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collector.fleet.broker import COLLECTOR_USER, set_password
from devtools.local_broker import LocalBroker, free_port

FINISHED = ("integrity check of", "finished: ok")


def one_start(repo: Path, db: Path, broker_url: str, log: Path, wait_check_s: float) -> tuple[float, str]:
    """(seconds to /healthz 200, what became of the whole check)."""
    port = free_port()
    command = [str(repo / ".venv/bin/python"), "-m", "collector", "collector", "--broker", broker_url]
    command += ["--db", str(db), "--http", f"127.0.0.1:{port}", "--client-id", "bench-start"]
    with log.open("wb") as out:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=repo, stdout=out, stderr=subprocess.STDOUT)
        try:
            healthy = _wait_healthy(process, port, started)
            deadline = time.monotonic() + wait_check_s
            while time.monotonic() < deadline and process.poll() is None:
                text = log.read_text(errors="replace")
                if "starting unchecked" in text:
                    return healthy, "started unchecked: the check gave up"
                if all(part in text for part in FINISHED):
                    return healthy, f"the whole check, in the background, done at {time.monotonic() - started:.1f} s"
                if "goes on after" not in text:
                    return healthy, "checked whole before serving"
                time.sleep(0.05)
            return healthy, "the background check had not finished"
        finally:
            process.terminate()
            process.wait(30)


def _wait_healthy(process: subprocess.Popen[bytes], port: int, started: float) -> float:
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the collector exited with {process.returncode} before it was healthy")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return time.monotonic() - started
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="an existing collector database (bench/reports.py)")
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1], help="checkout to run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wait-check-s", type=float, default=120.0, help="how long to wait for the whole check")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        broker = LocalBroker(Path(tmp) / "broker", free_port())
        broker.workdir.mkdir(parents=True)
        password = secrets.token_urlsafe(12)
        set_password(broker.password_file, COLLECTOR_USER, password)
        broker.start()
        try:
            url = broker.url(COLLECTOR_USER, password)
            print(f"{args.db} ({args.db.stat().st_size / 1e6:.0f} MB), collector of {args.repo}")
            for run in range(1, args.runs + 1):
                log = Path(tmp) / f"collector-{run}.log"
                healthy, whole = one_start(args.repo, args.db, url, log, args.wait_check_s)
                print(f"run {run}: healthy after {healthy:.2f} s ({whole})", flush=True)
        finally:
            broker.stop()


if __name__ == "__main__":
    main()
