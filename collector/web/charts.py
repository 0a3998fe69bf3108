"""Charts as inline SVG drawn on the server (no CDN, no JavaScript).

Every chart runs from score 1 at the left to 5 at the right, and in time order
left to right, in both languages: the rating scale is never mirrored.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

SCORE_COLOURS = ("#c0392b", "#e67e22", "#f1c40f", "#7dbb42", "#2e8b57")


def score_bars(counts: list[int], title: str, width: int = 360, height: int = 160) -> Markup:
    """Five bars, score 1 (left) to 5 (right), each labelled with its count."""
    top = max(counts) or 1
    slot = width / 5
    parts = [
        f'<svg class="chart" dir="ltr" viewBox="0 0 {width} {height + 36}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, count in enumerate(counts):
        bar = (height - 20) * count / top
        x = index * slot + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bar:.1f}" width="{slot * 0.7:.1f}" height="{bar:.1f}" '
            f'fill="{SCORE_COLOURS[index]}"/>'
        )
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bar - 4:.1f}" text-anchor="middle">{count}</text>')
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height + 20}" text-anchor="middle" class="axis">{index + 1}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers and escaped text only


def line_chart(points: list[tuple[str, float | None]], title: str, width: int = 640, height: int = 180) -> Markup:
    """Daily means on a 1..5 axis, oldest day at the left; days without ratings leave a gap."""
    pad_x, pad_y = 28, 10
    inner_w, inner_h = width - 2 * pad_x, height - 2 * pad_y
    step = inner_w / max(len(points) - 1, 1)

    def y_of(value: float) -> float:
        return pad_y + inner_h * (5 - value) / 4

    parts = [
        f'<svg class="chart" dir="ltr" viewBox="0 0 {width} {height + 24}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for level in range(1, 6):
        parts.append(
            f'<line x1="{pad_x}" x2="{width - pad_x}" y1="{y_of(level):.1f}" y2="{y_of(level):.1f}" '
            f'class="grid"/><text x="4" y="{y_of(level) + 4:.1f}" class="axis">{level}</text>'
        )
    segment: list[str] = []
    for index, (_, value) in enumerate(points):
        if value is None:
            if len(segment) > 1:
                parts.append(f'<polyline points="{" ".join(segment)}" class="line"/>')
            segment = []
            continue
        x, y = pad_x + index * step, y_of(value)
        segment.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" class="dot"/>')
    if len(segment) > 1:
        parts.append(f'<polyline points="{" ".join(segment)}" class="line"/>')
    if points:
        parts.append(f'<text x="{pad_x}" y="{height + 18}" class="axis">{escape(points[0][0])}</text>')
        parts.append(
            f'<text x="{width - pad_x}" y="{height + 18}" text-anchor="end" class="axis">{escape(points[-1][0])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers and escaped text only


def count_bars(items: list[tuple[str, int]], title: str, width: int = 640, height: int = 140) -> Markup:
    """Counts per label left to right (hours of the day)."""
    top = max((c for _, c in items), default=0) or 1
    slot = width / max(len(items), 1)
    parts = [
        f'<svg class="chart" dir="ltr" viewBox="0 0 {width} {height + 24}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (name, count) in enumerate(items):
        bar = (height - 16) * count / top
        x = index * slot + slot * 0.1
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bar:.1f}" width="{slot * 0.8:.1f}" height="{bar:.1f}" '
            f'class="bar"/><text x="{x + slot * 0.4:.1f}" y="{height - bar - 3:.1f}" '
            f'text-anchor="middle">{count}</text><text x="{x + slot * 0.4:.1f}" y="{height + 16}" '
            f'text-anchor="middle" class="axis">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers and escaped text only


def sparkline(values: list[float | None], width: int = 120, height: int = 28) -> Markup:
    """A small trend of daily means (1..5), oldest at the left.

    Fewer than two days with ratings make no trend: one day is a dot labelled with its mean.
    """
    pad = 3  # keeps the end dots inside the box
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = [(pad + i * step, 3 + (height - 6) * (5 - v) / 4) for i, v in enumerate(values) if v is not None]
    if not points:
        return Markup("")
    box = f'<svg class="spark" dir="ltr" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
    if len(points) == 1:
        (x, y), value = points[0], next(v for v in values if v is not None)
        label_x, anchor = (x - 6, "end") if x > width / 2 else (x + 6, "start")
        return Markup(  # noqa: S704 - numbers only
            f'{box}aria-hidden="true"><circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>'
            f'<text x="{label_x:.1f}" y="{height / 2 + 4:.1f}" text-anchor="{anchor}">{value:.2f}</text></svg>'
        )
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.5"/>' for x, y in points)
    return Markup(  # noqa: S704 - numbers only
        f'{box}aria-hidden="true"><polyline points="{line}"/>{dots}</svg>'
    )
