"""A desk's retained DeviceConfig on ``taqyeem/v1/devices/{id}/config``: the one publisher.

``RetainedConfigPublisher`` publishes through a paho client that is already
connected as the collector's account (only that account may write configs):

- the running collector's own client (``Ingest.config_publisher``; the demo uses it);
- a short-lived connection for the IT commands (``provision ...``, ``sites apply``),
  opened by ``connect_config_publisher``, or by ``ConnectOnFirstPublish`` only
  when there is a config to send.

Provisioning and ``sites apply`` take any ``ConfigPublisher`` (tests pass fakes).

Errors: ``ConfigPublishError`` (collector/fleet/errors.py) when the broker could
not be reached or did not take the config.
"""

from __future__ import annotations

import secrets
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Any, Protocol

import paho.mqtt.client as mqtt

from collector.fleet.errors import ConfigPublishError
from shared import topics
from shared.broker_url import BrokerAddress
from shared.contract import DeviceConfig
from shared.mqtt_client import make_client

__all__ = [
    "ConfigPublishError",
    "ConfigPublisher",
    "ConnectOnFirstPublish",
    "RetainedConfigPublisher",
    "connect_config_publisher",
]


class ConfigPublisher(Protocol):
    def publish(self, device_id: str, config: DeviceConfig | None) -> None:
        """Publish a device's retained config; None clears it."""


class RetainedConfigPublisher:
    """Publishes (or, with None, clears) a device's retained config and waits for the broker to take it."""

    def __init__(self, client: mqtt.Client, timeout: float = 10.0) -> None:
        self.client = client
        self.timeout = timeout

    def publish(self, device_id: str, config: DeviceConfig | None) -> None:
        payload = config.to_json() if config is not None else b""
        info = self.client.publish(topics.config(device_id), payload, qos=1, retain=True)
        try:
            info.wait_for_publish(self.timeout)
        except (RuntimeError, ValueError) as exc:
            raise ConfigPublishError(f"publishing the config of {device_id} failed: {exc}") from None
        if not info.is_published():
            raise ConfigPublishError(
                f"the broker did not confirm the config of {device_id} within {self.timeout:.0f} s; try again"
            )


@contextmanager
def connect_config_publisher(
    address: BrokerAddress, ca_file: Path | None = None, timeout: float = 10.0
) -> Iterator[RetainedConfigPublisher]:
    """Connect as the collector's account for a few publishes; disconnect on leaving the block."""
    connected = threading.Event()
    refused: list[str] = []

    def on_connect(_c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            refused.append(str(reason))
        connected.set()

    client = make_client(address, f"taqyeem-provision-{secrets.token_hex(4)}", ca_file=ca_file)
    client.on_connect = on_connect
    try:
        client.connect(address.host, address.port, keepalive=30)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigPublishError(
            f"cannot reach the broker at {address.redacted()}: {exc}; is mosquitto running, and is --broker right?"
        ) from None
    client.loop_start()
    try:
        if not connected.wait(timeout) or refused:
            raise ConfigPublishError(
                f"the broker at {address.redacted()} refused the collector's account "
                f"({refused[0] if refused else 'no answer'}); check --broker and its password file"
            )
        yield RetainedConfigPublisher(client, timeout)
    finally:
        client.disconnect()
        client.loop_stop()


class ConnectOnFirstPublish:
    """A ConfigPublisher that connects only when there is a config to send.

    ``sites apply`` mostly has none (the first apply has no devices yet): then it
    needs neither the broker nor its password.
    """

    def __init__(self, connect: Callable[[], AbstractContextManager[RetainedConfigPublisher]]) -> None:
        self._connect = connect
        self._connection = ExitStack()
        self._publisher: RetainedConfigPublisher | None = None

    @property
    def connected(self) -> bool:
        return self._publisher is not None

    def publish(self, device_id: str, config: DeviceConfig | None) -> None:
        if self._publisher is None:
            self._publisher = self._connection.enter_context(self._connect())
        self._publisher.publish(device_id, config)

    def __enter__(self) -> ConnectOnFirstPublish:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._connection.close()
        self._publisher = None
