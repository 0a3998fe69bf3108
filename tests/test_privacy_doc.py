"""docs/privacy.md stays true to the store: every table it names exists, and every table is named there."""

from __future__ import annotations

import re
from pathlib import Path

from collector.settings import RetentionSettings
from collector.store.retention import forget_old_comments

ROOT = Path(__file__).resolve().parents[1]
PRIVACY = (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8")
SCHEMA = (ROOT / "tests" / "collector" / "store" / "schema_latest.sql").read_text(encoding="utf-8")
TABLES = set(re.findall(r'^CREATE TABLE "?(\w+)"?', SCHEMA, flags=re.MULTILINE))


def test_every_table_of_the_collector_database_is_named_in_the_privacy_page() -> None:
    unnamed = sorted(t for t in TABLES if f"`{t}`" not in PRIVACY)
    assert unnamed == [], f"docs/privacy.md does not say what these tables keep, or for how long: {unnamed}"


def test_every_table_the_privacy_page_names_as_a_place_exists() -> None:
    """The "where" column: `table` or `table.column`; paths, and a config's `staff` key, are not tables."""
    where = [line.split("|")[2] for line in PRIVACY.splitlines() if line.startswith("| ") and line.count("|") >= 4]
    named = {name.split(".")[0] for cell in where for name in re.findall(r"`([^`]+)`", cell) if "/" not in name}
    assert named - {"staff"} <= TABLES, sorted(named - {"staff"} - TABLES)


def test_the_comment_retention_it_states_is_the_default() -> None:
    days = RetentionSettings().comments_days
    assert f"**{days} days**" in PRIVACY and f"comments_days = {days}" in PRIVACY
    assert forget_old_comments.__doc__ and "purges" in PRIVACY


def test_the_readme_links_it() -> None:
    assert "(docs/privacy.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
