"""The translators' catalogs: compile them, check them, and bring them up to date with the English.

    python -m devtools.catalogs compile   every .po to its .mo (./dev.sh setup runs it; so does the build)
    python -m devtools.catalogs check     every catalog complete: exit 1 naming each missing, fuzzy or wrong text
    python -m devtools.catalogs update    after an English text was added, changed or removed: every other
                                          catalog gains the new key (untranslated), loses the removed one,
                                          and an entry whose English changed is marked fuzzy for its translator

There are two domains: ``web`` (collector/web/locale/, Arabic and English) and ``kiosk``
(device/kiosk/locale/, the visitor's seven languages). In both a message id is the text's key
and the English catalog (``en``) holds the English; every other catalog shows it to its
translator as an "English: ..." note (docs/translations.md says why).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from string import Formatter

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = "en"
ENGLISH_NOTE = "English: "


@dataclass(frozen=True)
class Domain:
    name: str
    locale_dir: Path

    def po(self, lang: str) -> Path:
        return self.locale_dir / lang / "LC_MESSAGES" / f"{self.name}.po"

    def languages(self) -> list[str]:
        return sorted(path.parent.parent.name for path in self.locale_dir.glob(f"*/LC_MESSAGES/{self.name}.po"))


DOMAINS = (Domain("web", ROOT / "collector/web/locale"), Domain("kiosk", ROOT / "device/kiosk/locale"))
# Kiosk entries the English catalog does not hold: Arabic and English reasons come from the desk's config.
NOT_IN_ENGLISH = {"kiosk": "reason_"}


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


def problems(domain: Domain, lang: str) -> Iterator[str]:
    """What keeps ``lang``'s catalog of ``domain`` from being complete, one sentence each."""
    english = read(domain.po(ENGLISH))
    catalog = read(domain.po(lang))
    where = f"{domain.po(lang).relative_to(ROOT)}"
    own_only = NOT_IN_ENGLISH.get(domain.name)
    for message in english:
        if message.id and message.id not in catalog and lang != ENGLISH:
            yield f"{where}: {key_of(message)!r} is missing"
    for message in catalog:
        if not message.id:
            continue
        key = key_of(message)
        source = english.get(message.id)
        if source is None and not (own_only and key.startswith(own_only)):
            yield f"{where}: {key!r} is not in the English catalog (run `python -m devtools.catalogs update`)"
        if message.fuzzy:
            yield f"{where}: {key!r} is fuzzy: its English changed; check the translation, then clear the flag"
        if not all(forms(message)):
            yield f"{where}: {key!r} is not translated"
        wanted = placeholders(forms(source)[0]) if source is not None else []
        for text in forms(message):
            if text and placeholders(text) != wanted:
                yield f"{where}: {key!r} has the fields {placeholders(text)}, the English has {wanted}"


def update(domain: Domain) -> list[str]:
    """Bring every non-English catalog of ``domain`` to the English one's keys and notes; returns what changed."""
    english = read(domain.po(ENGLISH))
    changed = []
    for lang in domain.languages():
        if lang == ENGLISH:
            continue
        path = domain.po(lang)
        catalog = read(path)
        for message in english:
            if not message.id:
                continue
            text = english_text(message)
            own = catalog.get(message.id)
            if own is None:
                catalog.add(message.id, ("",) * catalog.num_plurals if message.pluralizable else "",
                            auto_comments=[ENGLISH_NOTE + text], flags=message.flags)
                changed.append(f"{path.relative_to(ROOT)}: {key_of(message)!r} added, to translate")
            elif english_of(own) != text:
                own.auto_comments = [ENGLISH_NOTE + text]
                own.flags.add("fuzzy")
                changed.append(f"{path.relative_to(ROOT)}: {key_of(message)!r} marked fuzzy, its English changed")
        own_only = NOT_IN_ENGLISH.get(domain.name) or "\0"
        for message in list(catalog):
            key = key_of(message)
            if message.id and message.id not in english and not key.startswith(own_only):
                catalog.delete(message.id)
                changed.append(f"{path.relative_to(ROOT)}: {key!r} removed, no longer in English")
        write(catalog, path)
    return changed


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "compile":
        for domain in DOMAINS:
            for lang in domain.languages():
                compile_catalog(domain.po(lang))
        return 0
    if command == "check":
        found = [line for domain in DOMAINS for lang in domain.languages() for line in problems(domain, lang)]
        print("\n".join(found) or "every catalog is complete")
        return 1 if found else 0
    if command == "update":
        print("\n".join(line for domain in DOMAINS for line in update(domain)) or "every catalog is up to date")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
