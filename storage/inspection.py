"""What ``fsbot doctor`` learns from a database, whichever store it is (storage/sqlite/inspect.py
for an SQLite file, storage/postgres/inspect.py for a PostgreSQL database): the state, and the
findings both stores draw from the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain import readiness as r
from bot.domain.readiness import Finding


@dataclass
class DatabaseState:
    """What the database says: its own findings, and the (platform, user id) pairs marked
    unreachable after a page bounced (bot/services/reachability.py)."""

    findings: list[Finding] = field(default_factory=list)
    unreachable: set[tuple[str, str]] = field(default_factory=set)


def schema_findings(applied: set[int], packaged: set[int]) -> list[Finding]:
    """Compare the migration numbers a database has applied with the ones this version of fsbot
    carries: a newer database is blocking (this fsbot may misread it); one behind is not
    (``fsbot run`` applies the rest as it starts)."""
    if applied - packaged:
        return [Finding(r.DATABASE_NEWER, blocking=True)]
    if packaged - applied:
        return [Finding(r.MIGRATIONS_PENDING, facts={"behind": len(packaged - applied)})]
    return []


def outbox_findings(stuck: int) -> list[Finding]:
    """A blocking finding when ``stuck`` outbox messages have been pending longer than
    :data:`bot.domain.readiness.STUCK_AFTER_SECONDS` (no worker is sending them)."""
    if not stuck:
        return []
    return [Finding(r.OUTBOX_STUCK, blocking=True, facts={"count": stuck})]
