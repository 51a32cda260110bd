"""Reads and writes inside one PostgreSQL transaction (see :class:`bot.ports.store.Tx`).

:class:`PgTx` is the repository modules of storage/sqlite/, written once for both stores, over
this store's statements (storage/postgres/statements.py, which make their SQL PostgreSQL's), with
the outbox's leases of storage/postgres/outbox.py in place of SQLite's.
"""

from __future__ import annotations

from storage.postgres.outbox import PgOutbox
from storage.postgres.statements import PgStatements
from storage.sqlite.audit import SqliteAudit
from storage.sqlite.case_views import SqliteCaseViews
from storage.sqlite.chat_moves import SqliteChatMoves
from storage.sqlite.deliveries import SqliteDeliveries
from storage.sqlite.drafts import SqliteDrafts
from storage.sqlite.drills import SqliteDrills
from storage.sqlite.duty import SqliteDuty
from storage.sqlite.languages import SqliteLanguages
from storage.sqlite.members import SqliteMembers
from storage.sqlite.reachability import SqliteReachability
from storage.sqlite.register import SqliteRegister
from storage.sqlite.reports import SqliteReports
from storage.sqlite.retention import SqliteRetention
from storage.sqlite.tasks import SqliteTasks
from storage.sqlite.timers import SqliteTimers
from storage.sqlite.tokens import SqliteTokens
from storage.sqlite.vitals import SqliteVitals


class PgTx(  # the same repositories, in the same order, as SqliteTx
    SqliteDeliveries,
    SqliteMembers,
    SqliteReachability,
    SqliteDrafts,
    SqliteTokens,
    SqliteReports,
    SqliteCaseViews,
    SqliteAudit,
    PgOutbox,
    SqliteTimers,
    SqliteDuty,
    SqliteTasks,
    SqliteRegister,
    SqliteChatMoves,
    SqliteLanguages,
    SqliteRetention,
    SqliteDrills,
    SqliteVitals,
    PgStatements,
):
    """A :class:`bot.ports.store.Tx` on one pooled PostgreSQL connection; made by
    :meth:`storage.postgres.store.PostgresStore.transaction`, which begins, settles and commits
    it."""
