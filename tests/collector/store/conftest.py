from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from collector.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "collector" / "taqyeem.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    store = Store(db_path)
    yield store
    store.close()
