"""``taqyeem rollups rebuild``: the rollups recomputed for a zone, a bad zone refused in one line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from collector.cli import cli
from collector.ingest.batch import sorted_against_store
from collector.ingest.batch_records import Batch
from collector.store import Store
from tests.support.db_files import execute
from tests.support.fixed_time_ratings import NOW, rating


def test_rebuild_recomputes_the_rollups_for_the_zone_given(tmp_path: Path) -> None:
    db = tmp_path / "taqyeem.db"
    store = Store(db)
    store.add_batch(sorted_against_store(store, Batch([rating(seq=1, minute=0), rating(seq=2, minute=200)])), NOW)
    store.close()

    result = CliRunner().invoke(cli, ["rollups", "rebuild", "--db", str(db), "--timezone", "Asia/Kolkata"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("rebuilt 2 rollup rows for Asia/Kolkata in ")
    store = Store(db)
    try:
        assert [(row[0], row[1]) for row in store.rollups.all()] == [("2026-11-28", 14), ("2026-11-28", 17)]
    finally:
        store.close()


def test_an_unknown_zone_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "taqyeem.db"
    Store(db).close()

    result = CliRunner().invoke(cli, ["rollups", "rebuild", "--db", str(db), "--timezone", "Mars/Olympus"])

    assert result.exit_code == 1
    assert result.output == "Error: timezone 'Mars/Olympus' is not an IANA zone name like Asia/Riyadh\n"


def test_rebuild_also_recomputes_each_devices_seq_history(tmp_path: Path) -> None:
    db = tmp_path / "taqyeem.db"
    store = Store(db)
    store.add_batch(sorted_against_store(store, Batch([rating(seq=1), rating(seq=4)])), NOW)
    kept = store.seq_history.runs()
    store.close()
    execute(db, "DELETE FROM device_seq_runs")  # as after ratings loaded around the collector

    result = CliRunner().invoke(cli, ["rollups", "rebuild", "--db", str(db)])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("rebuilt the seq history of the devices: 1 runs in ")
    store = Store(db)
    try:
        assert store.seq_history.runs() == kept and kept[0][1].gaps == 2
    finally:
        store.close()


PRAYER = 'theme = "prayer_room"\n[names]\nar = "المصلى"\nen = "Prayer room"\n[ar]\nterms = ["مصلى"]\n'


def test_rebuild_recounts_the_comments_themes_with_the_word_lists_of_the_configs_themes_dir(tmp_path: Path) -> None:
    db, themes = tmp_path / "taqyeem.db", tmp_path / "themes"
    themes.mkdir()
    (themes / "1-prayer.toml").write_text(PRAYER, encoding="utf-8")
    config = tmp_path / "collector.toml"
    config.write_text(f'db = "{db}"\nthemes_dir = "{themes}"\n', encoding="utf-8")
    store = Store(db)
    commented = [rating(seq=1).model_copy(update={"comment": "المصلى بعيد والانتظار طويل"})]
    store.add_batch(sorted_against_store(store, Batch(commented)), NOW)
    assert [row[2] for row in store.themes.all()] == ["building", "waiting"]  # the shipped word lists
    store.close()

    result = CliRunner().invoke(cli, ["rollups", "rebuild", "--config", str(config)])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2].startswith("recounted the comments' themes: 1 rows ")
    store = Store(db)
    try:
        assert [row[2] for row in store.themes.all()] == ["prayer_room"]
    finally:
        store.close()


def test_a_themes_dir_without_theme_files_is_one_line_naming_it(tmp_path: Path) -> None:
    db = tmp_path / "taqyeem.db"
    Store(db).close()
    config = tmp_path / "collector.toml"
    config.write_text(f'db = "{db}"\nthemes_dir = "{tmp_path / "none"}"\n', encoding="utf-8")

    result = CliRunner().invoke(cli, ["rollups", "rebuild", "--config", str(config)])

    assert result.exit_code == 1
    assert (
        result.output.splitlines()[-1] == f"Error: themes_dir: {tmp_path / 'none'} holds no theme file (*.toml); "
        "copy the shipped ones there first"
    )
