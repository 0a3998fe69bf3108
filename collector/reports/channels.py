"""Where a desk would be named, a rating that came through no desk names its channel (issue 19).

A phone call (``call``) or a rating link (``link``) has no desk, or one only as the
place the call was taken; the Today feed, the by-desk and by-section tables and their
exports say "Phone call" or "Rating link" there, with the desk's name after it when one
is known, never a bare "—" or an empty cell. Pure: names in, a label out.
"""

from __future__ import annotations

CHANNEL_LABELS: dict[str, tuple[str, str]] = {  # channel: (Arabic, English)
    "desk": ("جهاز المكتب", "At the desk"),
    "call": ("مكالمة هاتفية", "Phone call"),
    "link": ("رابط التقييم", "Rating link"),
}


def channel_label(channel: str, lang: str) -> str:
    """The channel's name in ``lang`` (a channel no contract names: as given)."""
    pair = CHANNEL_LABELS.get(channel)
    return channel if pair is None else pair[0 if lang == "ar" else 1]


def place_label(place: str | None, channel: str | None, lang: str) -> str | None:
    """A desk's (or section's) name where a rating was given; for a call or a link, the channel's name,
    then the place's when one is known ("Phone call · Desk 12"); None for a desk rating of no known place."""
    if channel in (None, "desk"):
        return place or None
    label = channel_label(channel, lang)
    return f"{label} · {place}" if place else label
