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
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from collector.fleet.config_publisher import RetainedConfigPublisher
from collector.ingest.classify import (
    ACK_IDS_PER_MESSAGE,
    ACKED_KINDS,
    SERVICE_ACCOUNT_PREFIX,
    Classified,
    Incoming,
    acks_for,
    alert_for,
    classify,
    collector_error,
    wrong_clock_ids,
)
from collector.ingest.write_health import WriteHealth
from collector.reviews.ownership import assign_new_reviews
from collector.settings import CollectorSettings
from collector.store import DatabaseGone, DeadLetter, Store, StoredBatch, StoreUnavailable
from shared import topics
from shared.clock import format_time
from shared.contract import DeviceConfig, Presence, Rating, Status, is_negative, rating_id_of
from shared.mqtt_client import make_client

log = logging.getLogger("taqyeem.collector.ingest")
IDLE_PROBE_S = 5.0  # with no messages, a probe commit this often keeps /healthz true

__all__ = [
    "ACK_IDS_PER_MESSAGE",
    "SERVICE_ACCOUNT_PREFIX",
    "Classified",
    "Incoming",
    "Ingest",
    "acks_for",
    "alert_for",
    "classify",
    "store_batch",
]


def store_batch(
    store: Store,
    ratings: list[Rating],
    dead_letters: list[DeadLetter],
    received_at: str,
    *,
    statuses: Iterable[tuple[str, Status, bool]] = (),
    skews: dict[str, float] | None = None,
    payloads: list[bytes] | None = None,
    clock_tolerance_s: float = 60.0,
    presence: list[Presence] | None = None,
    presence_payloads: list[bytes] | None = None,
    rating_places: Mapping[str, tuple[str | None, str | None]] | None = None,
    rating_configs: Mapping[str, DeviceConfig | None] | None = None,
    sources: Sequence[str] | None = None,
) -> StoredBatch:
    """Store a batch in one transaction, opening a review for each new negative rating.

    The devices' configs are read inside the same transaction, so a desk re-provisioned
    meanwhile cannot give a batch half old and half new thresholds. So are their clock
    measures (one query a batch): this batch's own measure wins, being the latest.

    A rating that came through no desk's device (a phone call: ``collector.ingest.contacts``) has
    its (site, desk) in ``rating_places`` and the config whose threshold judges it in
    ``rating_configs``, both by rating id; ``sources[i]`` is where rating i came from.
    """
    own_configs = rating_configs or {}
    with store.transaction():
        device_ids = {r.device_id for r in ratings}
        configs = store.devices.configs(device_ids)
        negative_ids = [
            r.id
            for r in ratings
            if is_negative(r.score, own_configs[r.id] if r.id in own_configs else configs.get(r.device_id))
        ]
        clocks = {**store.devices.clock_skews(device_ids), **(skews or {})}
        batch = store.add_batch(
            ratings,
            dead_letters,
            received_at,
            negative_ids=negative_ids,
            counted_on_receipt=wrong_clock_ids(ratings, received_at, clocks, clock_tolerance_s),
            statuses=statuses,
            skews=skews,
            payloads=payloads,
            presence=presence or [],
            presence_payloads=presence_payloads,
            rating_places=rating_places,
            sources=sources,
        )
        assign_new_reviews(store, batch.negatives, received_at)  # owner and deadline in the same commit
        return batch


StoredListener = Callable[[StoredBatch], None]


class Ingest:
    """The collector's MQTT client and its writer thread."""

    def __init__(self, settings: CollectorSettings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.listeners: list[StoredListener] = []
        self._queue: queue.SimpleQueue[Incoming] = queue.SimpleQueue()  # in C: put and get cost no Python locks
        self._stopping = threading.Event()
        self._connected = threading.Event()
        self._writer = threading.Thread(target=self._write_loop, name="ingest-writer", daemon=True)
        self.stats: dict[str, Any] = {
            "stored": 0,
            "duplicates": 0,
            "conflicts": 0,
            "rejected": 0,
            "batches": 0,
            "last_commit_at": None,
        }
        self.callback_errors = 0
        self.health = WriteHealth()
        self._in_hand = 0  # taken from the queue by the writer, not yet acked
        self._last_write = time.monotonic()
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
        """Messages received and not yet acked: queued, or in the writer's hands."""
        return self._queue.qsize() + self._in_hand

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
            for topic_filter in (topics.ALL_RATINGS, topics.ALL_STATUS, topics.ALL_PRESENCE):
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
        try:
            while not (self._stopping.is_set() and self._queue.empty()):
                batch = self._take_batch()
                if not batch:
                    if self._stopping.is_set():
                        break
                    self._probe_when_idle()
                    continue
                self._in_hand = len(batch)
                try:
                    self._commit_and_ack(batch)
                except DatabaseGone:
                    raise
                except StoreUnavailable as exc:
                    self.health.failing(str(exc))
                    self._commit_one_by_one(batch)
                except Exception:
                    log.exception("storing a batch of %d messages failed; storing them one by one", len(batch))
                    self._commit_one_by_one(batch)
                self._in_hand = 0
        except DatabaseGone as exc:  # nothing more is acked: the broker keeps the rest for the next start
            self.health.stop(str(exc))

    def _probe_when_idle(self) -> None:
        if time.monotonic() - self._last_write < IDLE_PROBE_S:
            return
        self._last_write = time.monotonic()
        self.store.check_file()
        try:
            self.store.probe_write()
        except StoreUnavailable as exc:
            self.health.failing(str(exc))
            return
        self.health.committed()

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
                except DatabaseGone:
                    raise
                except StoreUnavailable as exc:
                    # Locked, busy, disk full, malformed: the database's trouble, not the message's. Unacked, it waits.
                    self.health.failing(str(exc))
                    self._stopping.wait(1.0)
                except Exception as exc:
                    log.exception("message on %s could not be stored", item.topic)
                    if self._reject_alone(item, exc):
                        break
                    self._stopping.wait(1.0)

    def _reject_alone(self, item: Incoming, exc: Exception) -> bool:
        """Keep a message the collector failed on as a dead letter and answer it in its device's Ack.

        A PUBACK alone would leave the device resending the rating forever. False when even
        the dead letter cannot be written (the database is unusable): then nothing is acked.
        """
        parsed = topics.parse_device_topic(item.topic)
        device_id = parsed.device_id if parsed else None
        letter = DeadLetter(item.topic, device_id, item.payload, collector_error(exc))
        message_id = rating_id_of(item.payload) if parsed and parsed.kind in ACKED_KINDS else None
        try:
            self.store.ratings.add_dead_letter(letter, format_time(datetime.now(UTC)))
        except Exception:
            log.exception("the database refuses writes; retrying in 1 s (nothing is acked meanwhile)")
            return False
        self.stats["rejected"] += 1
        self.store.check_file()  # a dead letter in a deleted file is not kept: no Ack for it
        try:
            self._after_commit([item], Classified(rejected=[(letter, message_id)]), StoredBatch([], [], []))
        except Exception:
            log.exception("answering a rejected message on %s failed; its resend will be answered", item.topic)
        return True

    def _commit_and_ack(self, batch: list[Incoming]) -> None:
        self.store.check_file()  # one os.stat a batch: a file deleted, moved or replaced is never acked for
        received_at = format_time(datetime.now(UTC))
        classified = classify(batch, self.settings.clock_tolerance_s)
        stored = store_batch(
            self.store,
            classified.ratings,
            [letter for letter, _ in classified.rejected],
            received_at,
            statuses=classified.statuses,
            skews=classified.skews,
            payloads=classified.payloads,
            clock_tolerance_s=self.settings.clock_tolerance_s,
            presence=classified.presence,
            presence_payloads=classified.presence_payloads,
        )
        self.store.check_file()  # committed to the file still at the path, or not acked at all
        self._last_write = time.monotonic()
        self.health.committed()
        self.stats["stored"] += len(stored.new_rating_ids)
        self.stats["conflicts"] += len(stored.conflict_ids)
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
        self.announce(stored)

    def announce(self, stored: StoredBatch) -> None:
        """After a commit: an MQTT Alert per new negative, then each listener (the alert dispatcher).

        Also called for a rating stored through the API (collector.ingest.contacts), from its request's thread:
        paho's publish is thread-safe, and the listeners only enqueue.
        """
        for row in stored.negatives:
            alert = alert_for(row)
            self.client.publish(topics.alerts(alert.site_id or "unassigned"), alert.to_json(), qos=1)
        for listener in self.listeners:
            try:
                listener(stored)
            except Exception:
                log.exception("a stored-ratings listener failed")
