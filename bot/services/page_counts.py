"""Which pages the metrics count: only a real case's (issue 17: a test page counts nowhere and
a drill never counts; README "Health and metrics")."""

from __future__ import annotations

from bot.ports.records import OutboxRow
from bot.ports.store import Tx


async def real_page(tx: Tx, row: OutboxRow) -> bool:
    """Whether ``row`` is a page for a real case: not a test page (a page with no case,
    bot/services/testpages.py), not a drill's page (bot/services/drills.py), not an edit."""
    if row.purpose != "page" or row.case_id is None:
        return False
    case = await tx.get_case(row.case_id)
    return case is not None and not case.is_drill
