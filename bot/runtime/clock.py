"""Time as a parameter.

Escalation, ages and deadlines all depend on "now". The core takes a Clock so that unit tests can
move time without sleeping, while the running bot uses the system clock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def from_ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)
