"""The records a batch travels in, from the rules to the store and back (pure: no store, no SQL).

``classify`` (MQTT) and ``contacts`` (a phone system's HTTP call) each make a
``Batch``; ``collector.ingest.batch.store_batch`` fills in what the rules decided
of it (which ratings are negative, which count on the day they arrived, which
are new, duplicates or conflicts, which run of seq each new one is in) and hands
it to ``Store.add_batch``, which records it and answers a ``StoredBatch``. A
message that breaks the contract travels as a ``DeadLetter``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from collector.ingest.conflicts import Copies
from collector.ingest.seq_resets import SeqReset
from shared.contract import DeviceConfig, Presence, Rating, Status

Place = tuple[str | None, str | None]  # (site, desk)


@dataclass(frozen=True)
class DeadLetter:
    """A message kept whole with the reason it was not stored (topic, or the route it came through)."""

    topic: str
    device_id: str | None
    payload: bytes
    reason: str


@dataclass(frozen=True)
class Batch:
    """What one transaction stores: the messages of a batch and what the rules decided of them.

    ``payloads[i]`` is rating i as received (kept whole with a conflict), ``statuses``
    are (device, status, live), ``skews`` each device's clock measured in this batch
    (seconds ahead). A rating that came through no desk's device (a phone call) has its
    (site, desk) in ``rating_places`` and the config whose threshold judges it in
    ``rating_configs``, by rating id; ``sources[i]`` is where rating i came from (default:
    its device's MQTT topic).

    The rest are the rules' decisions, empty until ``collector.ingest.batch`` makes them;
    the store records them as handed: ``negative_ids`` (``shared.contract.is_negative``),
    ``counted_on_receipt`` (``collector.ingest.clock_skew.wrong_clock_ids``), the ratings and
    Presence sorted against the copies stored (``collector.ingest.conflicts``: ``copies``,
    ``presence_copies``, None until sorted), and each new rating's run of seq with the resets
    among them (``collector.ingest.seq_resets``: ``runs[i]`` is ``copies.new[i]``'s run).
    """

    ratings: Sequence[Rating] = ()
    dead_letters: Sequence[DeadLetter] = ()
    payloads: Sequence[bytes] | None = None
    statuses: Sequence[tuple[str, Status, bool]] = ()
    skews: Mapping[str, float] = field(default_factory=dict)
    presence: Sequence[Presence] = ()
    presence_payloads: Sequence[bytes] | None = None
    rating_places: Mapping[str, Place] = field(default_factory=dict)
    rating_configs: Mapping[str, DeviceConfig | None] = field(default_factory=dict)
    sources: Sequence[str] | None = None
    negative_ids: Collection[str] = frozenset()
    counted_on_receipt: Collection[str] = frozenset()
    copies: Copies[Rating] | None = None
    presence_copies: Copies[Presence] | None = None
    runs: Sequence[int] = ()
    resets: Sequence[SeqReset] = ()


@dataclass(frozen=True)
class StoredBatch:
    """What the store did with a batch: each device's Ack and the listeners (alerts, the live feed) read it."""

    new_rating_ids: list[str]
    duplicate_ids: list[str]
    negatives: list[dict[str, Any]]  # newly stored negative ratings (their reviews were opened)
    conflict_ids: list[str] = field(default_factory=list)  # duplicates whose content differed (kept as dead letters)
    presence_ids: list[str] = field(default_factory=list)  # Presence stored now or before: each is acked
    refused: dict[str, str] = field(default_factory=dict)  # rating id -> why it was rejected after classifying
