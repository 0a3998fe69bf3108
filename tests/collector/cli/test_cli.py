"""The ``taqyeem`` command (collector/cli/): help, errors a person can act on, tokens, the database it opens."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from collector.cli import cli
from collector.store import Store
from tests.support.click_commands import walk

ROOT = Path(__file__).resolve().parents[3]


pytestmark = pytest.mark.usefixtures("without_taqyeem_variables")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


COMMANDS = list(walk(cli))


def test_the_walk_finds_the_commands() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "collector", "token", "token create", "user add", "sites apply", "provision device"} <= names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "taqyeem")
def test_every_command_has_help_with_an_example(runner: CliRunner, path: tuple[str, ...]) -> None:
    result = runner.invoke(cli, [*path, "--help"], prog_name="taqyeem")

    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    example = result.output.split("Example:", 1)[1]
    assert f"taqyeem {' '.join(path)}".strip() in example  # the example runs this very command


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS if p], ids=" ".join)
def test_every_command_is_in_the_docs(path: tuple[str, ...]) -> None:
    docs = "".join((ROOT / name).read_text() for name in ("README.md", "docs/deployment.md", "docs/protocol.md"))
    assert f"taqyeem {' '.join(path)}" in docs


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "taqyeem")
def test_every_option_has_help(path: tuple[str, ...]) -> None:
    command = dict(COMMANDS)[path]
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.name not in ("help", "version"):
            choice = isinstance(param.type, click.Choice)
            assert param.help or choice, f"taqyeem {' '.join(path)} {param.opts[0]} has no help"


def test_short_help_flag(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["-h"]).exit_code == 0


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"], prog_name="taqyeem")
    assert result.exit_code == 0
    assert result.output.startswith("taqyeem, version ")


def _one_line_error(result: click.testing.Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), f"uncaught {result.exception!r}"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_collector_without_broker_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["collector", "--db", str(tmp_path / "t.db")])

    line = _one_line_error(result)
    assert "no broker given" in line
    assert "--broker" in line
    assert "TAQYEEM_BROKER" in line
    assert not (tmp_path / "t.db").exists()  # refused before touching anything


def test_collector_with_nothing_at_all_is_a_one_line_error(runner: CliRunner) -> None:
    line = _one_line_error(runner.invoke(cli, ["collector"]))
    assert "no broker given" in line


def test_collector_without_db_is_a_one_line_error(runner: CliRunner) -> None:
    line = _one_line_error(runner.invoke(cli, ["collector", "--broker", "mqtt://127.0.0.1:1883"]))
    assert "no db given" in line


def test_collector_with_a_bad_broker_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["collector", "--broker", "http://x:1883", "--db", str(tmp_path / "t.db")])
    line = _one_line_error(result)
    assert "broker:" in line
    assert "mqtt://" in line


def test_collector_with_a_missing_config_file_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    line = _one_line_error(runner.invoke(cli, ["collector", "--config", str(tmp_path / "nope.toml")]))
    assert "does not exist" in line


def test_collector_with_a_broken_theme_file_is_a_one_line_error_naming_it(runner: CliRunner, tmp_path: Path) -> None:
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "1-waiting.toml").write_text('theme = "waiting"\n[ar]\nterms = ["انتظار"]\n', encoding="utf-8")
    Store(tmp_path / "t.db").close()
    options = ["--broker", "mqtt://127.0.0.1:1", "--db", str(tmp_path / "t.db")]
    config = tmp_path / "collector.toml"
    config.write_text(f'themes_dir = "{themes}"\n', encoding="utf-8")
    line = _one_line_error(runner.invoke(cli, ["collector", "--config", str(config), *options]))
    assert line.startswith(f"Error: themes_dir: {themes / '1-waiting.toml'}: ")
    assert "names" in line  # the missing [names] table


def test_collector_with_an_unknown_config_key_names_it(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "collector.toml"
    config.write_text(f'broker = "mqtt://127.0.0.1:1883"\ndb = "{tmp_path / "t.db"}"\nbrokr = "x"\n')
    line = _one_line_error(runner.invoke(cli, ["collector", "--config", str(config)]))
    assert "brokr: unknown key" in line


def test_token_create_prints_a_token_the_store_accepts(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "sub" / "taqyeem.db"
    db.parent.mkdir()
    Store(db).close()  # the collector made it

    result = runner.invoke(cli, ["token", "create", "--db", str(db), "--role", "admin"])

    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("tq_")
    assert len(result.stdout.splitlines()) == 1
    store = Store(db)
    try:
        assert store.accounts.token_identity(token) == {"name": "cli", "role": "admin", "sites": []}
    finally:
        store.close()


def test_token_create_for_a_site_supervisor(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "taqyeem.db"
    Store(db).close()
    result = runner.invoke(
        cli,
        [
            "token",
            "create",
            "--db",
            str(db),
            "--role",
            "supervisor",
            "--name",
            "hall",
            "--site",
            "site-a",
            "--site",
            "site-b",
        ],
    )
    assert result.exit_code == 0, result.output
    store = Store(db)
    try:
        assert store.accounts.token_identity(result.stdout.strip()) == {
            "name": "hall",
            "role": "supervisor",
            "sites": ["site-a", "site-b"],
        }
    finally:
        store.close()


def test_token_create_refuses_an_unknown_role(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["token", "create", "--db", str(tmp_path / "t.db"), "--role", "root"])
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("kind", ["text file", "folder"])
def test_token_create_on_something_that_is_not_a_database_is_a_one_line_error(
    runner: CliRunner, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / "thing"
    if kind == "folder":
        target.mkdir()
    else:
        target.write_text("this is not SQLite, but it is long enough to have a header: " + "x" * 200)

    result = runner.invoke(cli, ["token", "create", "--db", str(target), "--role", "admin"])

    line = _one_line_error(result)
    assert str(target) in line


def test_python_dash_m_collector_help() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAQYEEM_")}
    result = subprocess.run(
        [sys.executable, "-m", "collector", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env
    )

    assert result.returncode == 0, result.stderr
    assert "Example:" in result.stdout
    for name in ("collector", "token", "user", "provision"):
        assert name in result.stdout
    assert result.stderr == ""


def test_python_dash_m_collector_error_has_no_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAQYEEM_")}
    result = subprocess.run(
        [sys.executable, "-m", "collector", "collector"], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: no broker given")
    assert len(result.stderr.strip().splitlines()) == 1


def test_tokens_are_listed_and_revoked_and_need_a_site_unless_admin(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "taqyeem.db"
    missing = runner.invoke(cli, ["token", "create", "--db", str(db), "--role", "admin"])
    assert missing.exit_code == 1 and "no collector database" in missing.output
    Store(db).close()
    siteless = runner.invoke(cli, ["token", "create", "--db", str(db), "--role", "viewer"])
    assert siteless.exit_code == 1 and "needs --site" in siteless.output
    made = runner.invoke(cli, ["token", "create", "--db", str(db), "--role", "viewer", "--site", "*", "--name", "p"])
    token = made.stdout.strip()
    listed = runner.invoke(cli, ["token", "list", "--db", str(db)])
    assert "p " in listed.output and "live" in listed.output and token not in listed.output
    assert runner.invoke(cli, ["token", "revoke", "--db", str(db), "--name", "p"]).exit_code == 0
    store = Store(db)
    try:
        assert store.accounts.token_identity(token) is None
    finally:
        store.close()
    again = runner.invoke(cli, ["token", "revoke", "--db", str(db), "--name", "p"])
    assert again.exit_code == 1 and "no live token" in again.output


@pytest.mark.parametrize(
    "args",
    [
        ["token", "list"],
        ["token", "create", "--role", "admin"],
        ["user", "list"],
        ["user", "add", "sara", "--role", "admin", "--generate"],
        ["user", "disable", "sara"],
        ["provision", "list"],
        ["devices", "list"],
    ],
    ids=" ".join,
)
def test_a_mistyped_db_is_refused_in_one_line_naming_it_and_not_created(
    runner: CliRunner, tmp_path: Path, args: list[str]
) -> None:
    db = tmp_path / "taqyem.db"

    line = _one_line_error(runner.invoke(cli, [*args, "--db", str(db)]))

    assert f"no collector database at {db}" in line
    assert not db.exists()


def test_sites_apply_leaves_making_the_database_to_the_collectors_first_start(
    runner: CliRunner, tmp_path: Path
) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text('[[sites]]\nid = "riyadh-hq"\nname_ar = "الرياض"\nname_en = "Riyadh"\n')
    db = tmp_path / "new" / "taqyeem.db"
    db.parent.mkdir()

    result = runner.invoke(cli, ["sites", "apply", str(sites), "--db", str(db)])

    assert result.exit_code == 1, result.output
    assert f"no collector database at {db}" in result.stderr and "--create-db" in result.stderr
    assert not db.exists()


def test_the_audit_logs_name_the_person_behind_sudo(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "taqyeem.db"
    Store(db).close()
    monkeypatch.setenv("SUDO_USER", "sara")

    result = runner.invoke(cli, ["user", "add", "omar", "--role", "admin", "--generate", "--db", str(db)])

    assert result.exit_code == 0, result.output
    store = Store(db)
    try:
        assert [e["actor"] for e in store.accounts.events("omar")] == ["cli:sara"]
    finally:
        store.close()


def test_no_collector_module_imports_the_device_side() -> None:
    """Only developer tools (devtools/) and tests use both sides; the simulator is `taqyeem-device simulate`."""
    offenders = []
    for path in sorted((ROOT / "collector").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno} {n}"
                for n in names
                if n.split(".")[0] in ("device", "devtools")
            ]
    assert not offenders, offenders


def test_an_integration_token_names_each_of_its_sites_and_a_name_fit_for_a_device_id(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = tmp_path / "taqyeem.db"
    Store(db).close()
    create = ["token", "create", "--db", str(db), "--role", "integration"]
    siteless = runner.invoke(cli, [*create, "--name", "ivr"])
    assert siteless.exit_code == 1 and "needs --site" in siteless.output and "'*'" not in siteless.output
    every = runner.invoke(cli, [*create, "--site", "*", "--name", "ivr"])
    assert every.exit_code == 1 and "'*' (every site) is not for one" in every.output
    badly_named = runner.invoke(cli, [*create, "--site", "riyadh-hq", "--name", "Phone System"])
    assert badly_named.exit_code == 1 and "taqyeem-api-NAME" in badly_named.output
    made = runner.invoke(cli, [*create, "--site", "riyadh-hq", "--site", "jeddah", "--name", "ivr"])
    assert made.exit_code == 0, made.output
    store = Store(db)
    try:
        found = store.accounts.token_identity(made.stdout.strip())
    finally:
        store.close()
    assert found == {"name": "ivr", "role": "integration", "sites": ["riyadh-hq", "jeddah"]}
