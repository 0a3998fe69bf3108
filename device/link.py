"""The device's MQTT 5 link: sends the outbox, applies Acks, receives config and invites.

paho runs its network loop on its own thread and keeps its session in memory
only, so the outbox, not paho, is the source of truth: every rating and
Presence still in the outbox is (re)sent after a connect, and again after
``resend_after_s`` without an Ack. Callbacks never raise (an exception would silently kill
paho's thread); they log and carry on.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from device.outbox import Outbox
from shared import topics
from shared.broker_url import BrokerAddress
from shared.contract import Ack, ContractError, DeviceConfig, Invite, Presence, Rating, Status, parse_message
from shared.mqtt_client import Will, make_client

log = logging.getLogger("taqyeem.device.link")

F = TypeVar("F", bound=Callable[..., Any])

# While the collector is down, each desk resends its outbox less and less often (up to
# every 10 minutes), so a hundred desks do not flood the broker's queue with copies.
MAX_RESEND_WAIT_S = 600.0

OFFLINE_WILL = Status(state="offline").model_dump_json(exclude_none=True)


def guarded(callback: F) -> F:
    """Log, never raise, from a paho callback: a raise kills paho's network thread."""

    @functools.wraps(callback)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except Exception:
            log.exception("callback failed: %s", callback.__name__)
            return None

    return wrapper  # type: ignore[return-value]


class DeviceLink:
    def __init__(
        self,
        *,
        address: BrokerAddress,
        device_id: str,
        outbox: Outbox,
        status: Callable[[], Status],
        on_config: Callable[[DeviceConfig], None],
        on_invite: Callable[[Invite], None],
        on_connection: Callable[[bool], None],
        ca_file: str | None = None,
        resend_after_s: float = 30.0,
        max_in_flight: int = 200,
        status_every_s: float = 30.0,
    ) -> None:
        self.device_id = device_id
        self._address = address
        self._outbox = outbox
        self._status = status
        self._on_config = on_config
        self._on_invite = on_invite
        self._on_connection = on_connection
        self._resend_after_s = resend_after_s
        self._max_in_flight = max_in_flight
        self._status_every_s = status_every_s
        self._resend_wait_s = resend_after_s  # doubles while no Ack comes, back to resend_after_s on one
        self._connected = threading.Event()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._in_flight: dict[str, float] = {}  # rating or Presence id -> monotonic time sent
        self._mids: dict[int, tuple[str, str]] = {}  # mid -> (topic, message id)
        self._lock = threading.Lock()
        self._sender = threading.Thread(target=self._send_loop, name=f"outbox-{device_id}", daemon=True)
        self.refused = 0  # publishes the broker refused (PUBACK >= 0x80)

        client = make_client(
            replace(address, username=device_id),  # a device signs in as its own id: the ACL's %u
            device_id,
            ca_file=ca_file,
            will=Will(topics.status(device_id), OFFLINE_WILL, qos=1, retain=True),
            reconnect_delay_s=(1, 15),
        )
        client.on_connect = self._handle_connect
        client.on_disconnect = self._handle_disconnect
        client.on_message = self._handle_message
        client.on_publish = self._handle_publish
        self._client = client

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def start(self) -> None:
        self._client.connect_async(self._address.host, self._address.port, keepalive=30)
        self._client.loop_start()
        self._sender.start()

    def wake(self) -> None:
        """A new rating is in the outbox: send it now rather than at the next tick."""
        self._wake.set()

    def publish_status(self) -> mqtt.MQTTMessageInfo | None:
        """Publish the retained status now; the message's info (to wait on), or None when offline."""
        if not self.connected:
            return None
        payload = self._status().model_dump_json(exclude_none=True)
        return self._client.publish(topics.status(self.device_id), payload, qos=1, retain=True)

    def stop(self, timeout: float = 5.0) -> None:
        """Clean exit: a retained 'stopped' status, then disconnect (no last will)."""
        self._stopping.set()
        self._wake.set()
        if self._sender.is_alive():
            self._sender.join(timeout)
        if self.connected:
            stopped = self._status().model_copy(update={"state": "stopped"})
            info = self._client.publish(
                topics.status(self.device_id), stopped.model_dump_json(exclude_none=True), qos=1, retain=True
            )
            with contextlib.suppress(RuntimeError, ValueError):  # not sent in time: the will says offline
                info.wait_for_publish(timeout)
        self._client.disconnect()
        self._client.loop_stop()

    # --- paho thread -------------------------------------------------------

    @guarded
    def _handle_connect(self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if reason.is_failure:
            log.error(
                "broker %s refused device %s: %s; check the device's password and the broker's password file",
                self._address.redacted(),
                self.device_id,
                reason,
            )
            return
        for kind in ("acks", "config", "invite"):
            client.subscribe(topics.device_topic(self.device_id, kind), qos=1)
        with self._lock:
            self._in_flight.clear()  # everything still in the outbox goes again
            self._mids.clear()
        self._connected.set()
        self.publish_status()
        self._on_connection(True)
        self._wake.set()

    @guarded
    def _handle_disconnect(self, _client: Any, _userdata: Any, _flags: Any, reason: Any, _props: Any) -> None:
        was_connected = self._connected.is_set()
        self._connected.clear()
        if was_connected and not self._stopping.is_set():
            log.warning("device %s lost the broker (%s); ratings stay in the outbox", self.device_id, reason)
            self._on_connection(False)

    @guarded
    def _handle_publish(self, _client: Any, _userdata: Any, mid: int, reason: Any, _props: Any) -> None:
        with self._lock:
            sent = self._mids.pop(mid, None)
        if sent is not None and getattr(reason, "is_failure", False):
            topic, message_id = sent
            self.refused += 1
            log.error(
                "broker refused message %s from %s on %s (%s); it stays in the outbox. Check the ACL: "
                "the device may publish only to its own topics, taqyeem/v1/devices/%s/...",
                message_id,
                self.device_id,
                topic,
                reason,
                self.device_id,
            )

    @guarded
    def _handle_message(self, _client: Any, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        kind = message.topic.rsplit("/", 1)[-1]
        try:
            if kind == "acks":
                self._apply_ack(parse_message(Ack, bytes(message.payload)))
            elif kind == "config":
                self._on_config(parse_message(DeviceConfig, bytes(message.payload)))
            elif kind == "invite":
                self._on_invite(parse_message(Invite, bytes(message.payload)))
        except ContractError as exc:
            log.error("ignored a bad %s message on %s: %s", kind, message.topic, exc)

    def _apply_ack(self, ack: Ack) -> None:
        self._outbox.remove(ack.ids)
        for rejection in ack.rejected:
            if rejection.id is not None:
                self._outbox.reject(rejection.id, rejection.error)
                log.error("collector rejected message %s: %s", rejection.id, rejection.error)
        with self._lock:
            self._resend_wait_s = self._resend_after_s
            for message_id in ack.ids:
                self._in_flight.pop(message_id, None)
            for rejection in ack.rejected:
                if rejection.id is not None:
                    self._in_flight.pop(rejection.id, None)
        self._wake.set()

    # --- sender thread -----------------------------------------------------

    def _send_loop(self) -> None:
        last_status = time.monotonic()
        while not self._stopping.is_set():
            self._wake.wait(timeout=0.5)
            self._wake.clear()
            if self._stopping.is_set():
                break
            if not self.connected:
                continue
            try:
                self._send_pending()
                if time.monotonic() - last_status >= self._status_every_s:
                    self.publish_status()
                    last_status = time.monotonic()
            except Exception:
                log.exception("sending the outbox failed; will retry")

    def _send_pending(self) -> None:
        now = time.monotonic()
        with self._lock:
            expired = [i for i, sent in self._in_flight.items() if now - sent > self._resend_wait_s]
            for rating_id in expired:
                del self._in_flight[rating_id]
            if expired:  # no Ack in time: wait longer before the next resend (a collector may be down)
                self._resend_wait_s = min(self._resend_wait_s * 2, MAX_RESEND_WAIT_S)
            in_flight = set(self._in_flight)
        room = self._max_in_flight - len(in_flight)
        if room <= 0:
            return
        # Sign-ins first: few, and the collector needs them to say who served at a rating.
        waiting: list[tuple[str, Presence | Rating]] = [
            (topics.presence(self.device_id), p) for p in self._outbox.pending_presence(limit=room + len(in_flight))
        ]
        waiting += [(topics.ratings(self.device_id), r) for r in self._outbox.pending(limit=room + len(in_flight))]
        for topic, message in waiting:
            if message.id in in_flight:
                continue
            if not self.connected or room <= 0:
                break
            props = Properties(PacketTypes.PUBLISH)
            props.ContentType = "application/json"
            info = self._client.publish(topic, message.to_json(), qos=1, properties=props)
            with self._lock:
                self._in_flight[message.id] = now
                self._mids[info.mid] = (topic, message.id)
            room -= 1
