"""Reviews of negative ratings as the store lists them."""

from __future__ import annotations

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.store import Store
from tests.support.fixed_time_ratings import NOW, config, rating


def test_reviews_show_the_rating_and_its_review(store: Store) -> None:
    store.devices.register("dev-a1", config(), NOW)
    bad = rating(score=1, employee_id="E9", reasons=["staff_courtesy"])
    store_batch(store, Batch([bad, rating(seq=2, score=5)]), NOW)

    (item,) = store.reviews.all(status="open")
    assert item["rating"]["id"] == bad.id
    assert item["rating"]["employee_id"] == "E9"
    assert item["rating"]["reasons"] == ["staff_courtesy"]
    assert item["rating"]["negative"] is True
    assert item["review"]["status"] == "open"
    assert store.reviews.all(status="closed") == []
    assert len(store.reviews.all(date=bad.created_at[:10])) == 1
    assert store.reviews.all(date="2020-01-01") == []
    assert store.reviews.all(sites=["site-b"]) == []
