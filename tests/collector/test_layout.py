"""The collector's layout: the JSON API and the pages share collector.access and never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import collector
from devtools import house_map

ROOT = Path(collector.__file__).parent
SIDES = {"collector.api": "collector.web", "collector.web": "collector.api"}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """Every module a file imports, at any depth (inside functions too), relative imports resolved."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def crossings(side: str, root: Path = ROOT) -> list[str]:
    other = SIDES[side]
    files = sorted((root / side.split(".")[1]).rglob("*.py"))
    assert files, f"no modules found under {side}"
    return [
        f"{path.relative_to(root.parent)}:{line} imports {name}"
        for path in files
        for line, name in imported_names(path, root)
        if name == other or name.startswith(other + ".")
    ]


def test_the_api_never_imports_the_web_pages() -> None:
    assert crossings("collector.api") == []


def test_the_web_pages_never_import_the_api() -> None:
    assert crossings("collector.web") == []


# The app factory joins both sides; its dependencies record holds the pages' live feed; the service builds it.
WIRING = {"app.py", "app_deps.py", "service.py"}


def test_every_room_but_the_two_sides_imports_neither_side() -> None:
    found = [
        f"{path.relative_to(ROOT.parent)}:{line} imports {imported}"
        for path in sorted(ROOT.rglob("*.py"))
        if path.relative_to(ROOT).parts[0] not in ("api", "web") and path.name not in WIRING
        for line, imported in imported_names(path)
        if imported.startswith(("collector.api", "collector.web"))
    ]
    assert found == []


def test_the_top_level_holds_only_the_entry_points_and_the_cross_cutting_modules() -> None:
    # Everything else lives in a room named after what it is about (docs/architecture.md).
    modules = sorted(path.name for path in ROOT.glob("*.py"))
    assert modules == ["__init__.py", "__main__.py", "access.py", "app.py", "app_deps.py", "service.py", "settings.py"]


def test_no_two_modules_share_a_name_unless_they_are_one_concept_across_a_boundary() -> None:
    # The same concept on the sides of a boundary (a route, its CLI command, its store family) may share a
    # name; a name held by two rooms that are not such sides would make a newcomer open the wrong file.
    sides = {"api", "web", "cli", "store"}
    rooms: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        room = path.relative_to(ROOT).parts[0] if len(path.relative_to(ROOT).parts) > 1 else ""
        if path.name != "__init__.py" and room not in sides:
            rooms.setdefault(path.name, set()).add(room)
    assert {name: sorted(held) for name, held in rooms.items() if len(held) > 1} == {}


def test_the_check_sees_imports_hidden_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    late = tmp_path / "collector" / "api" / "routes" / "late.py"
    late.parent.mkdir(parents=True)
    late.write_text("def late():\n    from ...web.render import render\n    import collector.web.i18n\n")
    assert crossings("collector.api", tmp_path / "collector") == [
        "collector/api/routes/late.py:2 imports collector.web.render",
        "collector/api/routes/late.py:2 imports collector.web.render.render",
        "collector/api/routes/late.py:3 imports collector.web.i18n",
    ]


def test_the_api_and_the_pages_keep_their_modules_under_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT.parent)): n
        for side in ("api", "web")
        for path in (ROOT / side).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) >= 400
    }
    assert long == {}


REPO = ROOT.parent


def imports_matching(folder: str, prefixes: tuple[str, ...], skip: str | None = None) -> list[str]:
    return [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for path in sorted((REPO / folder).rglob("*.py"))
        if skip is None or not path.is_relative_to(REPO / skip)
        for line, name in imported_names(path, REPO / folder.split("/")[0])
        if name.startswith(prefixes)
    ]


def test_the_wire_contract_imports_neither_side() -> None:
    assert imports_matching("shared", ("collector", "device", "devtools")) == []


def test_only_the_store_runs_sql_on_the_collector() -> None:
    assert imports_matching("collector", ("sqlite3", "sqlite_utils"), skip="collector/store") == []


def test_the_fleet_knows_nothing_of_the_command_line_the_pages_or_ingest() -> None:
    forbidden = ("collector.cli", "collector.api", "collector.web", "collector.ingest.subscriber", "device", "devtools")
    assert imports_matching("collector/fleet", forbidden) == []


def test_every_module_of_both_sides_and_the_contract_stays_under_400_lines() -> None:
    long = {
        str(path.relative_to(REPO)): n
        for folder in ("collector", "device", "shared")
        for path in (REPO / folder).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_every_room_is_on_the_house_map() -> None:
    rooms = {house_map.room_of(path) for path in ROOT.rglob("*.py")} - {"__init__", "__main__"}
    assert rooms - set(house_map.ROOMS) == set()


def test_every_import_between_rooms_is_an_arrow_of_the_house_map() -> None:
    # To allow a new arrow, add it to devtools/house_map.py:ALLOWED and redraw the picture.
    stray = [
        f"{where} imports {target} ({source} may import: {', '.join(sorted(house_map.ALLOWED[source])) or '-'})"
        for source, target, where in house_map.imports_between_rooms()
        if target != "shared" and target not in house_map.ALLOWED[source]
    ]
    assert stray == []


def test_the_sides_never_have_an_arrow_to_each_other_and_only_the_wiring_reaches_them() -> None:
    reaching = {room for room, targets in house_map.ALLOWED.items() if targets & {"api", "web"}}
    assert reaching == {"app", "app_deps", "service"}  # the wiring; app_deps holds the pages' live feed
    assert house_map.ALLOWED["api"].isdisjoint({"web"}) and house_map.ALLOWED["web"].isdisjoint({"api"})


def test_the_picture_in_the_docs_is_drawn_from_the_current_map() -> None:
    assert house_map.PICTURE.read_text(encoding="utf-8") == house_map.picture(), (
        "docs/architecture.svg is stale: run .venv/bin/python -m devtools.house_map"
    )


# The rules ingest applies: plain values in, decisions out. The store is handed what they decide.
PURE_INGEST = ("batch_records", "classify", "clock_skew", "conflicts", "seq_gaps", "seq_resets")
IMPURE = ("collector.store", "sqlite3", "sqlite_utils", "paho", "collector.ingest.subscriber", "collector.ingest.batch")


def test_the_rules_of_ingest_and_its_batch_records_import_neither_the_store_nor_sqlite_nor_mqtt() -> None:
    found = [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for path in [ROOT / "ingest" / f"{module}.py" for module in PURE_INGEST]
        for line, name in imported_names(path)
        if any(name == impure or name.startswith(impure + ".") for impure in IMPURE)
    ]
    assert found == []


def test_the_store_takes_of_ingest_only_its_pure_rules_and_records() -> None:
    # Those import neither the store nor sqlite (the test above), so the store and ingest make no cycle.
    pure = tuple(f"collector.ingest.{module}" for module in PURE_INGEST)
    found = [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for path in sorted((ROOT / "store").rglob("*.py"))
        for line, name in imported_names(path)
        if name.startswith("collector.ingest") and not any(name == p or name.startswith(p + ".") for p in pure)
    ]
    assert found == []
