"""The PostgreSQL store (``FSB_DATABASE=postgresql://...``), over the same columns and the same
ciphertext as SQLite's.

The repository modules are written once, in storage/sqlite/ (one module per repository, in
SQLite's SQL with ``?`` placeholders), and this package imports them: :class:`tx.PgTx` composes
them over :class:`statements.PgStatements`, which makes their SQL PostgreSQL's (:func:`statements.
pg_sql`) and holds what differs between the databases behind the names of
:class:`storage.sqlite.statements.Statements` (new row ids, row locks, wake-ups). Only the
outbox's leases (outbox.py), the store, its keys, faults and the cluster of processes are this
package's own. A change to a query is made once, there; the contract suite (tests/contract/) runs
it on both stores.

A change to the SQLite schema needs its twin here: a migration in ``migrations/`` numbered on
from the last one here (the numbers are this store's own; each file's header names the SQLite
migration it matches: 0001 is SQLite's 0001-0015, 0002 is 0018, 0003 is 0019, 0004 is 0017,
0005 is 0021 and 0006 is 0020).
"""
