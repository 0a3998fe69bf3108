"""MQTT topic names of contract version 1 (all QoS 1)."""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

PREFIX = "taqyeem/v1"
QOS = 1

DeviceTopicKind = Literal["ratings", "acks", "status", "config", "invite", "presence"]
DEVICE_TOPIC_KINDS: tuple[DeviceTopicKind, ...] = ("ratings", "acks", "status", "config", "invite", "presence")

_DEVICE_TOPIC = re.compile(
    r"^taqyeem/v1/devices/([a-z0-9][a-z0-9-]{1,62})/(ratings|acks|status|config|invite|presence)$"
)


def device_topic(device_id: str, kind: DeviceTopicKind) -> str:
    return f"{PREFIX}/devices/{device_id}/{kind}"


def ratings(device_id: str) -> str:
    return device_topic(device_id, "ratings")


def acks(device_id: str) -> str:
    return device_topic(device_id, "acks")


def status(device_id: str) -> str:
    return device_topic(device_id, "status")


def config(device_id: str) -> str:
    return device_topic(device_id, "config")


def invite(device_id: str) -> str:
    return device_topic(device_id, "invite")


def presence(device_id: str) -> str:
    """Sign-ins and sign-outs at the desk (1.1), acknowledged like ratings."""
    return device_topic(device_id, "presence")


def alerts(site_id: str) -> str:
    return f"{PREFIX}/sites/{site_id}/alerts"


# Subscriptions of the collector (wildcards over every device).
ALL_RATINGS = f"{PREFIX}/devices/+/ratings"
ALL_STATUS = f"{PREFIX}/devices/+/status"
ALL_PRESENCE = f"{PREFIX}/devices/+/presence"


def shared_subscription(group: str, topic_filter: str) -> str:
    """An MQTT 5 shared subscription, to split the load between collectors."""
    return f"$share/{group}/{topic_filter}"


class DeviceTopic(NamedTuple):
    device_id: str
    kind: str


def parse_device_topic(topic: str) -> DeviceTopic | None:
    """Split ``taqyeem/v1/devices/{id}/{kind}``; None for any other topic."""
    match = _DEVICE_TOPIC.fullmatch(topic)
    if match is None:
        return None
    return DeviceTopic(match.group(1), match.group(2))
