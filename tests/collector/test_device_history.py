"""What the devices data tells an admin about a desk's history, over real HTTP: API and page, both languages."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from collector.ingest import store_batch
from collector.store import Store
from collector.web.render import LANG_COOKIE
from shared.contract import Status
from tests.collector.websupport import seed, sign_in


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("history") / "taqyeem.db")
    ratings = seed(store)["ratings"]
    first = next(r for r in ratings if r.device_id == "dev-a2")
    other_score = first.model_copy(update={"score": 1 if first.score != 1 else 5})
    store_batch(store, [other_score], [], "2026-11-28T10:00:00.000Z")
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
    assert "outbox-replaced" not in row_of(page, "dev-a2")
    with sign_in(base, "sup-a") as client:
        client.cookies.set(LANG_COOKIE, "en")
        english = client.get("/devices").text
    assert "Damaged outbox replaced at" in row_of(english, "dev-a1")
