"""The `taqyeem user` commands (collector/cli/users.py): accounts of the web pages from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import cli
from collector.people.auth import MAX_FAILURES_PER_NAME_AND_CLIENT, Accounts, TooManyAttempts
from collector.store import Store


def test_user_add_generates_a_password_that_signs_in(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    Store(db).close()  # the collector made it
    result = CliRunner().invoke(
        cli, ["user", "add", "sara", "--role", "supervisor", "--site", "riyadh-hq", "--generate", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("password (shown once): ")[1].strip()
    store = Store(db)
    try:
        assert Accounts(store).sign_in("sara", password, "cli") is not None
    finally:
        store.close()


def test_user_add_prompts_twice_and_passwd_changes_it(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    Store(db).close()  # the collector made it
    runner = CliRunner()
    added = runner.invoke(
        cli, ["user", "add", "omar", "--role", "admin", "--db", str(db)], input="first-password\nfirst-password\n"
    )
    assert added.exit_code == 0, added.output
    assert "shown once" not in added.output
    changed = runner.invoke(
        cli, ["user", "passwd", "omar", "--db", str(db)], input="second-password\nsecond-password\n"
    )
    assert changed.exit_code == 0, changed.output
    listed = runner.invoke(cli, ["user", "list", "--db", str(db)])
    assert "omar\tadmin\tall sites" in listed.output
    store = Store(db)
    try:
        assert Accounts(store).sign_in("omar", "second-password", "cli") is not None
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["user", "add", "sara", "--role", "supervisor", "--generate"], "needs at least one --site"),
        (["user", "add", "s", "--role", "admin", "--generate"], "user name"),
        (["user", "passwd", "ghost", "--generate"], "no user 'ghost'"),
    ],
)
def test_user_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    Store(tmp_path / "cli.db").close()  # the collector made it
    result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path / "cli.db")])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_user_disable_and_enable_commands(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    store = Store(db)
    try:
        Accounts(store).add_user("sara", "supervisor", ["riyadh-hq"], "sara-password-1")
        session = Accounts(store).sign_in("sara", "sara-password-1", "c")
        assert session is not None
        runner = CliRunner()
        disabled = runner.invoke(cli, ["user", "disable", "sara", "--db", str(db)])
        assert disabled.exit_code == 0, disabled.output
        assert disabled.output == "disabled sara; their sessions have ended\n"
        assert Accounts(store).session(session.session_id) is None
        assert Accounts(store).sign_in("sara", "sara-password-1", "c") is None
        listed = runner.invoke(cli, ["user", "list", "--db", str(db)]).output
        assert "sara\tsupervisor\triyadh-hq\tar\tdisabled" in listed
        again = runner.invoke(cli, ["user", "disable", "sara", "--db", str(db)])
        assert again.output == "sara was already disabled\n"
        enabled = runner.invoke(cli, ["user", "enable", "sara", "--db", str(db)])
        assert enabled.exit_code == 0 and enabled.output == "enabled sara\n"
        assert Accounts(store).sign_in("sara", "sara-password-1", "c") is not None
        events = store.accounts.events("sara")
        assert [e["kind"] for e in events] == ["enabled", "disabled", "added"]
        assert events[0]["actor"].startswith("cli")
    finally:
        store.close()


@pytest.mark.parametrize("command", ["disable", "enable"])
def test_user_disable_of_a_stranger_is_one_line(tmp_path: Path, command: str) -> None:
    Store(tmp_path / "cli.db").close()  # the collector made it
    result = CliRunner().invoke(cli, ["user", command, "ghost", "--db", str(tmp_path / "cli.db")])
    assert result.exit_code == 1
    assert result.output == "Error: there is no user 'ghost'; add one with `taqyeem user add`\n"


def test_user_unlock_lets_a_locked_out_user_in_and_is_logged(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    store = Store(db)
    try:
        accounts = Accounts(store)
        accounts.add_user("sara", "supervisor", ["riyadh-hq"], "sara-password-1")
        for attempt in range(MAX_FAILURES_PER_NAME_AND_CLIENT):
            assert accounts.sign_in("sara", f"guess {attempt}", "10.0.0.1") is None
        with pytest.raises(TooManyAttempts):
            accounts.sign_in("sara", "sara-password-1", "10.0.0.1")
        runner = CliRunner()
        unlocked = runner.invoke(cli, ["user", "unlock", "sara", "--db", str(db)])
        assert unlocked.exit_code == 0, unlocked.output
        assert unlocked.output == "unlocked sara: forgot 5 failed sign-ins\n"
        assert accounts.sign_in("sara", "sara-password-1", "10.0.0.1") is not None
        assert runner.invoke(cli, ["user", "unlock", "sara", "--db", str(db)]).output == "sara had no failed sign-ins\n"
        events = store.accounts.events("sara")
        assert events[1]["kind"] == "unlocked" and events[1]["actor"].startswith("cli")
        ghost = runner.invoke(cli, ["user", "unlock", "ghost", "--db", str(db)])
        assert ghost.exit_code == 1 and "no user 'ghost'" in ghost.output
    finally:
        store.close()


def test_an_employee_account_names_its_staff_number_and_may_get_its_own_alerts(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    Store(db).close()  # the collector made it
    runner = CliRunner()
    add = ["user", "add", "huda", "--role", "employee", "--employee", "E1042", "--site", "riyadh-hq", "--generate"]
    added = runner.invoke(cli, [*add, "--db", str(db)])
    assert added.exit_code == 0, added.output
    assert added.output.startswith("added employee E1042 huda for riyadh-hq\n")
    secret_url = "mailtos://alerts:S3cretPw@mail.example.org?to=huda@example.org"
    notified = runner.invoke(cli, ["user", "notify", "huda", secret_url, "--db", str(db)])
    assert notified.exit_code == 0, notified.output
    assert notified.output == "alerts of huda's negative ratings go to mailtos://mail.example.org\n"
    listed = runner.invoke(cli, ["user", "list", "--db", str(db)]).output
    assert listed == "huda\temployee\triyadh-hq\tar\temployee E1042\tnotify mailtos://mail.example.org\n"
    off = runner.invoke(cli, ["user", "notify", "huda", "--off", "--db", str(db)])
    assert off.output == "no alerts for huda\n"
    store = Store(db)
    try:
        assert store.accounts.user(name="huda")["notify_url"] is None  # type: ignore[index]
        events = store.accounts.events("huda")
        assert [(e["kind"], e["data"]) for e in events][:2] == [
            ("notify", {"url": None}),
            ("notify", {"url": "mailtos://mail.example.org"}),
        ]
        assert "S3cretPw" not in str(events)
        assert events[2]["data"] == {"role": "employee", "sites": ["riyadh-hq"], "employee_id": "E1042"}
    finally:
        store.close()
    lone = runner.invoke(
        cli, ["user", "add", "amal", "--role", "employee", "--employee", "E7", "--generate", "--db", str(db)]
    )
    assert lone.exit_code == 0 and "own ratings only" in runner.invoke(cli, ["user", "list", "--db", str(db)]).output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["user", "add", "huda", "--role", "employee", "--generate"], "needs --employee"),
        (["user", "add", "huda", "--role", "employee", "--employee", " E1", "--generate"], "needs --employee"),
        (["user", "add", "sara", "--role", "supervisor", "--site", "x-1", "--employee", "E1"], "only an employee"),
        (["user", "add", "huda", "--role", "employee", "--employee", "E1", "--notify", "nonsense://x"], "apprise does"),
        (["user", "add", "huda", "--role", "employee", "--employee", "E1", "--notify", "no scheme"], "one apprise URL"),
        (["user", "add", "sara", "--role", "viewer", "--site", "x-1", "--notify", "json://h/"], "only an employee"),
    ],
)
def test_employee_account_mistakes_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    Store(tmp_path / "cli.db").close()  # the collector made it
    result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path / "cli.db")], input="a-password-1\na-password-1\n")
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert result.output.count("\n") == 1 + ("Password" in result.output) * 2


def test_one_staff_number_has_one_account_and_notify_is_for_employees_and_reviewers(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    store = Store(db)
    try:
        Accounts(store).add_user("huda", "employee", [], "huda-password-1", employee_id="E1042")
        Accounts(store).add_user("sara", "supervisor", ["riyadh-hq"], "sara-password-1")
        Accounts(store).add_user("vera", "viewer", ["riyadh-hq"], "vera-password-1")
    finally:
        store.close()
    runner = CliRunner()
    again = runner.invoke(
        cli, ["user", "add", "huda2", "--role", "employee", "--employee", "E1042", "--generate", "--db", str(db)]
    )
    assert again.exit_code == 1 and again.output == "Error: E1042 already has an account: huda\n"
    # 1.2: a supervisor (a review's owner, a manager) may have one; a viewer, who reviews nothing, may not.
    refused = runner.invoke(cli, ["user", "notify", "vera", "json://127.0.0.1/x", "--db", str(db)])
    assert refused.exit_code == 1 and "only an employee, supervisor or admin account" in refused.output
    allowed = runner.invoke(cli, ["user", "notify", "sara", "json://127.0.0.1/x", "--db", str(db)])
    assert allowed.exit_code == 0
    both = runner.invoke(cli, ["user", "notify", "huda", "json://127.0.0.1/x", "--off", "--db", str(db)])
    assert both.exit_code == 2 and "either a URL or --off" in both.output
