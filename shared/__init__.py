"""The Taqyeem wire contract as code: message models, topics and names.

This package does no I/O. ``docs/protocol.md`` is its user-facing form and
``tests/shared/test_protocol_docs.py`` keeps the two in agreement.
"""

from shared.contract import (
    PROTOCOL_VERSION,
    Ack,
    Alert,
    ContractError,
    DeviceConfig,
    Invite,
    Rating,
    ReasonLabel,
    Rejection,
    Status,
    parse_message,
)

__all__ = [
    "PROTOCOL_VERSION",
    "Ack",
    "Alert",
    "ContractError",
    "DeviceConfig",
    "Invite",
    "Rating",
    "ReasonLabel",
    "Rejection",
    "Status",
    "parse_message",
]
