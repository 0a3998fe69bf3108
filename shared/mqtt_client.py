"""One way to set up a paho client for Taqyeem, used by the collector, the device and the tools.

``make_client`` returns a paho client configured the way the contract needs:
MQTT 5, the account's credentials, TLS checked against a CA file when the
address is ``mqtts://``, bounded reconnect delays and, if given, a last will.
It opens no connection and starts no thread: the caller sets its callbacks,
then connects (``connect`` or ``connect_async``) and runs the loop. It lives
in ``shared/`` because the device may not import the collector; paho's
``tls_set`` reads the CA file, the only I/O done here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from shared.broker_url import BrokerAddress


@dataclass(frozen=True)
class Will:
    """The message the broker publishes for a client that vanishes without a clean disconnect."""

    topic: str
    payload: str | bytes
    qos: int = 1
    retain: bool = True


def make_client(
    address: BrokerAddress,
    client_id: str,
    *,
    ca_file: str | Path | None = None,
    will: Will | None = None,
    reconnect_delay_s: tuple[int, int] = (1, 10),
    manual_ack: bool = False,
    max_inflight: int | None = None,
) -> mqtt.Client:
    """A configured, unconnected MQTT 5 client for ``address`` (no connection is opened).

    ``ca_file`` is used only for an ``mqtts://`` address (None: the system's CAs).
    ``reconnect_delay_s`` is paho's (min, max) back-off between reconnect attempts.
    ``manual_ack`` leaves PUBACKs to the caller (the collector acks after its commit).
    """
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=manual_ack)
    if address.username:
        client.username_pw_set(address.username, address.password)
    if address.tls:
        client.tls_set(ca_certs=str(ca_file) if ca_file else None)
    if will is not None:
        client.will_set(will.topic, will.payload, qos=will.qos, retain=will.retain)
    client.reconnect_delay_set(*reconnect_delay_s)
    if max_inflight is not None:
        client.max_inflight_messages_set(max_inflight)
    return client
