"""Oversized bodies are refused with 413 before they are read (issue 20 point 2; collector/guards/body_limits.py).

The hostile run sent four parallel 200 MB POSTs to /r/<unknown> and took the collector
from 223 to 1,755 MB. Here every route of the app's route table is sent a body over its
limit over a raw socket, the way an attacker streams one: by Content-Length (answered
before a byte of the body is read) and chunked (cut at the limit), then the real
collector process takes 8 parallel 200 MB bodies on each write route, unauthenticated,
and its peak resident memory may rise by less than 20 MB. No body is ever built in
memory by the test: one 64 KiB buffer is sent again and again.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from collector.guards.body_limits import DEFAULT_LIMIT, body_limit
from collector.store import Store
from tests.collector.api.test_employee_reach import route_table
from tests.conftest import RunningBroker
from tests.support.collector_process import CollectorProcess
from tests.support.process_memory import peak_and_now_mb, reset_peak
from tests.support.rating_links import make_link

BODY_MB = 200
PARALLEL = 8
BUDGET_MB = 20
CHUNK = b"a" * 65_536  # the one buffer every streamed body is made of
VALUES = {"rating_id": "01938f7e-0000-7000-8000-000000000000", "name": "admin", "code": "en"}
VALUES |= {"employee_id": "E1", "version": "1.0.0", "token": "unknown-token"}


def send_body(base: str, method: str, path: str, *, chunked: bool, size: int = BODY_MB * 2**20) -> tuple[int, int]:
    """(status code, bytes sent before the server answered or cut the connection) of one streamed body."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"
        sock.sendall(head.encode())
        sent = 0
        try:
            while sent < size:
                sock.sendall(b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK) if chunked else CHUNK)
                sent += len(CHUNK)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:  # the server answered and closed: the answer is waiting to be read
            pass
        return status_of(sock), sent


def status_of(sock: socket.socket) -> int:
    answer = b""
    try:
        while b"\r\n" not in answer:
            part = sock.recv(4096)
            if not part:
                break
            answer += part
    except OSError:
        pass
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer.split(b" ", 2)[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("body-limits") / "taqyeem.db")
    yield live_api(store), store
    store.close()


@pytest.mark.parametrize("chunked", [False, True], ids=["by-content-length", "chunked"])
def test_every_route_refuses_a_body_over_its_limit_with_413(served: tuple[str, Store], chunked: bool) -> None:
    base, store = served
    answers = {}
    for method, path in route_table(store):
        answers[(method, path)] = send_body(base, method, path.format(**VALUES), chunked=chunked, size=64 * 2**20)
    refused = {route: status for route, (status, _) in answers.items() if status != 413}
    assert refused == {}
    # Cut early: what the sockets' buffers took before the server closed, not the 64 MB.
    assert max(sent for _, sent in answers.values()) < 16 * 2**20


def test_a_body_just_under_the_limit_reaches_the_route(served: tuple[str, Store]) -> None:
    base, store = served
    token = make_link(store, "V-limit")
    code = '{"code": "' + "A" * (DEFAULT_LIMIT - 40) + '"}'
    with httpx.Client(base_url=base) as client:
        enrol = client.post("/api/v1/enrol", content=code, headers={"Content-Type": "application/json"})
        over = client.post("/api/v1/enrol", content=code + " " * 40, headers={"Content-Type": "application/json"})
        chunked = client.post(
            "/api/v1/enrol",
            content=iter([b'{"code": ', b'"AAAA-BBBB-CCCC"}']),
            headers={"Content-Type": "application/json"},
        )
        answer = iter([b'{"score": 4, ', b'"comment": "' + b"x" * 400 + b'"}'])
        link = client.post(f"/r/{token}", content=answer, headers={"Content-Type": "application/json"})
    assert enrol.status_code == 422  # read and judged by the route: too long for a code
    assert over.status_code == 413 and "64 KiB" in over.json()["detail"]
    assert chunked.status_code == 404  # a chunked body under the limit is handed to the route whole
    assert link.status_code == 201, link.text


def test_the_rating_link_takes_at_most_16_kib(served: tuple[str, Store]) -> None:
    base, store = served
    token = make_link(store, "V-16k")
    assert body_limit("POST", f"/r/{token}") == 16 * 1024
    body = b'{"score": 4, "comment": "' + b"x" * 17_000 + b'"}'
    response = httpx.post(f"{base}/r/{token}", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and "16 KiB" in response.json()["detail"]
    assert httpx.post(f"{base}/r/{token}", json={"score": 4}).status_code == 201  # the link was not spent


@pytest.fixture(scope="module")
def collector_process(
    tmp_path_factory: pytest.TempPathFactory, broker: RunningBroker
) -> Iterator[tuple[str, int, list[tuple[str, str]]]]:
    """(base URL, pid, write routes with their paths) of `taqyeem collector` as systemd runs it."""
    db = tmp_path_factory.mktemp("body-memory") / "taqyeem.db"
    store = Store(db)
    try:
        token = make_link(store, "V-memory")
        writes = [(m, p.format(**{**VALUES, "token": token})) for m, p in route_table(store) if m != "GET"]
    finally:
        store.close()
    process = CollectorProcess(broker, db, "body-limits", db.parent / "collector.log", "--log-level", "WARNING")
    try:
        process.wait_healthy()
        yield process.url, process.pid, writes
    finally:
        process.stop()


@pytest.mark.parametrize("chunked", [False, True], ids=["by-content-length", "chunked"])
def test_eight_parallel_200_mb_bodies_on_every_write_route_raise_memory_by_less_than_20_mb(
    collector_process: tuple[str, int, list[tuple[str, str]]], chunked: bool
) -> None:
    base, pid, writes = collector_process
    assert {path.split("/")[1] for _, path in writes} >= {"r", "api", "login", "logout", "users", "me", "reviews"}
    peak_before = reset_peak(pid)
    started = time.monotonic()
    for method, path in writes:
        with ThreadPoolExecutor(PARALLEL) as pool:
            sends = [pool.submit(send_body, base, method, path, chunked=chunked) for _ in range(PARALLEL)]
            results = [sent.result() for sent in sends]
        assert {status for status, _ in results} == {413}, (method, path, results)
    took = time.monotonic() - started
    peak_after, held_after = peak_and_now_mb(pid)
    raised = peak_after - peak_before
    assert raised < BUDGET_MB, f"peak RSS rose {raised:.1f} MB (from {peak_before:.0f}), {held_after:.0f} MB held"
    assert httpx.get(base + "/healthz", timeout=5).status_code == 200
    print(  # the figures, for `pytest -s`
        f"\n{PARALLEL} x {BODY_MB} MB bodies ({'chunked' if chunked else 'Content-Length'}) on {len(writes)} routes "
        f"in {took:.1f} s: peak RSS {peak_before:.0f} -> {peak_after:.0f} MB, {held_after:.0f} MB held after"
    )
