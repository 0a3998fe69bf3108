"""Schemathesis against the OpenAPI document of a live collector.

The app is served for real by uvicorn on loopback with a throwaway SQLite file
seeded through the Store; schemathesis reads /openapi.json from it and fuzzes
every operation with an admin API token. Each operation must answer without a
5xx, with a documented status code, and with a body that matches the schema it
declares. Bugs found here keep their own regression test in test_api.py.

Each operation is fuzzed through its Hypothesis strategy (``operation.as_strategy``)
rather than ``schemathesis.pytest.from_fixture(...).parametrize()``: the lazy
loader that a live server needs reads ``request.node._nodeid``, which pytest 9.2
no longer has. Subtests give one report per operation instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, BaseSchema, Case, CheckContext, GenerationMode, Response
from schemathesis.specs.openapi.checks import positive_data_acceptance

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch, DeadLetter
from collector.reviews.rules import closure_from
from collector.store import Store
from shared.clock import format_time
from shared.contract import DeviceConfig, Rating
from tests.support.two_sites_today import make_rating

NOW = datetime.now(UTC)
MAX_EXAMPLES = 30  # per operation and mode: about 15 s in all


def _rating(device_id: str, seq: int, score: int, minutes_ago: int, employee_id: str | None = "E1") -> Rating:
    return make_rating(device_id, seq, score, NOW - timedelta(minutes=minutes_ago), employee_id)


def _seed(store: Store) -> list[str]:
    """A few devices, ratings (some negative, one review closed) and dead letters; the first negatives' ids."""
    now = format_time(NOW)
    for device_id, site_id, desk_id, section in [
        ("dev-a1", "site-a", "desk-01", "men-hall"),
        ("dev-a2", "site-a", "desk-02", None),
        ("dev-b1", "site-b", "desk-09", "business"),
    ]:
        config = DeviceConfig(
            site_id=site_id, desk_id=desk_id, section=section, desk_name_ar="مكتب", desk_name_en="Desk"
        )
        store.devices.register(device_id, config, now)
    batch = [_rating("dev-a1", s, 1 + s % 5, 10 * s, f"E{s % 3}") for s in range(1, 13)]
    batch += [_rating("dev-a2", s, 1 + s % 5, 10 * s + 3) for s in range(1, 6)]
    batch += [_rating("dev-b1", s, 1 + s % 5, 10 * s + 7, None) for s in range(1, 6)]
    batch += [_rating("stranger-1", 1, 1, 400)]  # never provisioned
    store_batch(
        store,
        Batch(
            batch,
            [
                DeadLetter(
                    "taqyeem/v1/devices/dev-a1/ratings", "dev-a1", b'{"v": 1, "score": 9}', "score: must be 1..5"
                ),
                DeadLetter(
                    "taqyeem/v1/devices/dev-b1/ratings", "dev-b1", b"\xff\xfe not utf-8", "payload is not UTF-8"
                ),
            ],
        ),
        now,
    )
    rating_ids = [i["rating"]["id"] for i in store.reviews.all()][:4]
    closure = closure_from("waiting_time", "process_fix", "a second desk opens at ten").as_dict()
    store.reviews.close(rating_ids[0], "admin", closure, now)
    store.reviews.respond(rating_ids[0], "admin", "the employee agrees", now)
    return rating_ids


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("schemathesis") / "taqyeem.db")
    yield store
    store.close()


@pytest.fixture(scope="module")
def rating_ids(store: Store) -> list[str]:
    return _seed(store)


@pytest.fixture(scope="module")
def api_schema(store: Store, rating_ids: list[str], live_api: Callable[[Store], str]) -> BaseSchema:
    token = store.accounts.create_token("fuzzer", "admin", [], format_time(NOW))
    base_url = live_api(store)
    # The token fills the document's HTTPBearer scheme, so the ignored_auth check also sends
    # each successful call again without it and with a wrong one, and wants a 401 for both.
    config = schemathesis.Config.from_dict({"auth": {"openapi": {"HTTPBearer": {"bearer": token}}}})
    return schemathesis.openapi.from_url(f"{base_url}/openapi.json", config=config, timeout=10)


def explains_its_own_rejections(ctx: CheckContext, response: Response, case: Case) -> None:
    """Stands in for positive_data_acceptance: input that fits the schema may still break a rule the schema
    cannot say (a cursor this API never gave out, a day outside 1900..2200, a blank note), but then the API
    answers with its own one-line detail. A 400 or FastAPI's list of field errors would mean that the
    document and the validation disagree."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code not in (400, 422):
        return
    detail = response.json().get("detail")
    assert response.status_code == 422 and isinstance(detail, str), f"schema-valid input refused: {detail}"


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
def test_every_operation_conforms_to_the_openapi_document(
    api_schema: BaseSchema, rating_ids: list[str], mode: GenerationMode, subtests: pytest.Subtests
) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10, [op.label for op in operations]
    with requests.Session() as session:
        session.trust_env = False  # loopback only: no proxy or .netrc from the environment
        for operation in operations:
            if mode is GenerationMode.NEGATIVE and not _has_input(operation):
                continue  # nothing to get wrong: hypothesis would report Unsatisfiable
            with subtests.test(operation.label):
                _fuzz(_cases(operation, mode, rating_ids), session)


def _has_input(operation: APIOperation) -> bool:
    return any(True for _ in operation.iter_parameters()) or bool(list(operation.body))


def _cases(operation: APIOperation, mode: GenerationMode, rating_ids: list[str]) -> st.SearchStrategy[Case]:
    """Random ids are never found (404); in positive mode the seeded ratings' ids reach the review itself."""
    generated = operation.as_strategy(generation_mode=mode)
    if mode is GenerationMode.NEGATIVE or "{rating_id}" not in operation.path:
        return generated
    seeded = [operation.as_strategy(generation_mode=mode, path_parameters={"rating_id": i}) for i in rating_ids]
    return st.one_of(generated, *seeded)


def _fuzz(cases: st.SearchStrategy[Case], session: requests.Session) -> None:
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,  # the same cases on every run, so a failure here is a failure on every machine
        database=None,  # no example database: nothing replayed from earlier runs
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def check(case: Case) -> None:
        case.call_and_validate(
            session=session,
            excluded_checks=[positive_data_acceptance],
            additional_checks=[explains_its_own_rejections],
        )

    check()
