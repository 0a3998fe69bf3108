"""Ratings given through no desk tablet: a phone system's calls, posted to the API (contract 1.1).

The body of ``POST /api/v1/ratings`` is the contract's Rating without ``device_id``
and ``seq``, with the ``site_id`` (and ``desk_id`` when known) the call was for.
It is checked by the contract's own rules (``shared.contract.parse_message``), so
a broken rating is refused in the words an Ack would use for it over MQTT.

Then it takes the MQTT rating's path (``collector.ingest.batch.store_batch``): stored
once by id, a conflict kept as a dead letter, a review opened for a negative
(``shared.contract.is_negative``), counted in the rollups, and announced by the
caller to the same alert path as a batch from ingest.

The two columns a desk's device fills are filled here, apart from every desk:

- ``device_id`` is ``taqyeem-api-<token name>`` (``integration_device``). The
  ``taqyeem-`` prefix is the broker's service accounts', whose ratings ingest never
  takes (``collector.ingest.classify.SERVICE_ACCOUNT_PREFIX``): no desk can hold that id,
  so no desk's seq runs, gaps or resets ever mix with an integration's. It gets
  no row on the devices page.
- ``seq`` counts that device id's ratings, taken in the storing transaction
  (``Ratings.contact_seq``): 1, 2, 3... with no gaps. A rating id sent again keeps
  the seq it was stored with, so a resend is a duplicate, never a conflict.

An ``employee_id`` an integration gives must be an active employee of one of its
token's sites (PROTOCOL 1.2, ``check_integration_employee``), for ratings and
visits alike: else 422 naming the field, the same answer for an employee of another
site as for an id nobody holds.

The threshold that judges a call is its desk's (``desk_id`` given: the sites file's
config of that desk, else a device's at it), else the site's when all its desks
agree, else the contract's default (``judging_config``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch, StoredBatch
from collector.ingest.classify import SERVICE_ACCOUNT_PREFIX
from collector.store import Store
from shared.contract import (
    MAX_PAYLOAD_BYTES,
    NAME_PATTERN,
    ContractError,
    DeviceConfig,
    Rating,
    nested_too_deeply,
    parse_message,
)

INTEGRATION_DEVICE_PREFIX = SERVICE_ACCOUNT_PREFIX + "api-"
HTTP_SOURCE = "POST /api/v1/ratings"  # the "topic" of a conflict kept from this route
SET_BY_THE_COLLECTOR = ("device_id", "seq")
PLACE_KEYS = ("site_id", "desk_id")


def integration_device(token_name: str) -> str:
    """The device id an integration's ratings are stored under: ``taqyeem-api-ivr`` for the token ``ivr``."""
    return INTEGRATION_DEVICE_PREFIX + token_name


def decode_body(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or ContractError in the words an Ack gives for the same bytes (pure)."""
    data: Any = None
    if len(raw) <= MAX_PAYLOAD_BYTES and not nested_too_deeply(raw):
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):  # not UTF-8 (a ValueError too), not JSON
            data = None
    if not isinstance(data, dict):
        parse_message(Rating, raw)  # raises with the contract's own reason for these bytes
        raise ContractError("payload must be a JSON object")
    return data


def place_of(data: dict[str, Any]) -> tuple[str, str | None]:
    """The (site, desk) a posted rating names; ContractError when the site is missing or either is malformed."""
    site_id, desk_id = data.get("site_id"), data.get("desk_id")
    problems = []
    if not (isinstance(site_id, str) and re.fullmatch(NAME_PATTERN, site_id)):
        problems.append("site_id: required: the site the call was for (lowercase letters, digits and -)")
    if desk_id is not None and not (isinstance(desk_id, str) and re.fullmatch(NAME_PATTERN, desk_id)):
        problems.append("desk_id: must be a desk id (lowercase letters, digits and -) or left out")
    if problems:
        raise ContractError("; ".join(problems))
    return str(site_id), desk_id


def contact_rating(data: dict[str, Any], token_name: str) -> Rating:
    """The contract's Rating of a posted body (pure): channel 'call' unless it says 'desk'; seq 1 until stored.

    'link' is refused: a link rating comes only from the rating link's own page.
    """
    given = [key for key in SET_BY_THE_COLLECTOR if key in data]
    if given:
        raise ContractError(
            f"{given[0]}: leave it out: the collector sets device_id and seq of a rating posted to the API"
        )
    channel = data.get("channel", "call")
    if channel == "link":
        raise ContractError("channel: 'link' ratings come only from the rating link's page; a phone call is 'call'")
    fields = {key: value for key, value in data.items() if key not in PLACE_KEYS}
    return parse_message(Rating, {**fields, "channel": channel, "device_id": integration_device(token_name), "seq": 1})


def check_integration_employee(store: Store, employee_id: str | None, sites: list[str]) -> None:
    """ContractError naming ``employee_id`` unless it is None or an active employee of one of ``sites``."""
    if employee_id is None:
        return
    row = store.employees.get(employee_id)
    if row is None or not row["active"] or row["site_id"] not in sites:
        raise ContractError(
            f"employee_id: not an active employee of this token's sites ({', '.join(sites)}); "
            "send the staff number of the employee who served, as the employee registry holds it, or leave it out"
        )


def judging_config(desk: DeviceConfig | None, site_desks: list[DeviceConfig]) -> DeviceConfig | None:
    """The config whose ``negative_max_score`` judges a call (pure): its desk's, else one all the site's desks share.

    None (the contract's default threshold) when neither is known or the site's desks differ.
    """
    if desk is not None:
        return desk
    thresholds = {config.negative_max_score for config in site_desks}
    return site_desks[0] if len(thresholds) == 1 else None


def _judging_config(store: Store, site_id: str, desk_id: str | None) -> DeviceConfig | None:
    serving = [config for _, config in store.devices.serving(site_id)]
    desk = None
    if desk_id is not None:
        desk = store.sites.desk_config(site_id, desk_id) or next((c for c in serving if c.desk_id == desk_id), None)
    return judging_config(desk, [*store.sites.desk_configs(site_id), *serving])


def store_contact(
    store: Store,
    rating: Rating,
    site_id: str,
    desk_id: str | None,
    payload: bytes,
    received_at: str,
    clock_tolerance_s: float = 60.0,
) -> StoredBatch:
    """Number the rating and store it through ``store_batch``, in one transaction; the caller announces it."""
    with store.transaction():
        config = _judging_config(store, site_id, desk_id)
        numbered = rating.model_copy(update={"seq": store.ratings.contact_seq(rating.id, rating.device_id)})
        batch = Batch(
            ratings=[numbered],
            payloads=[payload],
            rating_places={rating.id: (site_id, desk_id)},
            rating_configs={rating.id: config},
            sources=[HTTP_SOURCE],
        )
        return store_batch(store, batch, received_at, clock_tolerance_s)
