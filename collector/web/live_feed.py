"""The open pages' live feed (server-sent events): a thread-safe fan-out to each page's asyncio queue.

The alert dispatcher publishes every stored rating here from its own thread
(collector.alerts.dispatcher); each open page subscribes for the sites it may see.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Subscription:
    sites: list[str] | None  # None: every site
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(maxsize=500))


class LiveFeed:
    """Thread-safe fan-out from the dispatcher thread to each page's asyncio queue."""

    def __init__(self) -> None:
        self._subs: set[Subscription] = set()
        self._lock = threading.Lock()

    def subscribe(self, sites: list[str] | None) -> Subscription:
        sub = Subscription(sites, asyncio.get_running_loop())
        with self._lock:
            self._subs.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs.discard(sub)

    def count(self) -> int:
        with self._lock:
            return len(self._subs)

    def publish(self, event: dict[str, Any], site_id: str | None) -> None:
        with self._lock:
            subs = list(self._subs)
        for sub in subs:
            if sub.sites is None or site_id in sub.sites:
                try:
                    sub.loop.call_soon_threadsafe(_offer, sub.queue, event)
                except RuntimeError:  # that page's loop is gone
                    self.unsubscribe(sub)


def _offer(target: asyncio.Queue[dict[str, Any]], event: dict[str, Any]) -> None:
    with contextlib.suppress(asyncio.QueueFull):  # a stalled page misses events rather than holding memory
        target.put_nowait(event)
