"""The themes' word lists read from their TOML files (collector/themes/lexicon.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from collector.themes.lexicon import LexiconError, load, phrase


def test_the_shipped_lexicon_holds_the_six_themes_named_in_both_languages() -> None:
    lexicon = load()
    assert lexicon.ids == ["waiting", "conduct", "procedure", "building", "system_down", "praise"]
    assert all(theme.name_ar and theme.name_en and theme.terms for theme in lexicon.themes)


def test_an_entry_is_kept_folded_with_its_stem() -> None:
    assert phrase("الانتظار طويل") == (("الانتظار", "انتظار"), ("طويل", "طويل"))


def test_a_site_adds_its_own_theme_after_the_shipped_ones() -> None:
    lexicon = load().with_extra({"prayer": ["مصلى", "prayer room"]})
    assert lexicon.ids[-1] == "prayer"


def test_a_broken_theme_file_is_named_with_its_fault(tmp_path: Path) -> None:
    (tmp_path / "1-bad.toml").write_text('theme = "bad"\n[ar]\nterms = ["x"]\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"1-bad\.toml"):
        load(tmp_path)
    wordless = 'theme = "bad"\n[names]\nar = "س"\nen = "B"\n[en]\nterms = ["!!"]\n'
    (tmp_path / "1-bad.toml").write_text(wordless, encoding="utf-8")
    with pytest.raises(LexiconError, match="holds no word"):
        load(tmp_path)
    one_site = 'theme = "bad"\nsites = "riyadh-hq"\n[names]\nar = "س"\nen = "B"\n[en]\nterms = ["bus"]\n'
    (tmp_path / "1-bad.toml").write_text(one_site, encoding="utf-8")
    with pytest.raises(LexiconError, match="sites must be a list of site ids"):
        load(tmp_path)
