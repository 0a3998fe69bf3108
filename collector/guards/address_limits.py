"""Requests counted per client address over a sliding window, in memory (per process): the one
mechanism behind the rating link page's limit and the enrolment codes' wrong-guess limit."""

from __future__ import annotations

MAX_ADDRESSES = 10_000  # past this many addresses, the idle ones are forgotten


class AddressWindow:
    """Events per address within the last ``window_s`` seconds; ``limit`` of them fill it."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit, self.window_s = limit, window_s
        self._seen: dict[str, list[float]] = {}

    def full(self, address: str, now: float) -> bool:
        """Whether ``address`` has ``limit`` events in the window (older ones are dropped)."""
        recent = [t for t in self._seen.get(address, []) if t > now - self.window_s]
        self._seen[address] = recent
        return len(recent) >= self.limit

    def add(self, address: str, now: float) -> None:
        if len(self._seen) > MAX_ADDRESSES:
            self._seen = {a: ts for a, ts in self._seen.items() if ts and ts[-1] > now - self.window_s}
        self._seen.setdefault(address, []).append(now)
