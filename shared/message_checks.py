"""Checks on raw messages and their validation errors, shared by every parser of both sides."""

from __future__ import annotations

import re

from pydantic import ValidationError

MAX_NESTING = 32  # no message nests more than a few levels; deeper is refused before json.loads recurses
MAX_SEQ = 2**63 - 1  # SQLite's largest INTEGER: a larger seq could not be stored, so it is refused here

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def describe_validation_error(error: ValidationError) -> str:
    """One line per broken rule: ``score: must be 1..5``."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        if not where:  # a rule about the whole message or settings: its text names the keys
            parts.append(message)
            continue
        if item["type"] in ("greater_than_equal", "less_than_equal") and where == "score":
            message = "must be 1..5"
        elif item["type"] in ("greater_than_equal", "less_than_equal") and where == "seq":
            message = f"must be 1..{MAX_SEQ} (2^63-1)"
        elif item["type"] == "extra_forbidden":
            message = "unknown key; check its spelling or remove it"
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def nested_too_deeply(raw: bytes) -> bool:
    """Whether brackets outside strings nest deeper than MAX_NESTING.

    Checked without recursion: json.loads on a deep payload nears the interpreter's recursion
    limit, and a finaliser the garbage collector runs down there fails in turn (seen in CI).
    """
    if raw.count(b"[") + raw.count(b"{") <= MAX_NESTING:
        return False
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub(b"", raw)):
        depth += 1 if bracket[0] in b"[{" else -1
        if depth > MAX_NESTING:
            return True
    return False
