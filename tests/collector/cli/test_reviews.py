"""``taqyeem reviews``: assign a review on the collector's machine, and mark a supervisor away from the rota."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from collector.cli import cli
from collector.fleet.sites import SitesFile, apply_sites
from collector.ingest.subscriber import store_batch
from collector.people.auth import Accounts
from collector.store import Store
from shared.clock import format_time
from tests.collector.websupport import desk_config, make_rating


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
        return store_batch(store, [make_rating("dev-1", 1, 1, now)], [], format_time(now)).new_rating_ids[0]
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
        second = store_batch(store, [make_rating("dev-1", 2, 1, now)], [], format_time(now)).new_rating_ids[0]
        assert store.reviews.get(second)["review"]["owner"] == "sara"  # type: ignore[index]
    finally:
        store.close()
    back = runner.invoke(cli, ["reviews", "away", "khalid", "--back", "--db", str(db)])
    assert back.output == "khalid is back on the review rota\n"
    missing = runner.invoke(cli, ["reviews", "away", "nobody", "--db", str(db)])
    assert missing.exit_code == 1 and "no user named nobody" in missing.output
