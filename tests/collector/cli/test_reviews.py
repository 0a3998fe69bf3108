"""``taqyeem reviews approve`` and ``taqyeem reviews decide``: a second person's word, refused to the first."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from collector.access import Identity
from collector.cli import cli
from collector.people.auth import Accounts
from collector.reviews.hearing_workflow import appeal
from collector.reviews.workflow import close
from collector.store import Store
from tests.support.two_sites_today import seed


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
