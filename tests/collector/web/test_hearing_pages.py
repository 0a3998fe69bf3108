"""The fair hearing's forms over real HTTP: refusals shown on the page with their reason, in the page's language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from collector.people.auth import Accounts
from collector.reviews.rules import closure_from
from collector.store import Store
from shared.clock import format_time
from tests.support.html_tree import parse
from tests.support.two_sites_today import seed
from tests.support.web_session import csrf_of, sign_in

PASSWORD = "emp-e2-password-1"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, live_api: Callable[..., str]) -> Iterator[tuple[str, Store]]:
    store = Store(tmp_path_factory.mktemp("hearing-pages") / "taqyeem.db")
    seed(store)
    Accounts(store).add_user("emp-e2", "employee", ["site-a"], PASSWORD, employee_id="E2")
    yield live_api(store), store
    store.close()


def e2_reviews(store: Store) -> list[str]:
    return sorted(i["rating"]["id"] for i in store.reviews.all(employee_id="E2"))


def alert_of(html: str) -> str:
    return " ".join(node.text() for node in parse(html).find_all(role="alert"))


def test_a_second_appeal_from_my_page_is_refused_in_arabic_and_stores_nothing(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = e2_reviews(store)[0]
    store.reviews.close(
        rating_id, "sup-a", closure_from("staff_conduct", "coaching", "n").as_dict(), format_time(datetime.now(UTC))
    )
    with sign_in(base, "emp-e2", PASSWORD, follow_redirects=False) as client:
        page = client.get("/me").text
        assert f'id="appeal-{rating_id}"' in page
        csrf = csrf_of(page)
        sent = client.post(f"/me/reviews/{rating_id}/appeal", data={"csrf": csrf, "text": "لم أكن على المكتب"})
        assert sent.status_code == 303 and sent.headers["location"] == "/me?appealed=1#my-reviews"
        events = len(store.reviews.get(rating_id)["history"])  # type: ignore[index]
        again = client.post(f"/me/reviews/{rating_id}/appeal", data={"csrf": csrf, "text": "مرة أخرى"})
    assert again.status_code == 409
    assert "سبق أن تظلّمت من هذه المراجعة" in alert_of(again.text)
    assert len(store.reviews.get(rating_id)["history"]) == events  # type: ignore[index]


def test_a_late_appeal_is_refused_with_the_day_it_ended_in_english(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = e2_reviews(store)[1]
    long_ago = datetime.now(UTC) - timedelta(days=9)
    closure = closure_from("staff_conduct", "coaching", "n").as_dict()
    store.reviews.close(rating_id, "sup-a", closure, format_time(long_ago))
    with sign_in(base, "emp-e2", PASSWORD, follow_redirects=False) as client:
        client.get("/lang/en")
        page = client.get("/me").text
        assert f'id="appeal-{rating_id}"' not in page  # no form for a review past its 7 days
        late = client.post(f"/me/reviews/{rating_id}/appeal", data={"csrf": csrf_of(page), "text": "late"})
    assert late.status_code == 409
    ended = (long_ago + timedelta(days=7)).date().isoformat()
    assert f"The 7 days to appeal ended on {ended}" in alert_of(late.text)
    assert store.reviews.get(rating_id)["review"]["appeal_at"] is None  # type: ignore[index]


def test_the_proposer_pressing_approve_is_told_why_not(web: tuple[str, Store]) -> None:
    base, store = web
    rating_id = sorted(i["rating"]["id"] for i in store.reviews.all(employee_id="E3"))[0]
    with sign_in(base, "sup-a", follow_redirects=False) as client:
        csrf = csrf_of(client.get(f"/reviews/{rating_id}").text)
        form = {"csrf": csrf, "cause": "staff_conduct", "action": "formal_warning", "note": "rude"}
        proposed = client.post(f"/reviews/{rating_id}/close", data=form)
        assert proposed.headers["location"] == f"/reviews/{rating_id}?saved=pending"
        page = client.get(proposed.headers["location"]).text
        assert parse(page).by_id("pending-chip").text() == "بانتظار الاعتماد"
        own = client.post(f"/reviews/{rating_id}/approve", data={"csrf": csrf})
    assert own.status_code == 403 and "another supervisor of the site or an admin" in alert_of(own.text)
    assert store.reviews.get(rating_id)["review"]["status"] == "open"  # type: ignore[index]
