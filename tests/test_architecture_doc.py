"""docs/architecture.md stays true: every repo path it names exists, every ``file.py:name`` is defined there.

A backticked span is a repo path when it has a ``/`` or ends in ``.py``; URLs
(``/events``), MQTT topics (``taqyeem/v1/...``) and anything with a placeholder,
a wildcard or a space are not. A span ``path/to/file.py:Name`` or
``path/to/file.py:Class.method`` must name a function, class or module-level
assignment defined in that file (read with ``ast``, nothing is imported).
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
SPAN = re.compile(r"`([^`\n]+)`")
DEFINITION = re.compile(r"^(?P<path>[\w./-]+\.py):(?P<name>[A-Za-z_][\w.]*)$")
NOT_A_PATH = re.compile(r"^/|^taqyeem/|[\s{}+%*$]|://")


def spans() -> list[str]:
    return list(dict.fromkeys(SPAN.findall(DOC.read_text(encoding="utf-8"))))


def definitions() -> list[tuple[str, str]]:
    return [(m["path"], m["name"]) for span in spans() if (m := DEFINITION.match(span))]


def paths() -> list[str]:
    return [
        span
        for span in spans()
        if not DEFINITION.match(span) and ("/" in span or span.endswith(".py")) and not NOT_A_PATH.search(span)
    ]


@cache
def defined_names(path: str) -> frozenset[str]:
    """Dotted names defined in a module: top-level functions, classes, assignments, and methods of classes."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), path)
    names: set[str] = set()

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(prefix + node.name)
                if isinstance(node, ast.ClassDef):
                    visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, ast.Assign | ast.AnnAssign) and not prefix:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))

    visit(tree.body, "")
    return frozenset(names)


def test_the_page_names_paths_and_definitions() -> None:
    assert len(paths()) > 20 and len(definitions()) > 40


@pytest.mark.parametrize("path", paths())
def test_every_path_exists(path: str) -> None:
    assert (ROOT / path.rstrip("/")).exists(), f"docs/architecture.md names {path}, which is not in the repository"


@pytest.mark.parametrize(("path", "name"), definitions(), ids=lambda value: value)
def test_every_named_definition_is_in_its_file(path: str, name: str) -> None:
    assert (ROOT / path).is_file(), f"docs/architecture.md names {path}:{name}, but {path} does not exist"
    assert name in defined_names(path), f"docs/architecture.md names {path}:{name}, which {path} does not define"


def test_the_check_catches_a_name_that_moved() -> None:
    assert "Store.add_batch" in defined_names("collector/store/__init__.py")
    assert "Store.add_many" not in defined_names("collector/store/__init__.py")
    assert NOT_A_PATH.search("taqyeem/v1/devices/{device_id}/ratings")
    assert not NOT_A_PATH.search("collector/store/")
