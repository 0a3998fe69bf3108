"""The commands' wiring (collector/cli/context.py, options.py): one context per command, records, short signatures."""

from __future__ import annotations

import ast
import inspect
import os
from pathlib import Path

import pytest

from collector.cli import cli
from collector.cli.context import NO_BROKER, CollectorContext
from collector.settings import SettingsError
from collector.store import Store
from tests.support.click_commands import walk

COLLECTOR = Path(__file__).resolve().parents[3] / "collector"
MOST_PARAMETERS = 8


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("TAQYEEM_"):
            monkeypatch.delenv(name)


def parameter_count(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Every parameter a caller may pass (``*args`` and ``**kwargs`` count one each), not ``self`` or ``cls``."""
    given = function.args
    names = [a.arg for a in [*given.posonlyargs, *given.args, *given.kwonlyargs]]
    names += [a.arg for a in (given.vararg, given.kwarg) if a is not None]
    return len([name for name in names if name not in ("self", "cls")])


def test_no_command_function_takes_more_than_eight_parameters() -> None:
    # The function behind each command, under the decorators that gather its options into records.
    counts = {
        " ".join(path) or "taqyeem": len(inspect.signature(inspect.unwrap(command.callback)).parameters)
        for path, command in walk(cli)
        if command.callback is not None
    }
    assert {"provision device", "provision replace", "release rollout", "devices revoke"} <= set(counts)
    assert {name: n for name, n in counts.items() if n > MOST_PARAMETERS} == {}


@pytest.mark.parametrize("room", ["cli", "fleet"])
def test_no_function_of_the_command_line_or_the_fleet_takes_more_than_eight_parameters(room: str) -> None:
    # No exemptions: what would need more takes a record (CollectorContext, DeskRequest, BundleRequest, BundleOptions).
    long = [
        f"{path.relative_to(COLLECTOR.parent)}:{node.name} takes {parameter_count(node)}"
        for path in sorted((COLLECTOR / room).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and parameter_count(node) > MOST_PARAMETERS
    ]
    assert long == []


def test_the_check_counts_keyword_only_and_starred_parameters_but_not_self() -> None:
    tree = ast.parse("class A:\n    def f(self, a, /, b, *rest, c, **more): ...\n")
    method = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef))
    assert parameter_count(method) == 5


def test_the_context_reads_its_config_file_once_and_opens_the_store_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "taqyeem.db"
    Store(db).close()
    closed: list[Store] = []
    close = Store.close
    monkeypatch.setattr(Store, "close", lambda store: (closed.append(store), close(store))[1])
    toml = tmp_path / "collector.toml"
    toml.write_text(f'db = "{db}"\ntimezone = "Asia/Riyadh"\n')
    with CollectorContext(config_file=toml) as collector:
        assert collector.db_path == db
        toml.write_text('db = "elsewhere.db"\ntimezone = "UTC"\n')  # read once: a later change is not seen
        assert (collector.db_path, collector.toml["timezone"]) == (db, "Asia/Riyadh")
        store = collector.store
        assert collector.store is store
        assert store.ping()
        assert closed == []
    assert closed == [store]  # leaving the command closed it, once


def test_the_context_reads_and_opens_nothing_until_asked(tmp_path: Path) -> None:
    missing = tmp_path / "no-such.toml"
    with CollectorContext(config_file=missing, db=tmp_path / "no.db") as collector:
        assert not collector.has_broker()  # a missing --config names no broker
        assert collector.release_key is None
        with pytest.raises(SettingsError, match=r"no-such\.toml does not exist"):
            _ = collector.toml
    assert not (tmp_path / "no.db").exists()


def test_without_a_db_anywhere_the_context_says_where_to_give_one() -> None:
    with pytest.raises(SettingsError, match="pass --db, set TAQYEEM_DB or pass --config"):
        _ = CollectorContext().db_path


def test_a_command_that_sends_nothing_gets_settings_without_a_broker(tmp_path: Path) -> None:
    toml = tmp_path / "collector.toml"
    toml.write_text(f'db = "{tmp_path / "taqyeem.db"}"\ntablet_url = "https://collector.example/"\n')
    collector = CollectorContext(config_file=toml)
    assert not collector.has_broker()
    assert collector.settings_without_broker.broker == NO_BROKER
    assert collector.publisher_if_configured() is None
    with pytest.raises(SettingsError, match="no broker given"):
        _ = collector.settings


def test_a_named_broker_gives_the_whole_settings_once(tmp_path: Path) -> None:
    collector = CollectorContext(db=tmp_path / "taqyeem.db", broker="mqtt://taqyeem-collector:pw@127.0.0.1:1883")
    assert collector.has_broker()
    assert collector.settings_without_broker is collector.settings
