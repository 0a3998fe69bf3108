"""What the devices data tells an admin about a desk's history, over real HTTP: API and page, both languages."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.store import Store
from collector.web.render import LANG_COOKIE
from shared.clock import now_text, uuid7
from shared.contract import Status
from tests.support.html_tree import parse
from tests.support.two_sites_today import make_rating, seed, today_start
from tests.support.web_session import sign_in


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("history") / "taqyeem.db")
    ratings = seed(store)["ratings"]
    first = next(r for r in ratings if r.device_id == "dev-a2")
    other_score = first.model_copy(update={"score": 1 if first.score != 1 else 5})
    store_batch(store, Batch([other_score]), "2026-11-28T10:00:00.000Z")
    restored = [r.model_copy(update={"id": str(uuid7()), "created_at": now_text()}) for r in ratings[-2:]]
    store_batch(store, Batch(restored), "2026-11-28T10:30:00.000Z")  # dev-b1's seqs 2 and 3 again: a reset
    store_batch(store, Batch([make_rating("dev-a2", 1_000_000, 4, today_start(), "E3")]), "2026-11-28T10:40:00.000Z")
    repaired = Status(state="online", last_seq=101, outbox_replaced_at="2026-11-28T07:30:00.000Z")
    store.devices.record_status("dev-a1", repaired, "2026-11-28T07:30:01.000Z", live=True)
    store.devices.record_status("dev-a1", Status(state="online", last_seq=102), "2026-11-28T07:31:00.000Z", live=True)
    yield live_api(store), store
    store.close()


def device(base: str, device_id: str) -> dict[str, object]:
    with sign_in(base, "admin") as client:
        devices = client.get("/api/v1/devices").json()["devices"]
    return next(d for d in devices if d["device_id"] == device_id)


def row_of(page: str, device_id: str) -> str:
    return page.split(f"<code>{device_id}</code>")[1].split("</tr>")[0]


def test_the_api_counts_conflicts_per_device(web: tuple[str, Store]) -> None:
    base, _ = web
    assert (device(base, "dev-a2")["conflicts"], device(base, "dev-a1")["conflicts"]) == (1, 0)


def test_the_devices_page_shows_the_conflict_count_in_arabic(web: tuple[str, Store]) -> None:
    base, _ = web
    with sign_in(base, "sup-a") as client:
        page = client.get("/devices").text
    assert "<th>تعارضات</th>" in page
    assert 'class="num conflicts warn"><bdi dir="ltr">1</bdi>' in row_of(page, "dev-a2")
    assert 'class="num conflicts"><bdi dir="ltr">0</bdi>' in row_of(page, "dev-a1")


def test_the_devices_page_shows_the_conflict_count_in_english(web: tuple[str, Store]) -> None:
    base, _ = web
    with sign_in(base, "sup-b") as client:  # an English-speaking supervisor of site-b
        page = client.get("/devices").text
    assert "<th>Conflicts</th>" in page
    assert 'class="num conflicts"><bdi dir="ltr">0</bdi>' in row_of(page, "dev-b1")


def test_a_replaced_damaged_outbox_stays_shown_with_its_time_in_the_api_and_on_the_page(
    web: tuple[str, Store],
) -> None:
    base, _ = web
    assert device(base, "dev-a1")["outbox_replaced_at"] == "2026-11-28T07:30:00.000Z"
    assert device(base, "dev-a2")["outbox_replaced_at"] is None
    with sign_in(base, "sup-a") as client:
        page = client.get("/devices").text
    assert "استُبدل صندوق الانتظار التالف في" in row_of(page, "dev-a1")
    assert "outbox-replaced" not in parse(row_of(page, "dev-a2")).words()  # no such note (a class) in its row
    with sign_in(base, "sup-a") as client:
        client.cookies.set(LANG_COOKIE, "en")
        english = client.get("/devices").text
    assert "Damaged outbox replaced at" in row_of(english, "dev-a1")


def test_a_seq_reset_is_shown_as_an_event_with_its_time_not_as_gaps(web: tuple[str, Store]) -> None:
    base, _ = web
    seen = device(base, "dev-b1")
    assert (seen["seq_resets"], seen["last_reset_at"], seen["gaps"]) == (1, "2026-11-28T10:30:00.000Z", 0)
    with sign_in(base, "sup-b") as client:
        page = client.get("/devices").text
    assert "Seq reset at" in row_of(page, "dev-b1")


def test_a_stray_seq_of_a_million_is_shown_as_one_jump_not_as_gaps(web: tuple[str, Store]) -> None:
    base, _ = web
    seen = device(base, "dev-a2")
    assert (seen["gaps"], seen["seq_jumps"]) == (0, 1)
    with sign_in(base, "sup-a") as client:
        page = client.get("/devices").text
    assert '+<bdi dir="ltr">1</bdi> قفزات' in row_of(page, "dev-a2")
    assert "seq-jumps" not in parse(row_of(page, "dev-a1")).words()
