"""Reads and writes inside one PostgreSQL transaction (see :class:`bot.ports.store.Tx`).

:class:`PgTx` is the repository modules of storage/sqlite/, written once for both stores, over
this store's statements (storage/postgres/statements.py, which make their SQL PostgreSQL's), with
the outbox's leases of storage/postgres/outbox.py in place of SQLite's.
"""

from __future__ import annotations

from storage.postgres.outbox import PgOutbox
from storage.postgres.statements import PgStatements
from storage.sqlite.tx import SqliteRepositories


class PgTx(SqliteRepositories, PgOutbox, PgStatements):
    """A :class:`bot.ports.store.Tx` on one pooled PostgreSQL connection; made by
    :meth:`storage.postgres.store.PostgresStore.transaction`, which begins, settles and commits
    it."""
