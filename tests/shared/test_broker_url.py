"""Broker addresses as the settings and the CLI give them (shared/broker_url.py): parsed, defaulted, redacted."""

from __future__ import annotations

import re

import pytest

from shared.broker_url import BrokerAddress, parse_broker_url


def test_a_full_address_gives_host_port_and_credentials() -> None:
    assert parse_broker_url("mqtt://collector:s3cret@10.20.0.5:1884") == BrokerAddress(
        host="10.20.0.5", port=1884, tls=False, username="collector", password="s3cret"
    )


def test_the_port_defaults_to_1883_in_the_clear_and_8883_over_tls() -> None:
    assert parse_broker_url("mqtt://broker.local").port == 1883
    tls = parse_broker_url("mqtts://broker.local")
    assert (tls.port, tls.tls) == (8883, True)


def test_credentials_are_url_decoded_and_may_be_left_out() -> None:
    address = parse_broker_url("mqtt://desk%2Da1:p%40ss%3Aword@127.0.0.1")
    assert (address.username, address.password) == ("desk-a1", "p@ss:word")
    assert parse_broker_url("mqtt://127.0.0.1").username is None


def test_the_redacted_address_hides_the_password_and_keeps_the_rest() -> None:
    address = parse_broker_url("mqtts://collector:s3cret@broker.riyadh.example")
    assert address.redacted() == "mqtts://collector:***@broker.riyadh.example:8883"
    assert parse_broker_url("mqtt://127.0.0.1:1883").redacted() == "mqtt://127.0.0.1:1883"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://broker.local", "must start with mqtt:// or mqtts://, got 'http'"),
        ("broker.local:1883", "must start with mqtt:// or mqtts://"),
        ("mqtt://", "has no host"),
        ("mqtt://broker.local:port", "port must be a number from 1 to 65535"),
        ("mqtt://broker.local:70000", "port must be a number from 1 to 65535"),
    ],
)
def test_a_broken_address_is_refused_saying_what_is_wrong(url: str, says: str) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        parse_broker_url(url)
