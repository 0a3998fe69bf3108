"""A reason code's label for people: the one source for the kiosk, alerts, pages and the CSV.

A desk's config carries its own reason labels (the kiosk shows those); where a
rating's config is unknown, the contract's defaults apply; an unknown code is
shown as the code itself, so nothing a visitor chose is ever hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shared.contract import DEFAULT_REASONS, ReasonLabel

Reasons = Iterable[ReasonLabel | Mapping[str, Any]] | None  # a desk config's reasons, as models or as stored JSON


def reason_label(code: str, lang: str, reasons: Reasons = None) -> str:
    """The label of ``code`` in ``lang`` ("ar" or "en"): the given reasons first, then the defaults."""
    for source in (reasons or (), DEFAULT_REASONS):
        for reason in source:
            entry = reason if isinstance(reason, Mapping) else reason.model_dump()
            if entry.get("code") == code:
                return str(entry.get("ar" if lang == "ar" else "en") or code)
    return code


def reason_labels(
    codes: Iterable[str], lang: str, reasons: Iterable[ReasonLabel | Mapping[str, Any]] | None = None
) -> list[str]:
    """Labels of several codes, in their order."""
    chosen = list(reasons or ())
    return [reason_label(code, lang, chosen) for code in codes]
