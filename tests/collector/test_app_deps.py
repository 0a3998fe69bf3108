"""The app's dependencies record (collector/app_deps.py) and the app factory that keeps it (collector/app.py)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import collector
from collector.app import create_app
from collector.app_deps import AppDeps
from collector.settings import CollectorSettings
from collector.store import Store
from collector.web.live_feed import LiveFeed

ROOT = Path(collector.__file__).parent
READERS = {"access.py", "app.py"}  # access.py:app_deps reads the record; app.py:create_app puts it there


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "taqyeem.db")
    yield store
    store.close()


def test_the_app_keeps_the_record_it_was_built_from(store: Store) -> None:
    deps = AppDeps(store)
    assert create_app(deps).state.deps is deps


def test_the_record_derives_the_calendar_and_the_retention_from_its_settings_once(
    store: Store, tmp_path: Path
) -> None:
    settings = CollectorSettings.model_validate(
        {"broker": "mqtt://127.0.0.1:1883", "db": str(tmp_path / "x.db"), "timezone": "Asia/Dubai"}
        | {"retention": {"comments_days": 30}}
    )
    deps = AppDeps(store, settings=settings)
    assert (str(deps.calendar.zone), deps.retention_days) == ("Asia/Dubai", 30)
    assert (str(AppDeps(store).calendar.zone), AppDeps(store).retention_days) == ("Asia/Riyadh", 90)


def test_each_record_has_its_own_live_feed_and_wrong_code_limit_unless_given_one(store: Store) -> None:
    feed = LiveFeed()
    first, second = AppDeps(store, live_feed=feed), AppDeps(store)
    assert first.live_feed is feed and second.live_feed is not feed
    assert first.wrong_codes is not second.wrong_codes
    assert (first.config_publisher, first.mqtt_client) == (None, None)  # no ingest: nothing is sent


def app_of(node: ast.expr) -> bool:
    """``app`` or ``<anything>.app``: what ``.state`` would be the app's state of."""
    return (isinstance(node, ast.Name) and node.id == "app") or (isinstance(node, ast.Attribute) and node.attr == "app")


def test_no_route_reads_the_app_state_but_through_the_record() -> None:
    found = [
        f"{path.relative_to(ROOT.parent)}:{node.lineno}"
        for path in sorted(ROOT.rglob("*.py"))
        if path.name not in READERS
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "state" and app_of(node.value)
    ]
    assert found == []


def test_importing_the_app_factory_starts_nothing_and_writes_nothing(tmp_path: Path) -> None:
    check = (
        "import threading, os\n"
        "import collector.app\n"
        "assert threading.active_count() == 1, threading.enumerate()\n"
        "assert os.listdir('.') == [], os.listdir('.')\n"
    )
    done = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
