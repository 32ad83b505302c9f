"""Login rate limiting: after too many failures in a window, a key must wait.

A key is a username or a client address; each is limited on its own, so guessing one
account's password from many addresses, or many accounts' from one address, both stop.
Pure and clock-free: every call takes ``now`` (seconds, monotonic or wall, as long as it is
one clock). The table is bounded: the oldest keys are dropped beyond ``max_keys``.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field


@dataclass
class LoginThrottle:
    max_failures: int = 5
    window_s: float = 15 * 60
    max_keys: int = 10_000
    _failures: OrderedDict[str, deque[float]] = field(default_factory=OrderedDict)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, keys: list[str], now: float) -> float:
        """Seconds until every key may try again; 0 when a try is allowed now."""
        wait = 0.0
        for key in keys:
            times = self._recent(key, now)
            if len(times) >= self.max_failures:
                wait = max(wait, times[0] + self.window_s - now)
        return wait

    def failed(self, keys: list[str], now: float) -> None:
        for key in keys:
            times = self._failures.setdefault(key, deque())
            times.append(now)
            self._failures.move_to_end(key)
            if len(times) > self.max_failures:
                times.popleft()
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)

    def succeeded(self, key: str) -> None:
        """A correct password clears that account's failures (not the address's)."""
        self._failures.pop(key, None)
