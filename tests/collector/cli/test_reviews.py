"""``taqyeem reviews approve`` and ``taqyeem reviews decide``: a second person's word, refused to the first."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from collector.access import Identity
from collector.cli import cli
from collector.fleet.sites import SitesFile, apply_sites
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.people.auth import Accounts
from collector.reviews.hearing_workflow import appeal
from collector.reviews.workflow import close
from collector.store import Store
from shared.clock import format_time
from tests.support.two_sites_today import desk_config, make_rating, seed


def a_proposed_warning(db: Path) -> str:
    store = Store(db)
    try:
        seed(store)
        Accounts(store).add_user("sup-a2", "supervisor", ["site-a"], "sup-a2-password-1")
        Accounts(store).add_user("emp-e2", "employee", ["site-a"], "emp-e2-password-1", employee_id="E2")
        rating_id = sorted(i["rating"]["id"] for i in store.reviews.all(employee_id="E2"))[0]
        close(store, Identity("sup-a", "supervisor", ["site-a"]), rating_id, "staff_conduct", "formal_warning", "rude")
        return rating_id
    finally:
        store.close()


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["reviews", *args, "--db", str(db)])
    return result.exit_code, result.output


def test_the_proposer_is_refused_and_another_supervisor_approves(tmp_path: Path) -> None:
    db = tmp_path / "taqyeem.db"
    rating_id = a_proposed_warning(db)

    assert run(db, "approve", rating_id, "--as", "sup-a") == (
        1,
        "Error: you proposed this formal warning: another supervisor of the site or an admin approves it\n",
    )
    assert run(db, "approve", rating_id, "--as", "nobody")[1].startswith("Error: no enabled web account named 'nobody'")
    assert run(db, "approve", rating_id, "--as", "viewer-a")[1] == (
        "Error: viewer-a is a viewer: only an admin or a supervisor acts on reviews\n"
    )
    assert run(db, "approve", rating_id, "--as", "sup-b")[0] == 1  # not a supervisor of that site: not found
    assert run(db, "approve", rating_id, "--as", "sup-a2") == (
        0,
        f"approved: review {rating_id} closed (formal_warning, proposed by sup-a)\n",
    )


def test_an_appeal_is_decided_by_someone_other_than_the_closer(tmp_path: Path) -> None:
    db = tmp_path / "taqyeem.db"
    rating_id = a_proposed_warning(db)
    run(db, "approve", rating_id, "--as", "sup-a2")
    store = Store(db)
    try:
        appeal(store, Identity("emp-e2", "employee", employee_id="E2"), rating_id, "I was not at the desk")
    finally:
        store.close()

    code, output = run(db, "decide", rating_id, "--as", "sup-a", "--upheld", "--note", "mine")
    assert (code, output) == (
        1,
        "Error: you closed this review: another supervisor of the site or an admin decides its appeal\n",
    )
    code, output = run(db, "decide", rating_id, "--as", "admin", "--upheld", "--note", "The rota shows her on leave")
    assert (code, output) == (
        0,
        f"appeal on review {rating_id} upheld: the rating no longer counts against the employee\n",
    )
    store = Store(db)
    try:
        review = store.reviews.get(rating_id)["review"]  # type: ignore[index]
        assert (review["attributable"], review["appeal_decided_by"]) == (False, "admin")
    finally:
        store.close()


def _seeded(path: Path) -> str:
    store = Store(path)
    try:
        site = {"id": "riyadh-hq", "name_ar": "المقر", "name_en": "HQ", "reviews": {"supervisors": ["sara", "khalid"]}}
        apply_sites(store, SitesFile.model_validate({"sites": [site]}), "2026-11-28T00:00:00.000Z")
        accounts = Accounts(store)
        for name, sites in (("sara", ["riyadh-hq"]), ("khalid", ["riyadh-hq"]), ("omar", ["jeddah"])):
            accounts.add_user(name, "supervisor", sites, "cli-password-1")
        store.devices.register("dev-1", desk_config("riyadh-hq", "desk-01"), "2026-11-28T00:00:00.000Z")
        now = datetime.now(UTC)
        return store_batch(store, Batch(ratings=[make_rating("dev-1", 1, 1, now)]), format_time(now)).new_rating_ids[0]
    finally:
        store.close()


def test_a_review_is_assigned_from_the_command_line_and_refused_to_another_sites_supervisor(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    rating_id = _seeded(db)
    runner = CliRunner()
    done = runner.invoke(cli, ["reviews", "assign", rating_id, "khalid", "--db", str(db)])
    assert done.exit_code == 0 and "now belongs to khalid" in done.output
    refused = runner.invoke(cli, ["reviews", "assign", rating_id, "omar", "--db", str(db)])
    assert refused.exit_code == 1
    assert refused.output == "Error: omar may not review site riyadh-hq: choose a supervisor of that site or an admin\n"
    unknown = runner.invoke(cli, ["reviews", "assign", "no-such-rating", "khalid", "--db", str(db)])
    assert unknown.exit_code == 1 and "no review for that rating" in unknown.output
    store = Store(db)
    try:
        assert store.reviews.get(rating_id)["review"]["owner"] == "khalid"  # type: ignore[index]
    finally:
        store.close()


def test_a_supervisor_marked_away_is_skipped_until_marked_back(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    _seeded(db)  # sara took the first review
    runner = CliRunner()
    assert runner.invoke(cli, ["reviews", "away", "khalid", "--db", str(db)]).output == (
        "khalid is away from the review rota\n"
    )
    store = Store(db)
    try:
        now = datetime.now(UTC)
        second = store_batch(store, Batch(ratings=[make_rating("dev-1", 2, 1, now)]), format_time(now)).new_rating_ids[
            0
        ]
        assert store.reviews.get(second)["review"]["owner"] == "sara"  # type: ignore[index]
    finally:
        store.close()
    back = runner.invoke(cli, ["reviews", "away", "khalid", "--back", "--db", str(db)])
    assert back.output == "khalid is back on the review rota\n"
    missing = runner.invoke(cli, ["reviews", "away", "nobody", "--db", str(db)])
    assert missing.exit_code == 1 and "no user named nobody" in missing.output
