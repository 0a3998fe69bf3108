"""Contract timestamps and time-ordered ids (pure functions, no I/O)."""

from __future__ import annotations

import os
import re
import time
import uuid
from datetime import UTC, datetime

_RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z`` and millisecond precision."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now_text() -> str:
    return format_time(datetime.now(UTC))


def parse_time(text: str) -> datetime:
    """Parse a contract timestamp; ValueError says what is wrong."""
    if not isinstance(text, str) or not _RFC3339_UTC.fullmatch(text):
        raise ValueError("must be RFC 3339 UTC ending in Z, like 2026-11-28T09:15:02.123Z")
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


def uuid7(unix_ms: int | None = None) -> uuid.UUID:
    """A version 7 UUID (RFC 9562): 48-bit milliseconds then 74 random bits.

    Time-ordered keys keep the collector's primary-key index append-only.
    """
    if unix_ms is None:
        unix_ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    rand_a = rand >> 68  # 12 bits
    rand_b = rand & ((1 << 62) - 1)  # 62 bits
    value = (unix_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)
