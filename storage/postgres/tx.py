"""Reads and writes inside one PostgreSQL transaction (see :class:`bot.ports.store.Tx`).

:class:`PgTx` is every repository of :mod:`bot.ports.repositories`, one module each in this
package, composed over the statements they share (storage/postgres/statements.py).
"""

from __future__ import annotations

from storage.postgres.audit import PgAudit
from storage.postgres.case_views import PgCaseViews
from storage.postgres.chat_moves import PgChatMoves
from storage.postgres.deliveries import PgDeliveries
from storage.postgres.drafts import PgDrafts
from storage.postgres.drills import PgDrills
from storage.postgres.duty import PgDuty
from storage.postgres.languages import PgLanguages
from storage.postgres.members import PgMembers
from storage.postgres.outbox import PgOutbox
from storage.postgres.reachability import PgReachability
from storage.postgres.register import PgRegister
from storage.postgres.reports import PgReports
from storage.postgres.retention import PgRetention
from storage.postgres.tasks import PgTasks
from storage.postgres.timers import PgTimers
from storage.postgres.tokens import PgTokens
from storage.postgres.vitals import PgVitals


class PgTx(  # the same repositories, in the same order, as SqliteTx
    PgDeliveries,
    PgMembers,
    PgReachability,
    PgDrafts,
    PgTokens,
    PgReports,
    PgCaseViews,
    PgAudit,
    PgOutbox,
    PgTimers,
    PgDuty,
    PgTasks,
    PgRegister,
    PgChatMoves,
    PgLanguages,
    PgRetention,
    PgDrills,
    PgVitals,
):
    """A :class:`bot.ports.store.Tx` on one pooled PostgreSQL connection; made by
    :meth:`storage.postgres.store.PostgresStore.transaction`, which begins, settles and commits
    it."""
