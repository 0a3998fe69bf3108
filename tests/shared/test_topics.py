"""Topic builders and the device-topic parser of contract v1 (shared/topics.py)."""

from __future__ import annotations

import pytest

from shared import topics
from shared.topics import DeviceTopic, parse_device_topic


def test_prefix_and_qos() -> None:
    assert topics.PREFIX == "taqyeem/v1"
    assert topics.QOS == 1


@pytest.mark.parametrize(
    ("builder", "expected"),
    [
        (topics.ratings, "taqyeem/v1/devices/riyadh-hq-d12/ratings"),
        (topics.acks, "taqyeem/v1/devices/riyadh-hq-d12/acks"),
        (topics.status, "taqyeem/v1/devices/riyadh-hq-d12/status"),
        (topics.config, "taqyeem/v1/devices/riyadh-hq-d12/config"),
        (topics.invite, "taqyeem/v1/devices/riyadh-hq-d12/invite"),
    ],
)
def test_device_topic_builders(builder: object, expected: str) -> None:
    assert builder("riyadh-hq-d12") == expected  # type: ignore[operator]


@pytest.mark.parametrize("kind", topics.DEVICE_TOPIC_KINDS)
def test_device_topic_matches_the_named_builders(kind: topics.DeviceTopicKind) -> None:
    assert topics.device_topic("d1", kind) == getattr(topics, kind)("d1")


def test_alerts_topic() -> None:
    assert topics.alerts("riyadh-hq") == "taqyeem/v1/sites/riyadh-hq/alerts"


def test_collector_wildcards() -> None:
    assert topics.ALL_RATINGS == "taqyeem/v1/devices/+/ratings"
    assert topics.ALL_STATUS == "taqyeem/v1/devices/+/status"


def test_shared_subscription() -> None:
    assert topics.shared_subscription("collectors", topics.ALL_RATINGS) == (
        "$share/collectors/taqyeem/v1/devices/+/ratings"
    )


@pytest.mark.parametrize("kind", topics.DEVICE_TOPIC_KINDS)
def test_parse_device_topic_round_trips(kind: topics.DeviceTopicKind) -> None:
    parsed = parse_device_topic(topics.device_topic("riyadh-hq-d12", kind))
    assert parsed == DeviceTopic("riyadh-hq-d12", kind)
    assert parsed is not None
    assert (parsed.device_id, parsed.kind) == ("riyadh-hq-d12", kind)


@pytest.mark.parametrize(
    "topic",
    [
        "taqyeem/v2/devices/riyadh-hq-d12/ratings",  # other version
        "other/v1/devices/riyadh-hq-d12/ratings",  # other prefix
        "/taqyeem/v1/devices/riyadh-hq-d12/ratings",  # leading slash
        "taqyeem/v1/device/riyadh-hq-d12/ratings",
        "taqyeem/v1/sites/riyadh-hq/alerts",  # not a device topic
        "taqyeem/v1/devices/riyadh-hq-d12/alerts",  # unknown kind
        "taqyeem/v1/devices/riyadh-hq-d12/Ratings",
        "taqyeem/v1/devices/riyadh-hq-d12/ratings/",  # trailing level
        "taqyeem/v1/devices/riyadh-hq-d12/ratings/extra",
        "taqyeem/v1/devices/riyadh-hq-d12",
        "",
    ],
)
def test_parse_device_topic_rejects_other_topics(topic: str) -> None:
    assert parse_device_topic(topic) is None


@pytest.mark.parametrize(
    "device_id",
    ["Riyadh", "a", "-riyadh", "riyadh_hq", "riyadh hq", "r" * 64, "", "riyadh.hq", "رياض"],
)
def test_parse_device_topic_rejects_bad_ids(device_id: str) -> None:
    assert parse_device_topic(f"taqyeem/v1/devices/{device_id}/ratings") is None


@pytest.mark.parametrize(
    "topic",
    [
        "taqyeem/v1/devices/+/ratings",
        "taqyeem/v1/devices/#",
        "taqyeem/v1/devices/riyadh-hq-d12/#",
        "taqyeem/v1/devices/riyadh-hq-d12/+",
        "taqyeem/v1/+/riyadh-hq-d12/ratings",
        "$share/collectors/taqyeem/v1/devices/riyadh-hq-d12/ratings",
    ],
)
def test_parse_device_topic_rejects_wildcards_and_filters(topic: str) -> None:
    assert parse_device_topic(topic) is None


def test_parse_device_topic_rejects_a_trailing_newline() -> None:
    assert parse_device_topic("taqyeem/v1/devices/riyadh-hq-d12/ratings\n") is None
