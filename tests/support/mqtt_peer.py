"""A raw MQTT 5 client for tests: publish exactly what a test wants and watch replies."""

from __future__ import annotations

import queue
import threading
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion


class Peer:
    def __init__(
        self, port: int, username: str, password: str, *, client_id: str | None = None, ca_file: str | None = None
    ) -> None:
        self.messages: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self.pubacks: dict[int, Any] = {}
        self.subacks: dict[int, list[Any]] = {}
        self._acked = threading.Condition()
        self._connected = threading.Event()
        self.connect_reason: Any = None
        self.disconnects = 0  # times the broker closed this connection (paho then reconnects)
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id or username, protocol=mqtt.MQTTv5)
        client.username_pw_set(username, password)
        if ca_file:
            client.tls_set(ca_certs=ca_file)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = lambda _c, _u, m: self.messages.put(m)
        client.on_publish = self._on_publish
        client.on_subscribe = self._on_subscribe
        self.client = client
        client.connect("127.0.0.1", port)
        client.loop_start()
        if not self._connected.wait(10):
            self.close()
            raise AssertionError("peer did not connect")

    def _on_connect(self, _c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        self.connect_reason = reason
        self._connected.set()

    def _on_disconnect(self, _c: Any, _u: Any, _f: Any, _reason: Any, _p: Any) -> None:
        self.disconnects += 1

    def _on_publish(self, _c: Any, _u: Any, mid: int, reason: Any, _p: Any) -> None:
        with self._acked:
            self.pubacks[mid] = reason
            self._acked.notify_all()

    def _on_subscribe(self, _c: Any, _u: Any, mid: int, reasons: list[Any], _p: Any) -> None:
        with self._acked:
            self.subacks[mid] = reasons
            self._acked.notify_all()

    def publish(self, topic: str, payload: bytes | str, *, retain: bool = False, timeout: float = 5.0) -> Any:
        """Publish at QoS 1 and return the broker's PUBACK reason code."""
        info = self.client.publish(topic, payload, qos=1, retain=retain)
        with self._acked:
            if not self._acked.wait_for(lambda: info.mid in self.pubacks, timeout):
                raise AssertionError(f"no PUBACK for {topic}")
            return self.pubacks.pop(info.mid)

    def subscribe(self, topic: str, timeout: float = 5.0) -> list[Any]:
        _, mid = self.client.subscribe(topic, qos=1)
        with self._acked:
            if not self._acked.wait_for(lambda: mid in self.subacks, timeout):
                raise AssertionError(f"no SUBACK for {topic}")
            return self.subacks.pop(mid)

    def next_message(self, timeout: float = 5.0) -> mqtt.MQTTMessage:
        return self.messages.get(timeout=timeout)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        self.client._reset_sockets()  # paho may leave its wake-up socket pair open after loop_stop
