"""The collector's rooms and the imports allowed between them: the one table the layout test enforces and the
picture in docs/architecture.svg is drawn from.

    .venv/bin/python -m devtools.house_map      # rewrite docs/architecture.svg after changing ALLOWED

A room is a package of ``collector/`` (``ingest``, ``reports`` ...) or one of the few top-level modules
(``app``, ``service``, ``settings``, ``access``). ``shared`` (the wire contract) may be imported by every
room and is drawn once, without its arrows.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
COLLECTOR = REPO / "collector"
PICTURE = REPO / "docs" / "architecture.svg"

# room: (what it holds, in a few words; the row it is drawn in, top to bottom)
ROOMS: dict[str, tuple[str, int]] = {
    "cli": ("the taqyeem command", 0),
    "service": ("runs the collector", 0),
    "app": ("the app factory", 1),
    "app_deps": ("what the app is built of", 1),
    "api": ("JSON API /api/v1", 2),
    "web": ("supervisors' pages", 2),
    "access": ("who is asking", 3),
    "guards": ("limits before a route", 3),
    "ingest": ("MQTT and calls in", 4),
    "reviews": ("negatives reviewed", 4),
    "reports": ("daily, period, figures", 4),
    "alerts": ("same-day alerts", 4),
    "people": ("accounts, names", 4),
    "visits": ("visits, rating links", 4),
    "fleet": ("desks, sites, releases", 4),
    "upkeep": ("backup, checks, purge", 4),
    "themes": ("comment themes", 5),
    "settings": ("typed settings", 5),
    "store": ("the only SQL", 5),
    "shared": ("the wire contract", 6),
}

# room -> the rooms it may import (shared is allowed everywhere). The two sides never import each other.
ALLOWED: dict[str, frozenset[str]] = {
    name: frozenset(targets.split())
    for name, targets in {
        "cli": "access service settings store fleet people alerts upkeep reports reviews ingest",
        "service": "app app_deps web alerts ingest settings store upkeep",
        "app": "app_deps api web access guards alerts reports reviews settings store visits",
        "app_deps": "web alerts fleet ingest reports settings store",
        "api": "app_deps access alerts fleet ingest people reports reviews settings store upkeep visits",
        "web": "app_deps access alerts fleet ingest people reports reviews settings store visits",
        "access": "app_deps people reviews store",
        "guards": "ingest store",
        "ingest": "fleet reviews settings store",
        "reviews": "store",
        "reports": "reviews store",
        "alerts": "ingest people reports reviews settings store visits",
        "people": "alerts reports reviews store",
        "visits": "alerts guards settings store",
        "fleet": "alerts guards ingest reviews store",
        "upkeep": "store",
        "settings": "reports",
        "store": "ingest themes",
        "themes": "",
        "shared": "",
    }.items()
}


def room_of(path: Path) -> str:
    parts = path.relative_to(COLLECTOR).parts
    return parts[0] if len(parts) > 1 else path.stem


def imports_between_rooms(root: Path = COLLECTOR) -> Iterator[tuple[str, str, str]]:
    """(from room, to room, "file:line") for every import of one room by another, inside functions too."""
    for path in sorted(root.rglob("*.py")):
        source = room_of(path) if root == COLLECTOR else path.relative_to(root).parts[0]
        if source in ("__init__", "__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                parts = name.split(".")
                target = parts[1] if parts[0] == "collector" and len(parts) > 1 else parts[0]
                if target in ROOMS and target != source:
                    yield source, target, f"{path.relative_to(REPO)}:{node.lineno}"


# --- the picture -----------------------------------------------------------------------------------------------

BOX_W, BOX_H, GAP_X, ROW_H, MARGIN = 150, 46, 16, 92, 20
WIDTH = MARGIN * 2 + 8 * BOX_W + 7 * GAP_X


# Rows with fewer rooms than the widest are centred, except where COLUMNS places a room: access and guards
# stand at the edges so the sides' arrows to the rooms below pass between them.
COLUMNS = {"access": 0, "guards": 7}


def _positions() -> dict[str, tuple[float, float]]:
    rows: dict[int, list[str]] = {}
    for name, (_, row) in ROOMS.items():
        rows.setdefault(row, []).append(name)
    where: dict[str, tuple[float, float]] = {}
    for row, names in rows.items():
        span = len(names) * BOX_W + (len(names) - 1) * GAP_X
        left = (WIDTH - span) / 2
        for i, name in enumerate(names):
            column = COLUMNS.get(name)
            x = left + i * (BOX_W + GAP_X) if column is None else MARGIN + column * (BOX_W + GAP_X)
            where[name] = (x, MARGIN + 40 + row * ROW_H)
    return where


def _edges(where: dict[str, tuple[float, float]]) -> list[tuple[tuple[float, float], tuple[float, float], bool]]:
    """Each allowed arrow's two ends, spread along the box edges in the order of the other ends."""
    arrows = [(s, t) for s in ROOMS for t in sorted(ALLOWED[s])]
    side = {}  # (room, other room) -> which edge of room the arrow leaves or enters: "top" or "bottom"
    for s, t in arrows:
        down = where[t][1] > where[s][1]
        side[(s, t)] = "bottom" if down else "top"
        side[(t, s)] = "top" if down else ("top" if where[t][1] == where[s][1] else "bottom")
    ports: dict[tuple[str, str], list[str]] = {}
    for s, t in arrows:
        ports.setdefault((s, side[(s, t)]), []).append(t)
        ports.setdefault((t, side[(t, s)]), []).append(s)

    def port(room: str, other: str) -> tuple[float, float]:
        edge = side[(room, other)]
        others = sorted(ports[(room, edge)], key=lambda o: (where[o][0], o))
        x, y = where[room]
        share = (others.index(other) + 1) / (len(others) + 1)
        return x + 8 + share * (BOX_W - 16), y + (BOX_H if edge == "bottom" else 0)

    return [(port(s, t), port(t, s), where[s][1] == where[t][1]) for s, t in arrows]


def picture() -> str:
    """The SVG: one box per room, one arrow per allowed import (none to shared: every room may import it)."""
    where = _positions()
    height = MARGIN * 2 + 40 + 7 * ROW_H - (ROW_H - BOX_H)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="DejaVu Sans, sans-serif">',
        "<defs><marker id='head' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='7' markerHeight='7' "
        "orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='#6b7280'/></marker></defs>",
        f'<rect width="{WIDTH}" height="{height:.0f}" fill="white"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 12}" font-size="15" font-weight="bold">The collector\'s rooms and the '
        "imports allowed between them (devtools/house_map.py)</text>",
        f'<text x="{MARGIN}" y="{MARGIN + 30}" font-size="11" fill="#4b5563">An arrow: may import. Every room '
        "may import shared. api and web never import each other; only store runs SQL.</text>",
    ]
    out += [_arrow(a, b, same_row) for a, b, same_row in _edges(where)]
    for name, (caption, _) in ROOMS.items():
        x, y = where[name]
        fill = {"api": "#dbeafe", "web": "#dbeafe", "store": "#fde68a", "shared": "#e5e7eb"}.get(name, "#ecfdf5")
        out.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" stroke="#374151"/>'
        )
        out.append(f'<text x="{x + BOX_W / 2:.0f}" y="{y + 19:.0f}" font-size="13" text-anchor="middle" '
                   f'font-weight="bold">{escape(name)}</text>')  # fmt: skip
        out.append(f'<text x="{x + BOX_W / 2:.0f}" y="{y + 35:.0f}" font-size="10" text-anchor="middle" '
                   f'fill="#374151">{escape(caption)}</text>')  # fmt: skip
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _arrow(a: tuple[float, float], b: tuple[float, float], same_row: bool) -> str:
    if same_row:  # an arc over the boxes
        lift = 24 + abs(b[0] - a[0]) / 10
        bends = f"{a[0]:.0f},{a[1] - lift:.0f} {b[0]:.0f},{b[1] - lift:.0f}"
    else:
        bend = (b[1] - a[1]) / 2
        bends = f"{a[0]:.0f},{a[1] + bend:.0f} {b[0]:.0f},{b[1] - bend:.0f}"
    path = f"M{a[0]:.0f},{a[1]:.0f} C{bends} {b[0]:.0f},{b[1]:.0f}"
    return f'<path d="{path}" fill="none" stroke="#9ca3af" stroke-width="1" marker-end="url(#head)"/>'


if __name__ == "__main__":
    PICTURE.write_text(picture(), encoding="utf-8")
    print(f"wrote {PICTURE.relative_to(REPO)}")
