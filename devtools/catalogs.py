"""The translators' catalogs: compile them, check them, and bring them up to date with the English.

    python -m devtools.catalogs compile   every .po to its .mo (./dev.sh setup runs it; so does the build)
    python -m devtools.catalogs check     every catalog complete: exit 1 naming each missing, fuzzy or wrong text,
                                          and each key the code or templates name (Babel extracts them) that
                                          the catalogs lack
    python -m devtools.catalogs update    after an English text was added, changed or removed: every other
                                          catalog gains the new key (untranslated), loses the removed one,
                                          and an entry whose English changed is marked fuzzy for its translator
    python -m devtools.catalogs add kiosk fr   a new language: its catalog with every key, none translated yet

There are three domains: ``web`` (collector/web/locale/, Arabic and English), ``kiosk``
(device/kiosk/locale/, the visitor's seven languages) and ``staff`` (beside it: the staff
screens' halves, Arabic and English, which device/kiosk/texts.py shows side by side). In each a
message id is the text's key and the English catalog (``en``) holds the English; every other catalog shows it to its
translator as an "English: ..." note (docs/translations.md says why).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from string import Formatter

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from shared.contract import DEFAULT_REASONS

SPACE_OR_PUNCTUATION = re.compile(r"[^a-z0-9_]")
ROOT = Path(__file__).resolve().parent.parent
ENGLISH = "en"
ENGLISH_NOTE = "English: "


@dataclass(frozen=True)
class Domain:
    name: str
    locale_dir: Path
    source_dir: Path  # where the code and templates that name its keys live
    keywords: tuple[str, ...]  # the functions that take a key first: what Babel extracts

    def po(self, lang: str) -> Path:
        return self.locale_dir / lang / "LC_MESSAGES" / f"{self.name}.po"

    def languages(self) -> list[str]:
        return sorted(path.parent.parent.name for path in self.locale_dir.glob(f"*/LC_MESSAGES/{self.name}.po"))


DOMAINS = (
    Domain("web", ROOT / "collector/web/locale", ROOT / "collector/web", ("t", "translate", "isolated", "_")),
    Domain("kiosk", ROOT / "device/kiosk/locale", ROOT / "device/kiosk", ("text",)),
    Domain("staff", ROOT / "device/kiosk/locale", ROOT / "device/kiosk", ("both",)),  # STAFF["key"]: not extracted
)
EXTRACTORS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
# The kiosk's shipped reasons (``reason_<code>``) are in every catalog but Arabic's and English's:
# those two take a desk's reasons from its config (device/kiosk/translations.py).
REASON_PREFIX = "reason_"
CONFIG_LANGUAGES = ("ar", "en")


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, abort_invalid=True)


def write(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as out:
        write_po(out, catalog, width=0, sort_output=False, include_previous=False)


def compile_catalog(po: Path) -> Path:
    """``po`` to the ``.mo`` beside it; fuzzy entries are left out, as gettext's msgfmt does."""
    mo = po.with_suffix(".mo")
    with mo.open("wb") as out:
        write_mo(out, read(po), use_fuzzy=False)
    return mo


def placeholders(text: str) -> list[str]:
    """The ``{name}`` fields of a text with their format, sorted: ``{hot_c:g}`` is ``hot_c:g``."""
    try:
        parsed = Formatter().parse(text)
        fields = [f"{name}:{spec}" if spec else name for _, name, spec, _ in parsed if name is not None]
    except ValueError:
        return ["(unreadable braces)"]
    return sorted(fields)


def key_of(message: Message) -> str:
    """The entry's key: its message id (a plural entry's singular id)."""
    return message.id if isinstance(message.id, str) else message.id[0]


def forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string or ""]


def english_of(message: Message) -> str:
    """The English a non-English entry shows its translator: its "English: ..." note, the only extracted
    comment (``#.``) of an entry, unwrapped; other notes are translator comments (``#``)."""
    note = " ".join(message.auto_comments)
    return note.removeprefix(ENGLISH_NOTE) if note.startswith(ENGLISH_NOTE) else ""


def english_text(message: Message) -> str:
    """The English of an entry of the English catalog (a plural one: its plural form)."""
    return forms(message)[-1]


def used_keys(domain: Domain) -> dict[str, str]:
    """Every key the code and templates of ``domain`` name as a literal, extracted by Babel, with where.
    A key built at run time (``t('channel_' ~ code)``, ``f"pin_{weakness}"``) is not among them."""
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}}
    keywords: dict[str, None] = dict.fromkeys(domain.keywords)
    found = extract_from_dir(domain.source_dir, EXTRACTORS, options, keywords, comment_tags=())
    keys: dict[str, str] = {}
    for path, line, message, _, _ in found:
        key = message if isinstance(message, str) else message[0]
        if key and SPACE_OR_PUNCTUATION.search(key) is None:
            keys.setdefault(key, f"{path}:{line}")
    return keys


def unknown_keys(domain: Domain) -> Iterator[str]:
    """Keys the code names that the English catalog lacks: a page or screen would show the bare key."""
    english = read(domain.po(ENGLISH))
    for key, where in sorted(used_keys(domain).items()):
        joined = any(key[:cut] in english and key[cut:] in english for cut in range(1, len(key)))
        if key not in english and not joined:  # Babel joins the keys of ``text("a" if x else "b")`` to "ab"
            yield f"{domain.source_dir.relative_to(ROOT)}/{where} names {key!r}, which the {domain.name} catalogs lack"


@dataclass(frozen=True)
class Wanted:
    """An entry a catalog must hold: its id (a plural entry's is the pair), its English and its flags."""

    id: str | tuple[str, str]
    english: str
    flags: frozenset[str]


def wanted(domain: Domain, lang: str) -> dict[str, Wanted]:
    """Every entry ``lang``'s catalog must hold, by key: the English catalog's, and for the kiosk in a
    language other than Arabic and English the shipped reasons (those two take theirs from the config)."""
    entries = {
        key_of(message): Wanted(
            message.id if isinstance(message.id, str) else (message.id[0], message.id[1]),
            english_text(message),
            frozenset(message.flags),
        )
        for message in read(domain.po(ENGLISH))
        if message.id
    }
    if domain.name == "kiosk" and lang not in CONFIG_LANGUAGES:
        for reason in DEFAULT_REASONS:
            entries[f"{REASON_PREFIX}{reason.code}"] = Wanted(f"{REASON_PREFIX}{reason.code}", reason.en, frozenset())
    return entries


def problems(domain: Domain, lang: str) -> Iterator[str]:
    """What keeps ``lang``'s catalog of ``domain`` from being complete, one sentence each."""
    catalog = read(domain.po(lang))
    where = shown(domain.po(lang))
    entries = wanted(domain, lang)
    for key, needed in entries.items():
        if needed.id not in catalog:
            yield f"{where}: {key!r} is missing (run `python -m devtools.catalogs update`)"
    for message in catalog:
        if not message.id:
            continue
        key = key_of(message)
        entry = entries.get(key)
        if entry is None:
            yield f"{where}: {key!r} is not in the English catalog (run `python -m devtools.catalogs update`)"
        if message.fuzzy:
            yield f"{where}: {key!r} is fuzzy: its English changed; check the translation, then clear the flag"
        if not all(forms(message)):
            yield f"{where}: {key!r} is not translated"
        fields = placeholders(entry.english) if entry is not None else []
        for text in forms(message):
            # a plural form may leave out the count ("دقيقة", one minute); every other text keeps every field
            plural_ok = message.pluralizable and set(placeholders(text)) <= set(fields)
            if text and placeholders(text) != fields and not plural_ok:
                yield f"{where}: {key!r} has the fields {placeholders(text)}, the English has {fields}"


def update(domain: Domain) -> list[str]:
    """Bring every non-English catalog of ``domain`` to the English one's keys and notes; returns what changed."""
    changed = []
    for lang in domain.languages():
        if lang == ENGLISH:
            continue
        path = domain.po(lang)
        catalog = read(path)
        entries = wanted(domain, lang)
        for key, entry in entries.items():
            own = catalog.get(entry.id)
            if own is None:
                empty = ("",) * catalog.num_plurals if isinstance(entry.id, tuple) else ""
                catalog.add(entry.id, empty, auto_comments=[ENGLISH_NOTE + entry.english], flags=entry.flags)
                changed.append(f"{shown(path)}: {key!r} added, to translate")
            elif english_of(own) != entry.english:
                own.auto_comments = [ENGLISH_NOTE + entry.english]
                own.flags.add("fuzzy")
                changed.append(f"{shown(path)}: {key!r} marked fuzzy, its English changed")
        for message in list(catalog):
            if message.id and key_of(message) not in entries:
                catalog.delete(message.id)
                changed.append(f"{shown(path)}: {key_of(message)!r} removed, no longer in English")
        write(catalog, path)
    return changed


def add_language(domain: Domain, lang: str) -> Path:
    """A new catalog for ``lang`` (headers from Babel's locale data), filled by ``update`` with every key."""
    path = domain.po(lang)
    if path.exists():
        raise SystemExit(f"{shown(path)} exists already: edit it, or run `python -m devtools.catalogs update`")
    path.parent.mkdir(parents=True)
    write(Catalog(locale=lang, domain=domain.name, project="Taqyeem", fuzzy=False), path)
    update(domain)
    return path


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "compile":
        for domain in DOMAINS:
            for lang in domain.languages():
                compile_catalog(domain.po(lang))
        return 0
    if command == "check":
        found = [line for domain in DOMAINS for lang in domain.languages() for line in problems(domain, lang)]
        found += [line for domain in DOMAINS for line in unknown_keys(domain)]
        print("\n".join(found) or "every catalog is complete")
        return 1 if found else 0
    if command == "update":
        print("\n".join(line for domain in DOMAINS for line in update(domain)) or "every catalog is up to date")
        return 0
    if command == "add" and len(argv) == 3 and argv[1] in {domain.name for domain in DOMAINS}:
        domain = next(domain for domain in DOMAINS if domain.name == argv[1])
        print(f"{shown(add_language(domain, argv[2]))}: translate it, then run `python -m devtools.catalogs check`")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
