"""Every pure module has a unit test file of its own name where a newcomer looks for it (issue 21 point 7).

A module is pure when neither it nor any module of this project it imports, at any depth, imports one
of ``IO_IMPORTS`` (SQLite, the store, MQTT, Kivy, HTTP, sockets, processes, threads, a web framework):
plain data in, an answer out. Its mirror is ``tests/<its path>/test_<its name>.py``
(collector/reports/intervals.py: tests/collector/reports/test_intervals.py); the tablet's tests are
flat by that side's habit, so device/kiosk/roster.py may also be mirrored by tests/device/test_kiosk_roster.py.

The lists below are explicit: modules whose rules have their own unit tests though they also do I/O
(``WITH_PURE_PARTS``), modules that touch files without importing any of ``IO_IMPORTS``
(``FILE_IO``: not required), and the pure modules still without a mirror, each with why
(``NOT_YET``, ``TESTED_IN``). An entry that goes stale (a mirror appears, the module goes or stops
being pure) fails here, so the lists stay true.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIDES = ("collector", "device", "shared", "devtools")
IO_IMPORTS = (
    *("sqlite3", "sqlite_utils", "collector.store", "paho", "kivy", "httpx", "socket", "ssl", "subprocess"),
    *("threading", "urllib.request", "http.server", "fastapi", "starlette", "uvicorn", "apprise"),
)
# Modules that do I/O (the store, mostly) whose rules are unit tested through their own mirror anyway.
WITH_PURE_PARTS = {
    "collector.ingest.contacts": "reading, placing and judging a posted rating",
    "collector.reviews.workflow": "who may see, close and answer a review (on a store file)",
    "collector.people.employee_names": "names and unknown-employee labels (on a store file)",
    "collector.alerts.wording": "an alert's and a digest's words (impure only through employee_names' Store)",
}
# Modules importing none of IO_IMPORTS that read or write files themselves: I/O, so no mirror is asked of them.
FILE_IO = {
    "collector.settings": "reads the settings file and TAQYEEM_ variables",
    "device.settings": "reads the tablet's settings file and TAQYEEM_ variables",
    "device.health": "reads /proc and the disk's free space",
    "device.seqmark": "keeps the last seq in a file, fsynced",
    "device.updates.layout": "the releases folder, its links and lock files",
    "device.updates.version": "reads the running wheel's metadata from sys.path",
    "device.updates.wheel": "unpacks a wheel into the releases folder",
}
# Pure modules without a mirror yet, and why.
NOT_YET = {
    "collector.fleet.errors": "exception classes only; each is raised and checked by the fleet's tests",
}
# Pure modules tested whole under another name: the kiosk's catalogs by the table checks, the house map by the
# layout tests that hold every import to it.
TESTED_IN = {
    "device.kiosk.translations": "tests/device/test_translations.py",
    "devtools.house_map": "tests/collector/test_layout.py",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for side in SIDES for path in sorted((ROOT / side).rglob("*.py"))}


@cache
def imports(name: str) -> frozenset[str]:
    """Every module ``name`` imports, at any depth of its code, relative imports resolved."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found |= {base, *(f"{base}.{alias.name}" for alias in node.names)}
    return frozenset(found)


@cache
def io_paths() -> dict[str, str]:
    """How each impure module reaches I/O (``a -> b -> sqlite3``): its own imports first, then, until nothing
    changes, through a module of the project that reaches it."""
    found: dict[str, str] = {}
    for name in modules():
        direct = sorted(i for i in imports(name) if any(i == io or i.startswith(io + ".") for io in IO_IMPORTS))
        if direct:
            found[name] = direct[0]
    changed = True
    while changed:
        changed = False
        for name in modules():
            if name in found:
                continue
            for imported in sorted(imports(name)):
                via = next((c for c in (imported, imported.rpartition(".")[0]) if c in found and c != name), None)
                if via is not None:
                    found[name], changed = f"{via} -> {found[via]}", True
                    break
    return found


def io_path(name: str) -> str | None:
    """How ``name`` reaches I/O, or None when it is pure."""
    return io_paths().get(name)


def is_module(name: str) -> bool:
    return modules()[name].name not in ("__init__.py", "__main__.py")


def pure_modules() -> list[str]:
    return [name for name in modules() if is_module(name) and name not in FILE_IO and io_path(name) is None]


def mirror_of(name: str) -> Path | None:
    parts = name.split(".")
    exact = ROOT / "tests" / Path(*parts[:-1]) / f"test_{parts[-1]}.py"
    flat = ROOT / "tests" / parts[0] / f"test_{'_'.join(parts[1:])}.py"
    return next((path for path in (exact, flat) if path.exists()), None)


def test_every_pure_module_has_its_mirrored_unit_test_file() -> None:
    unmirrored = [
        f"{modules()[name].relative_to(ROOT)}: add tests/{'/'.join(name.split('.')[:-1])}/test_{name.split('.')[-1]}.py"
        for name in sorted({*pure_modules(), *WITH_PURE_PARTS})
        if mirror_of(name) is None and name not in NOT_YET and name not in TESTED_IN
    ]
    assert unmirrored == []


def test_a_module_tested_under_another_name_is_imported_by_that_file() -> None:
    for name, test_file in TESTED_IN.items():
        assert name in pure_modules(), f"{name} is listed in TESTED_IN but is no pure module"
        imported = imports_of_test(ROOT / test_file)  # the module, or the package that loads it (translations)
        assert name in imported or name.rpartition(".")[0] in imported, f"{test_file} does not import {name}"


def imports_of_test(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_no_entry_of_the_lists_is_stale() -> None:
    stale = [
        f"{name}: no such module"
        for name in {*WITH_PURE_PARTS, *FILE_IO, *NOT_YET, *TESTED_IN}
        if name not in modules()
    ]
    stale += [
        f"{name}: is pure now; take it out of WITH_PURE_PARTS" for name in WITH_PURE_PARTS if io_path(name) is None
    ]
    stale += [f"{name}: imports I/O ({io_path(name)}); take it out of FILE_IO" for name in FILE_IO if io_path(name)]
    stale += [f"{name}: has {mirror_of(name)}; take it out of NOT_YET" for name in NOT_YET if mirror_of(name)]
    stale += [f"{name}: has {mirror_of(name)}; take it out of TESTED_IN" for name in TESTED_IN if mirror_of(name)]
    stale += [f"{name}: is not pure ({io_path(name)}); take it out of NOT_YET" for name in NOT_YET if io_path(name)]
    assert stale == []


def test_the_purity_check_sees_io_through_the_project_s_own_modules() -> None:
    assert io_path("shared.clock") is None
    assert io_path("collector.store.ratings") is not None
    assert (io_path("device.kiosk.screens.idle") or "").startswith("device.kiosk.screens.base -> kivy")
