"""The translators' catalogs (devtools/catalogs.py): complete, compiled, and kept up to date with the English."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo

from devtools import catalogs
from devtools.catalogs import DOMAINS, Domain

EVERY_CATALOG = [(domain, lang) for domain in DOMAINS for lang in domain.languages()]


def test_each_domain_has_its_languages() -> None:
    web, kiosk, staff = DOMAINS
    assert web.languages() == staff.languages() == ["ar", "en"]
    assert kiosk.languages() == ["ar", "bn", "en", "hi", "id", "tl", "ur"]


@pytest.mark.parametrize(("domain", "lang"), EVERY_CATALOG, ids=[f"{d.name}-{lang}" for d, lang in EVERY_CATALOG])
def test_every_catalog_is_complete_every_text_translated_with_the_english_placeholders(domain: Domain, lang: str):
    assert list(catalogs.problems(domain, lang)) == []


@pytest.mark.parametrize("domain", DOMAINS, ids=[d.name for d in DOMAINS])
def test_every_key_the_code_and_templates_name_is_in_the_catalogs(domain: Domain) -> None:
    used = catalogs.used_keys(domain)
    assert len(used) > {"web": 150, "kiosk": 10, "staff": 5}[domain.name]  # Babel really read the code and templates
    assert list(catalogs.unknown_keys(domain)) == []


@pytest.mark.parametrize(("domain", "lang"), EVERY_CATALOG, ids=[f"{d.name}-{lang}" for d, lang in EVERY_CATALOG])
def test_the_compiled_catalog_is_the_po_compiled(domain: Domain, lang: str) -> None:
    po = domain.po(lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalogs.read(po), use_fuzzy=False)
    assert po.with_suffix(".mo").read_bytes() == compiled.getvalue(), "run ./dev.sh setup to compile the catalogs"


def _copy(domain: Domain, tmp_path: Path) -> Domain:
    copy = Domain(domain.name, tmp_path / "locale", domain.source_dir, domain.keywords)
    shutil.copytree(domain.locale_dir, copy.locale_dir, ignore=shutil.ignore_patterns("*.mo"))
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_plural_form_may_leave_out_the_count_but_no_text_may_bring_a_field_of_its_own(tmp_path: Path) -> None:
    staff = _copy(DOMAINS[2], tmp_path)
    arabic = staff.po("ar")
    assert catalogs.read(arabic)["minutes"].string[1] == "دقيقة"  # one minute: no {n}, and complete
    _edit(arabic, 'msgstr[2] "دقيقتين"', 'msgstr[2] "{m} دقيقتين"')
    assert list(catalogs.problems(staff, "ar")) == [f"{arabic}: 'minutes' has the fields ['m'], the English has ['n']"]


def test_an_untranslated_text_a_fuzzy_one_and_a_lost_placeholder_are_each_named(tmp_path: Path) -> None:
    kiosk = _copy(DOMAINS[1], tmp_path)
    urdu = kiosk.po("ur")
    _edit(urdu, 'msgstr "زبان"', 'msgstr ""')
    _edit(urdu, 'msgid "send"', '#, fuzzy\nmsgid "send"')
    _edit(urdu, "آپ {name} کی", "آپ {naam} کی")
    assert list(catalogs.problems(kiosk, "ur")) == [
        f"{urdu}: 'language' is not translated",
        f"{urdu}: 'send' is fuzzy: its English changed; check the translation, then clear the flag",
        f"{urdu}: 'serving' has the fields ['naam'], the English has ['name']",
    ]


def test_a_catalog_without_a_shipped_reason_is_incomplete_but_arabic_needs_none(tmp_path: Path) -> None:
    kiosk = _copy(DOMAINS[1], tmp_path)
    hindi = kiosk.po("hi")
    _edit(hindi, 'msgid "reason_facilities"', 'msgid "reason_elsewhere"')
    assert list(catalogs.problems(kiosk, "hi")) == [
        f"{hindi}: 'reason_facilities' is missing (run `python -m devtools.catalogs update`)",
        f"{hindi}: 'reason_elsewhere' is not in the English catalog (run `python -m devtools.catalogs update`)",
    ]
    assert list(catalogs.problems(kiosk, "ar")) == []


def test_update_adds_a_new_english_text_marks_a_changed_one_fuzzy_and_drops_a_removed_one(tmp_path: Path) -> None:
    web = _copy(DOMAINS[0], tmp_path)
    english = web.po("en")
    _edit(english, 'msgid "print"\nmsgstr "Print"', 'msgid "print"\nmsgstr "Print the page"')
    _edit(english, 'msgid "yes"\nmsgstr "Yes"', 'msgid "maybe"\nmsgstr "Maybe, {name}"')
    changed = catalogs.update(web)
    arabic = web.po("ar")
    assert changed == [
        f"{arabic}: 'maybe' added, to translate",
        f"{arabic}: 'print' marked fuzzy, its English changed",
        f"{arabic}: 'yes' removed, no longer in English",
    ]
    assert list(catalogs.problems(web, "ar")) == [
        f"{arabic}: 'print' is fuzzy: its English changed; check the translation, then clear the flag",
        f"{arabic}: 'maybe' is not translated",
    ]
    updated = catalogs.read(arabic)
    assert updated["print"].string == "طباعة" and updated["print"].auto_comments == ["English: Print the page"]
    assert updated["maybe"].auto_comments == ["English: Maybe, {name}"]
    assert catalogs.update(web) == []  # a second run finds nothing more to do


def test_a_new_language_starts_with_every_key_and_its_reasons_untranslated(tmp_path: Path) -> None:
    kiosk = _copy(DOMAINS[1], tmp_path)
    french = catalogs.add_language(kiosk, "fr")
    problems = list(catalogs.problems(kiosk, "fr"))
    entries = catalogs.wanted(kiosk, "fr")
    assert len(problems) == len(entries) == 29 + 5 + 6  # the texts, the five faces, the six shipped reasons
    assert all(line.endswith("is not translated") for line in problems)
    assert catalogs.read(french)["face_5"].auto_comments == ["English: Very satisfied"]


def test_compile_writes_the_mo_beside_the_po(tmp_path: Path) -> None:
    kiosk = _copy(DOMAINS[1], tmp_path)
    mo = catalogs.compile_catalog(kiosk.po("bn"))
    assert mo == kiosk.locale_dir / "bn" / "LC_MESSAGES" / "kiosk.mo"
    assert mo.read_bytes() == DOMAINS[1].po("bn").with_suffix(".mo").read_bytes()
