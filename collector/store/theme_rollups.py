"""Daily counts of the comments' themes, kept as ratings arrive so they outlive the comments themselves.

``theme_rollups`` holds, per local day of a rating's ``counted_at`` (the rollups' zone), site and
theme, how many stored comments are about that theme (collector.themes: a comment may count under
several themes, and one under none counts nowhere). They are added in the batch transaction
(``ThemeSums.add``, from ``Store.add_batch``), so they agree with the comments committed beside
them; the hourly purge blanks comments and leaves these counts alone.

``taqyeem rollups rebuild`` recounts them with the current lexicon (``fill_theme_sums``) from the
comments still held. A comment purged can no longer be read: every (day, site) holding a purged
comment keeps the counts it had, and only the others are recounted (after a change of zone those kept
stay on the old zone's days). The schema step that made the table counted the comments held then:
comments purged before the upgrade are in no count. Only the SQL is here; which
themes a comment has is the pure matcher's (collector/themes/match.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from collector.store.connection import Connection, StoreError, run_statements
from collector.store.local_days import local_day_hour
from collector.store.scope import span_and_sites
from collector.store.visit_rollups import stored_zone
from collector.themes.lexicon import Lexicon, LexiconError, load
from collector.themes.match import shipped, themes_of

_ADD = (
    "INSERT INTO theme_rollups (day, site_id, theme, n) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (day, site_id, theme) DO UPDATE SET n = n + excluded.n"
)
UNMATCHED_LIMIT = 500  # comments listed at most, newest first


def count_comment_themes_per_day(db: Database) -> None:
    """The ``theme_rollups`` table, filled from the comments still held for the rollups' zone."""
    run_statements(
        db,
        """CREATE TABLE theme_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        theme TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, theme)
    ) WITHOUT ROWID""",
    )
    fill_theme_sums(db, stored_zone(db), shipped())


def _cells(
    zone: str, comments: Iterable[tuple[str, str | None, str | None]], lexicon: Lexicon
) -> dict[tuple[str, str, str], int]:
    """(counted_at, site_id, comment) -> (day, site, theme) -> how many comments are about it."""
    cells: dict[tuple[str, str, str], int] = {}
    for counted_at, site_id, comment in comments:
        found = themes_of(comment, lexicon, site_id)
        if found:
            day = local_day_hour(zone, counted_at[:16])[0]
            for theme in found:
                key = (day, site_id or "", theme)
                cells[key] = cells.get(key, 0) + 1
    return cells


def add_theme_counts(db: Database, rows: list[dict[str, Any]], lexicon: Lexicon) -> None:
    """Count the themes of newly stored ratings' comments (``Ratings.add``'s rows); inside their transaction."""
    commented = [(r["counted_at"], r["site_id"], r["comment"]) for r in rows if r.get("comment")]
    if commented:
        cells = _cells(stored_zone(db), commented, lexicon)
        db.conn.executemany(_ADD, [(*key, n) for key, n in cells.items()])


def fill_theme_sums(db: Database, zone: str, lexicon: Lexicon) -> None:
    """Recount every (day, site) none of whose comments was purged; the caller holds the transaction."""
    purged = {
        (local_day_hour(zone, quarter)[0], site_id or "")
        for quarter, site_id in db.conn.execute(
            "SELECT DISTINCT substr(counted_at, 1, 16), site_id FROM ratings WHERE comment_purged_at IS NOT NULL"
        )
    }
    kept = [
        row for row in db.conn.execute("SELECT day, site_id, theme, n FROM theme_rollups") if tuple(row[:2]) in purged
    ]
    db.conn.execute("DELETE FROM theme_rollups")
    held = db.conn.execute("SELECT counted_at, site_id, comment FROM ratings WHERE comment IS NOT NULL")
    cells = {key: n for key, n in _cells(zone, held, lexicon).items() if key[:2] not in purged}
    db.conn.executemany(_ADD, [*kept, *((*key, n) for key, n in cells.items())])


@dataclass(frozen=True)
class UnmatchedComment:
    """A comment still held that no theme matched, for a person to read."""

    rating_id: str
    site_id: str | None
    counted_at: str
    score: int
    comment: str


class ThemeSums:
    """``theme_rollups``, and the comments still held that no theme matched."""

    def __init__(self, conn: Connection, lexicon: Lexicon | None = None) -> None:
        self._conn = conn
        self.lexicon = lexicon or shipped()

    def use_folder(self, folder: Path) -> None:
        """Match with the theme files in ``folder`` (``themes_dir`` in the settings) instead of the shipped ones."""
        try:
            lexicon = load(folder)
        except LexiconError as exc:
            raise StoreError(f"themes_dir: {exc}") from None
        if not lexicon.themes:
            raise StoreError(f"themes_dir: {folder} holds no theme file (*.toml); copy the shipped ones there first")
        self.lexicon = lexicon

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Count the themes of newly stored ratings; call inside their transaction (``Store.add_batch``)."""
        with self._conn.transaction() as db:
            add_theme_counts(db, rows, self.lexicon)

    def rebuild(self, zone: str | None = None) -> int:
        """Recount from the comments still held (days with a purged comment keep theirs); returns the rows."""
        with self._conn.transaction() as db:
            fill_theme_sums(db, zone or stored_zone(db), self.lexicon)
            return int(db.execute("SELECT count(*) FROM theme_rollups").fetchone()[0])

    def counts(
        self, days: tuple[str, str], sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """[{"theme", "count"}] over the local days [first, last], most frequent first (then by theme)."""
        where, params = span_and_sites("day", days[0], days[1] + "~", sites, site_id)  # "~" sorts after any day
        sql = f"SELECT theme, sum(n) FROM theme_rollups WHERE {where} GROUP BY theme ORDER BY 2 DESC, 1"  # noqa: S608
        return [{"theme": theme, "count": int(n)} for theme, n in self._conn.db.execute(sql, params)]

    def all(self) -> list[tuple[str, str, str, int]]:
        """Every row in key order (to compare two builds)."""
        rows = self._conn.db.execute("SELECT day, site_id, theme, n FROM theme_rollups ORDER BY day, site_id, theme")
        return [(str(d), str(s), str(t), int(n)) for d, s, t, n in rows]

    def unmatched(
        self,
        span: tuple[str, str],
        sites: list[str] | None = None,
        site_id: str | None = None,
        limit: int = UNMATCHED_LIMIT,
    ) -> list[UnmatchedComment]:
        """The comments still held, counted in [since, until) (UTC), that no theme matched; newest first."""
        where, params = span_and_sites("counted_at", span[0], span[1], sites, site_id)
        sql = (
            "SELECT id, site_id, counted_at, score, comment FROM ratings "  # noqa: S608 - built from constants
            f"WHERE comment IS NOT NULL AND {where} ORDER BY counted_at DESC, id DESC"
        )
        found: list[UnmatchedComment] = []
        for rating_id, site, counted_at, score, comment in self._conn.db.execute(sql, params):
            if comment.strip() and not themes_of(comment, self.lexicon, site):
                found.append(UnmatchedComment(rating_id, site, counted_at, int(score), comment))
                if len(found) >= limit:
                    break
        return found
