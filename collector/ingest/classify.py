"""The pure core of ingest: sort a batch into ratings, Presence, dead letters and statuses, and answer it.

No I/O here: ``collector.ingest.subscriber`` feeds these functions what paho received,
stores the ``Classified.batch`` (``collector.ingest.batch.store_batch``) and sends what they return.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from collector.ingest.batch_records import Batch, DeadLetter, StoredBatch
from shared import topics
from shared.clock import format_time, parse_time
from shared.contract import (
    Ack,
    Alert,
    ContractError,
    Presence,
    Rating,
    Rejection,
    Status,
    parse_message,
    parse_presence,
    parse_rating,
    rating_id_of,
)

# Device topics whose messages carry an id the collector answers in the device's Ack.
ACKED_KINDS = ("ratings", "presence")
# Broker accounts that are not desks (collector, queue system, bridges) all start with this.
SERVICE_ACCOUNT_PREFIX = "taqyeem-"


class Incoming(NamedTuple):  # made for every message on paho's thread: a tuple is made 3 times faster
    topic: str
    payload: bytes
    mid: int
    qos: int
    retain: bool
    received_at: datetime


@dataclass
class Classified:
    ratings: list[Rating] = field(default_factory=list)
    payloads: list[bytes] = field(default_factory=list)  # each rating as received, to keep a conflict whole
    rejected: list[tuple[DeadLetter, str | None]] = field(default_factory=list)  # letter, message id if any
    statuses: list[tuple[str, Status, bool]] = field(default_factory=list)  # device, status, live
    skews: dict[str, float] = field(default_factory=dict)  # device -> seconds its clock is ahead
    presence: list[Presence] = field(default_factory=list)  # sign-ins and sign-outs (1.1)
    presence_payloads: list[bytes] = field(default_factory=list)  # each as received, to keep a conflict whole

    @property
    def batch(self) -> Batch:
        """What the writer stores of it, in one transaction: every message but the message ids of rejections."""
        return Batch(
            ratings=self.ratings,
            dead_letters=[letter for letter, _ in self.rejected],
            payloads=self.payloads,
            statuses=self.statuses,
            skews=self.skews,
            presence=self.presence,
            presence_payloads=self.presence_payloads,
        )


def classify(items: list[Incoming], clock_tolerance_s: float = 60.0) -> Classified:
    """Sort a batch into valid ratings, Presence, dead letters and statuses (pure)."""
    out = Classified()
    latest = max((item.received_at for item in items), default=datetime.now(UTC))
    earliest = min((item.received_at for item in items), default=latest)
    future = format_time(latest + timedelta(seconds=clock_tolerance_s))
    past = format_time(earliest - timedelta(seconds=clock_tolerance_s))
    # Per device, the last word on its clock in this batch: seconds ahead, or an on-time rating
    # (created_at, received_at) parsed once at the end, so the shown skew is always the latest.
    clock: dict[str, float | tuple[str, datetime]] = {}
    parsed_topics: dict[str, topics.DeviceTopic | None] = {}  # a batch holds few topics, each many times
    for item in items:
        if item.topic in parsed_topics:
            parsed = parsed_topics[item.topic]
        else:
            parsed = parsed_topics[item.topic] = topics.parse_device_topic(item.topic)
        device_id = parsed.device_id if parsed else None
        if parsed is None or parsed.kind not in ("ratings", "status", "presence"):
            out.rejected.append((DeadLetter(item.topic, device_id, item.payload, "unexpected topic"), None))
            continue
        if parsed.device_id.startswith(SERVICE_ACCOUNT_PREFIX):
            # The %u ACL lets every account write its "own" device topics, service accounts too.
            reason = f"{parsed.device_id} is a service account ({SERVICE_ACCOUNT_PREFIX}...), not a desk device"
            out.rejected.append((DeadLetter(item.topic, device_id, item.payload, reason), rating_id_of(item.payload)))
            continue
        try:
            if parsed.kind == "ratings":
                rating = parse_rating(parsed.device_id, item.payload)
                out.ratings.append(rating)
                out.payloads.append(item.payload)
                # Same-format UTC timestamps sort as text: parse only the rare one from the future.
                if rating.created_at > future:
                    clock[parsed.device_id] = (parse_time(rating.created_at) - item.received_at).total_seconds()
                elif rating.created_at >= past:
                    clock[parsed.device_id] = (rating.created_at, item.received_at)
                # An older created_at is a resend or a clock behind: it cannot tell which, so it
                # says nothing; the device's live Status (its own "now") flags a clock behind.
            elif parsed.kind == "presence":
                out.presence.append(parse_presence(parsed.device_id, item.payload))
                out.presence_payloads.append(item.payload)
            else:
                status = parse_message(Status, item.payload)
                live = not item.retain
                out.statuses.append((parsed.device_id, status, live))
                if live and status.at is not None and status.state == "online":
                    clock[parsed.device_id] = (parse_time(status.at) - item.received_at).total_seconds()
        except Exception as exc:  # whatever breaks on one message is answered, never raised
            reason = str(exc) if isinstance(exc, ContractError) else collector_error(exc)
            message_id = rating_id_of(item.payload) if parsed.kind in ACKED_KINDS else None
            out.rejected.append((DeadLetter(item.topic, device_id, item.payload, reason), message_id))
    for device, word in clock.items():
        out.skews[device] = word if isinstance(word, float) else (parse_time(word[0]) - word[1]).total_seconds()
    return out


def collector_error(exc: BaseException) -> str:
    """The reason kept and sent for a message the collector itself failed on."""
    return f"collector error: {type(exc).__name__}: {exc}"[:500]


ACK_IDS_PER_MESSAGE = 100
ACK_REJECTIONS_PER_MESSAGE = 20
REJECTION_ERROR_CHARS = 200


def acks_for(classified: Classified, stored: StoredBatch) -> dict[str, list[Ack]]:
    """Acks per device naming every stored or duplicate id (ratings and Presence) and every rejection (pure).

    Each Ack stays small (at most 100 ids or 20 rejections with errors cut to 200
    characters, about 10 KB): a single Ack over the broker's packet limit would be
    refused again at every reconnect and cut the collector off for every desk.
    """
    per_device: dict[str, tuple[list[str], list[Rejection]]] = {}
    kept = set(stored.new_rating_ids) | set(stored.duplicate_ids) | set(stored.presence_ids)
    messages: list[Rating | Presence] = [*classified.ratings, *classified.presence]
    for message in messages:
        if message.id in kept:
            per_device.setdefault(message.device_id, ([], []))[0].append(message.id)
    for rating in classified.ratings:  # rejected after classifying (a callback number on a positive rating)
        if rating.id in stored.refused:
            error = stored.refused[rating.id][:REJECTION_ERROR_CHARS]
            per_device.setdefault(rating.device_id, ([], []))[1].append(Rejection(id=rating.id, error=error))
    for letter, message_id in classified.rejected:
        if letter.device_id is not None and letter.topic.rsplit("/", 1)[-1] in ACKED_KINDS:
            error = letter.reason[:REJECTION_ERROR_CHARS]
            per_device.setdefault(letter.device_id, ([], []))[1].append(Rejection(id=message_id, error=error))
    result: dict[str, list[Ack]] = {}
    for device, (ids, rejected) in per_device.items():
        unique = list(dict.fromkeys(ids))
        id_chunks = [unique[i : i + ACK_IDS_PER_MESSAGE] for i in range(0, len(unique), ACK_IDS_PER_MESSAGE)]
        rejection_chunks = [
            rejected[i : i + ACK_REJECTIONS_PER_MESSAGE] for i in range(0, len(rejected), ACK_REJECTIONS_PER_MESSAGE)
        ]
        acks = [Ack(ids=chunk) for chunk in id_chunks] or [Ack()]
        if rejection_chunks:  # the last ids share a message with the first rejections
            acks[-1] = Ack(ids=acks[-1].ids, rejected=rejection_chunks[0])
            acks += [Ack(rejected=chunk) for chunk in rejection_chunks[1:]]
        result[device] = acks
    return result


def alert_for(row: dict[str, Any]) -> Alert:
    reasons = row["reasons"]
    if isinstance(reasons, str):
        reasons = json.loads(reasons)
    return Alert(
        rating_id=row["id"],
        site_id=row.get("site_id"),
        desk_id=row.get("desk_id"),
        employee_id=row.get("employee_id"),
        score=row["score"],
        reasons=reasons,
        created_at=row["created_at"],
    )
