"""From MQTT to SQLite: classify messages (pure), then one writer thread commits them.

paho's thread only enqueues. The writer takes up to ``batch_size`` messages
or waits ``batch_wait_ms``, commits them in one transaction, and only then
sends the MQTT PUBACKs (paho ``manual_ack``) and the contract's Ack to each
device. A crash before the commit leaves the messages with the broker (the
collector's session is persistent), a crash after it leads to a redelivery
that the rating id makes harmless.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from collector.fleet.config_publisher import RetainedConfigPublisher
from collector.settings import CollectorSettings
from collector.store import DeadLetter, Store, StoredBatch, StoreUnavailable
from shared import topics
from shared.clock import format_time, parse_time
from shared.contract import (
    Ack,
    Alert,
    ContractError,
    Rating,
    Rejection,
    Status,
    is_negative,
    parse_message,
    parse_rating,
    rating_id_of,
)
from shared.mqtt_client import make_client

log = logging.getLogger("taqyeem.collector.ingest")


# Broker accounts that are not desks (collector, queue system, bridges) all start with this.
SERVICE_ACCOUNT_PREFIX = "taqyeem-"


@dataclass(frozen=True)
class Incoming:
    topic: str
    payload: bytes
    mid: int
    qos: int
    retain: bool
    received_at: datetime


@dataclass
class Classified:
    ratings: list[Rating] = field(default_factory=list)
    rejected: list[tuple[DeadLetter, str | None]] = field(default_factory=list)  # letter, rating id if any
    statuses: list[tuple[str, Status, bool]] = field(default_factory=list)  # device, status, live
    skews: dict[str, float] = field(default_factory=dict)  # device -> seconds its clock is ahead


def classify(items: list[Incoming], clock_tolerance_s: float = 60.0) -> Classified:
    """Sort a batch into valid ratings, dead letters and statuses (pure)."""
    out = Classified()
    latest = max((item.received_at for item in items), default=datetime.now(UTC))
    future = format_time(latest + timedelta(seconds=clock_tolerance_s))
    for item in items:
        parsed = topics.parse_device_topic(item.topic)
        device_id = parsed.device_id if parsed else None
        if parsed is None or parsed.kind not in ("ratings", "status"):
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
                # Same-format UTC timestamps sort as text: parse only the rare one from the future.
                if rating.created_at > future:
                    ahead = (parse_time(rating.created_at) - item.received_at).total_seconds()
                    out.skews[parsed.device_id] = ahead  # the device clock is off
            else:
                status = parse_message(Status, item.payload)
                live = not item.retain
                out.statuses.append((parsed.device_id, status, live))
                if live and status.at is not None and status.state == "online":
                    out.skews[parsed.device_id] = (parse_time(status.at) - item.received_at).total_seconds()
        except ContractError as exc:
            rating_id = rating_id_of(item.payload) if parsed.kind == "ratings" else None
            out.rejected.append((DeadLetter(item.topic, device_id, item.payload, str(exc)), rating_id))
    return out


ACK_IDS_PER_MESSAGE = 100
ACK_REJECTIONS_PER_MESSAGE = 20
REJECTION_ERROR_CHARS = 200


def acks_for(classified: Classified, stored: StoredBatch) -> dict[str, list[Ack]]:
    """Acks per device naming every stored or duplicate id and every rejection (pure).

    Each Ack stays small (at most 100 ids or 20 rejections with errors cut to 200
    characters, about 10 KB): a single Ack over the broker's packet limit would be
    refused again at every reconnect and cut the collector off for every desk.
    """
    per_device: dict[str, tuple[list[str], list[Rejection]]] = {}
    kept = set(stored.new_rating_ids) | set(stored.duplicate_ids)
    for rating in classified.ratings:
        if rating.id in kept:
            per_device.setdefault(rating.device_id, ([], []))[0].append(rating.id)
    for letter, rating_id in classified.rejected:
        if letter.device_id is not None and letter.topic.endswith("/ratings"):
            error = letter.reason[:REJECTION_ERROR_CHARS]
            per_device.setdefault(letter.device_id, ([], []))[1].append(Rejection(id=rating_id, error=error))
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
        import json

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


def store_batch(
    store: Store,
    ratings: list[Rating],
    dead_letters: list[DeadLetter],
    received_at: str,
    *,
    statuses: Iterable[tuple[str, Status, bool]] = (),
    skews: dict[str, float] | None = None,
) -> StoredBatch:
    """Store a batch in one transaction, opening a review for each new negative rating.

    The devices' configs are read inside the same transaction, so a desk re-provisioned
    meanwhile cannot give a batch half old and half new thresholds.
    """
    with store.transaction():
        configs = store.devices.configs(r.device_id for r in ratings)
        negative_ids = [r.id for r in ratings if is_negative(r.score, configs.get(r.device_id))]
        return store.add_batch(
            ratings, dead_letters, received_at, negative_ids=negative_ids, statuses=statuses, skews=skews
        )


StoredListener = Callable[[StoredBatch], None]


class Ingest:
    """The collector's MQTT client and its writer thread."""

    def __init__(self, settings: CollectorSettings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.listeners: list[StoredListener] = []
        self._queue: queue.Queue[Incoming] = queue.Queue()
        self._stopping = threading.Event()
        self._connected = threading.Event()
        self._writer = threading.Thread(target=self._write_loop, name="ingest-writer", daemon=True)
        self.stats: dict[str, Any] = {"stored": 0, "duplicates": 0, "rejected": 0, "batches": 0, "last_commit_at": None}
        self.callback_errors = 0
        self._closing = False
        address = settings.broker_address()
        self._address = address
        client = make_client(
            address,
            settings.client_id,
            ca_file=settings.ca,
            reconnect_delay_s=(1, 10),
            manual_ack=True,
            max_inflight=200,
        )
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        self.client = client
        # Desks' retained configs go out on this connection while the collector runs (the demo).
        self.config_publisher = RetainedConfigPublisher(client, timeout=5.0)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def start(self) -> None:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = self.settings.session_expiry_s  # the broker keeps ratings while we are down
        props.ReceiveMaximum = min(65535, self.settings.batch_size * 2)
        self.client.connect_async(
            self._address.host, self._address.port, keepalive=30, clean_start=False, properties=props
        )
        self._writer.start()
        self.client.loop_start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the batch in hand, then disconnect (the broker keeps the session)."""
        self._closing = True
        self.client.disconnect()
        self.client.loop_stop()
        self._stopping.set()
        if self._writer.is_alive():
            self._writer.join(timeout)

    @property
    def writing(self) -> bool:
        """The writer thread is alive (health checks: a dead writer means nothing is stored)."""
        return self._writer.is_alive()

    def queue_depth(self) -> int:
        return self._queue.qsize()

    # --- paho thread: translate and hand over, never raise ----------------------

    def _on_connect(self, client: mqtt.Client, _u: Any, flags: Any, reason: Any, _p: Any) -> None:
        try:
            if reason.is_failure:
                log.error(
                    "broker %s refused the collector: %s; check its username and password",
                    self._address.redacted(),
                    reason,
                )
                return
            group = self.settings.shared_group
            for topic_filter in (topics.ALL_RATINGS, topics.ALL_STATUS):
                wanted = topics.shared_subscription(group, topic_filter) if group else topic_filter
                client.subscribe(wanted, qos=1)
            self._connected.set()
            log.info(
                "collector connected to %s (session present: %s)",
                self._address.redacted(),
                getattr(flags, "session_present", None),
            )
        except Exception:
            self.callback_errors += 1
            log.exception("callback failed: on_connect")

    def _on_disconnect(self, _c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        self._connected.clear()
        if not self._closing:
            log.warning("collector lost the broker (%s); reconnecting", reason)

    def _on_message(self, _c: Any, _u: Any, message: mqtt.MQTTMessage) -> None:
        try:
            self._queue.put(
                Incoming(
                    message.topic,
                    bytes(message.payload),
                    message.mid,
                    message.qos,
                    bool(message.retain),
                    datetime.now(UTC),
                )
            )
        except Exception:
            self.callback_errors += 1
            log.exception("callback failed: on_message")

    # --- writer thread -------------------------------------------------------

    def _take_batch(self) -> list[Incoming]:
        try:
            first = self._queue.get(timeout=0.2)
        except queue.Empty:
            return []
        batch = [first]
        deadline = time.monotonic() + self.settings.batch_wait_ms / 1000
        while len(batch) < self.settings.batch_size:
            remaining = deadline - time.monotonic()
            try:
                batch.append(self._queue.get(timeout=max(remaining, 0)) if remaining > 0 else self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _write_loop(self) -> None:
        while not (self._stopping.is_set() and self._queue.empty()):
            batch = self._take_batch()
            if not batch:
                if self._stopping.is_set():
                    break
                continue
            try:
                self._commit_and_ack(batch)
            except Exception:
                log.exception("storing a batch of %d messages failed; storing them one by one", len(batch))
                self._commit_one_by_one(batch)

    def _commit_one_by_one(self, batch: list[Incoming]) -> None:
        """Isolate a message that breaks the writer, so it cannot block everything behind it.

        A message that fails alone is kept as a dead letter with the error. If even that
        fails (the database is unusable), wait and retry: unacked, nothing is lost.
        """
        for item in batch:
            while not self._stopping.is_set():
                try:
                    self._commit_and_ack([item])
                    break
                except StoreUnavailable:
                    # Locked, busy, disk full: the database's trouble, not the message's. Unacked, it waits.
                    log.exception("the database refuses writes; retrying in 1 s (nothing is acked meanwhile)")
                    self._stopping.wait(1.0)
                except Exception as exc:
                    log.exception("message on %s could not be stored", item.topic)
                    parsed = topics.parse_device_topic(item.topic)
                    letter = DeadLetter(
                        item.topic,
                        parsed.device_id if parsed else None,
                        item.payload,
                        f"collector error: {type(exc).__name__}: {exc}"[:500],
                    )
                    try:
                        self.store.ratings.add_dead_letter(letter, format_time(datetime.now(UTC)))
                        self.stats["rejected"] += 1
                        self.client.ack(item.mid, item.qos)
                        break
                    except Exception:
                        log.exception("the database refuses writes; retrying in 1 s (nothing is acked meanwhile)")
                        self._stopping.wait(1.0)

    def _commit_and_ack(self, batch: list[Incoming]) -> None:
        received_at = format_time(datetime.now(UTC))
        classified = classify(batch, self.settings.clock_tolerance_s)
        stored = store_batch(
            self.store,
            classified.ratings,
            [letter for letter, _ in classified.rejected],
            received_at,
            statuses=classified.statuses,
            skews=classified.skews,
        )
        self.stats["stored"] += len(stored.new_rating_ids)
        self.stats["duplicates"] += len(stored.duplicate_ids)
        self.stats["rejected"] += len(classified.rejected)
        self.stats["batches"] += 1
        self.stats["last_commit_at"] = received_at
        try:
            self._after_commit(batch, classified, stored)
        except Exception:
            # Committed already: never store the batch again. A lost PUBACK means a redelivery,
            # a lost Ack a resend; the rating id makes both harmless.
            log.exception("acknowledging a committed batch of %d messages failed", len(batch))

    def _after_commit(self, batch: list[Incoming], classified: Classified, stored: StoredBatch) -> None:
        for item in batch:  # committed: now the broker may forget them
            self.client.ack(item.mid, item.qos)
        for device_id, acks in acks_for(classified, stored).items():
            for ack in acks:
                self.client.publish(topics.acks(device_id), ack.to_json(), qos=1)
        for row in stored.negatives:
            alert = alert_for(row)
            self.client.publish(topics.alerts(alert.site_id or "unassigned"), alert.to_json(), qos=1)
        for listener in self.listeners:
            try:
                listener(stored)
            except Exception:
                log.exception("a stored-ratings listener failed")

