"""A page's HTML as a small tree (stdlib html.parser), so tests compare cells and ids, never substrings.

A page holds random tokens (a CSRF token, a link's token), so "E3" not in html can fail by
chance; asking which employee ids the table's rows carry, or what a cell says, cannot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

WORD = re.compile(r"[\w-]+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        """The element's visible text, its whitespace collapsed (scripts and styles left out)."""
        return " ".join(self._texts().split())

    def _texts(self) -> str:
        if self.tag in ("script", "style", "template"):
            return ""
        return "".join(c if isinstance(c, str) else " " + c._texts() + " " for c in self.children)

    def words(self) -> set[str]:
        """Every word (letters, digits, ``-`` and ``_``) of the visible text and of the attribute values.

        A random token is one word, so it matches an id only by being equal to it: asking whether
        "E3" is among the words cannot fail by chance the way "E3" in html can.
        """
        found: set[str] = set()
        for element in self.iter():
            if element.tag in ("script", "style"):
                continue
            for value in element.attrs.values():
                found.update(WORD.findall(value))
            for child in element.children:
                if isinstance(child, str):
                    found.update(WORD.findall(child))
        return found

    def iter(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str | None) -> list[Element]:
        """The elements with that tag (any when None) whose attributes have those values (None: present)."""
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and all(k in e.attrs and (v is None or e.attrs[k] == v) for k, v in wanted.items())
        ]

    def find(self, tag: str | None = None, **attrs: str | None) -> Element:
        """The first such element; AssertionError naming what was looked for when there is none."""
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag or '*'}> with {attrs}"
        return found[0]

    def by_id(self, element_id: str) -> Element:
        return self.find(None, id=element_id)

    def rows(self) -> list[list[str]]:
        """The texts of the cells (th or td) of each row of this table, body rows only when it has a tbody."""
        bodies = self.find_all("tbody")
        rows = [r for b in bodies for r in b.find_all("tr")] if bodies else self.find_all("tr")
        return [[c.text() for c in r.children if isinstance(c, Element) and c.tag in ("td", "th")] for r in rows]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):  # close up to the matching open tag (HTML forgives)
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """The document as a tree of elements."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
