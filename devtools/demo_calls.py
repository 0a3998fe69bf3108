"""The demo's phone system: post-call ratings over the collector's API, as an IVR would send them.

Its own ``integration`` token (site-scoped, made by the demo) and plain HTTP: the
same ``POST /api/v1/ratings`` a real phone system uses (docs/protocol.md).
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


def simulate_calls(
    *, base_url: str, token: str, site_id: str, employee_ids: list[str], interval_s: float, stop: threading.Event
) -> int:
    """Post a call rating every ~``interval_s`` until ``stop``; returns how many were stored."""
    rng, stored, number = random.Random(), 0, 0
    while not stop.wait(rng.uniform(0.5, 1.5) * interval_s):
        number += 1
        body = json.dumps(call_rating(rng, site_id, employee_ids, number)).encode()
        request = urllib.request.Request(  # noqa: S310 (http to the demo's own web app)
            f"{base_url}/api/v1/ratings",
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                stored += response.status == 201
        except (urllib.error.URLError, OSError) as exc:  # the web app may still be starting
            log.debug("call rating not posted yet: %s", exc)
    return stored
