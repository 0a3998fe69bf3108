"""The demo's phone system: post-call ratings over the collector's API, as an IVR would send them.

Its own ``integration`` token (site-scoped, made by the demo) and plain HTTP: the
same ``POST /api/v1/ratings`` a real phone system uses (docs/protocol.md). Each call is
first recorded with ``POST /api/v1/visits`` (the response rate's denominator); about six
callers in ten stay on the line to rate it (``RATED_SHARE``), so the period report's response
rate is a share below 100%. One call in five gives a phone number, so it gets a rating link
(no SMS channel in the demo).
"""

from __future__ import annotations

import json
import logging
import random
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime

from device.simulator import pick_reasons, pick_score
from shared.clock import format_time, uuid7

log = logging.getLogger("taqyeem.demo.calls")
RATED_SHARE = 0.6  # the callers who answer the keypad question after the call


def call_rating(rng: random.Random, site_id: str, employee_ids: list[str], number: int) -> dict[str, object]:
    """One caller's answer after the call: 1 to 5 on the keypad, the agent who took it."""
    score = pick_score(rng)
    now = datetime.now(UTC)
    return {
        "v": 1,
        "id": str(uuid7(int(now.timestamp() * 1000))),
        "site_id": site_id,
        "employee_id": rng.choice(employee_ids),
        "score": score,
        "reasons": pick_reasons(rng, score),
        "visit_id": f"CALL-{now:%Y%m%d}-{number:04d}",
        "lang": "ar" if rng.random() < 0.85 else "en",
        "created_at": format_time(now),
        "channel": "call",
    }


def _post(base_url: str, token: str, path: str, body: dict[str, object]) -> int:
    """POST JSON to the demo's own web app; the status, or 0 while it is not answering yet."""
    request = urllib.request.Request(  # noqa: S310 (http to the demo's own web app)
        f"{base_url}{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        log.warning("%s refused: %s", path, exc.read()[:300])
        return exc.code
    except (urllib.error.URLError, OSError) as exc:  # the web app may still be starting
        log.debug("%s not posted yet: %s", path, exc)
        return 0


def call_visit(rating: dict[str, object], number: int) -> dict[str, object]:
    """The phone system's record of the call it rated; every fifth caller left a number."""
    visit: dict[str, object] = {"visit_id": rating["visit_id"], "site_id": rating["site_id"], "channel": "call"}
    visit["employee_id"] = rating["employee_id"]
    if number % 5 == 0:
        visit["phone"] = f"+9665{number % 100_000_000:08d}"
    return visit


def simulate_calls(
    *, base_url: str, token: str, site_id: str, employee_ids: list[str], interval_s: float, stop: threading.Event
) -> int:
    """Post a call rating every ~``interval_s`` until ``stop``; returns how many were stored."""
    rng, stored, number = random.Random(), 0, 0
    while not stop.wait(rng.uniform(0.5, 1.5) * interval_s):
        number += 1
        rating = call_rating(rng, site_id, employee_ids, number)
        _post(base_url, token, "/api/v1/visits", call_visit(rating, number))
        if rng.random() < RATED_SHARE:
            stored += _post(base_url, token, "/api/v1/ratings", rating) == 201
    return stored
