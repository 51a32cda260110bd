"""Reads and writes inside one SQLite transaction (see :class:`bot.ports.store.Tx`).

:class:`SqliteTx` is every repository of :mod:`bot.ports.repositories`, one module each in this
package, composed over the statements they share (storage/sqlite/statements.py). The modules are
written once for both stores: :class:`SqliteRepositories` is also the PostgreSQL store's.
"""

from __future__ import annotations

from storage.sqlite.audit import SqliteAudit
from storage.sqlite.case_views import SqliteCaseViews
from storage.sqlite.chat_moves import SqliteChatMoves
from storage.sqlite.deliveries import SqliteDeliveries
from storage.sqlite.drafts import SqliteDrafts
from storage.sqlite.drills import SqliteDrills
from storage.sqlite.duty import SqliteDuty
from storage.sqlite.languages import SqliteLanguages
from storage.sqlite.members import SqliteMembers
from storage.sqlite.outbox import SqliteOutbox
from storage.sqlite.reachability import SqliteReachability
from storage.sqlite.register import SqliteRegister
from storage.sqlite.reports import SqliteReports
from storage.sqlite.retention import SqliteRetention
from storage.sqlite.statements import BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS
from storage.sqlite.statements import Remembered as Remembered
from storage.sqlite.statements import SqliteStatements
from storage.sqlite.tasks import SqliteTasks
from storage.sqlite.timers import SqliteTimers
from storage.sqlite.tokens import SqliteTokens
from storage.sqlite.vitals import SqliteVitals


class SqliteRepositories(
    SqliteDeliveries,
    SqliteMembers,
    SqliteReachability,
    SqliteDrafts,
    SqliteTokens,
    SqliteReports,
    SqliteCaseViews,
    SqliteAudit,
    SqliteTimers,
    SqliteDuty,
    SqliteTasks,
    SqliteRegister,
    SqliteChatMoves,
    SqliteLanguages,
    SqliteRetention,
    SqliteDrills,
    SqliteVitals,
):
    """Every repository of :mod:`bot.ports.repositories` but the outbox, whichever the database:
    the PostgreSQL store's :class:`storage.postgres.tx.PgTx` is these too, with its own outbox
    (leases) and statements."""


class SqliteTx(SqliteRepositories, SqliteOutbox, SqliteStatements):
    """A :class:`bot.ports.store.Tx` on one SQLite connection; made by
    :meth:`storage.sqlite.store.SqliteStore.transaction`, which begins, settles and commits it."""
