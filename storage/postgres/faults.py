"""PostgreSQL's errors in the terms the core acts on: a :class:`bot.ports.StoreFault` of some kind
(see storage/sqlite/faults.py for SQLite's).

PostgreSQL names its failures by SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html).
A lost connection, a server that is restarting, a lock or serialization conflict can pass by
themselves and are tried again by the core (bot/runtime/storage_retry.py); a full disk, a
read-only server, missing rights or damaged data need a person. An error that is none of these (a
constraint, a syntax error) is a bug in the bot, not a fault of the database, and is left as it
is. Messages name the server (host, port, database), never a password or any content.
"""

from __future__ import annotations

import psycopg
from psycopg import errors

from bot.ports.store import StoreFault

# SQLSTATE class (first two characters) or whole code -> the kind of fault
_KINDS = {
    "08": "io",  # connection exception
    "57P01": "io",  # admin shutdown
    "57P02": "io",  # crash shutdown
    "57P03": "io",  # cannot connect now (starting up)
    "40001": "busy",  # serialization failure
    "40P01": "busy",  # deadlock detected
    "55P03": "busy",  # lock not available
    "53100": "full",  # disk full
    "53200": "full",  # out of memory
    "53300": "busy",  # too many connections
    "25006": "readonly",  # read-only SQL transaction (a standby)
    "42501": "cantopen",  # insufficient privilege
    "28": "cantopen",  # invalid authorization
    "3D": "cantopen",  # invalid catalog name: no such database
    "XX001": "corrupt",  # data corrupted
    "XX002": "corrupt",  # index corrupted
    "58": "io",  # system error (I/O)
}


def describe(kind: str, where: str | None = None) -> str:
    """One line for an operator: which server, what is wrong, what to do. No content, ever."""
    the = f"the PostgreSQL database {where} (FSB_DATABASE)" if where else "the PostgreSQL database"
    said = {
        "busy": "{The} is busy (locks, or too many connections); the bot tries again.",
        "full": "{The} has no space (or memory) left; free some on the server.",
        "io": "The connection to {the} failed; is the server running and reachable?",
        "readonly": "{The} is read-only (a standby?); point FSB_DATABASE at the primary.",
        "corrupt": "{The} reports damaged data; restore it from a backup.",
        "cantopen": "Cannot use {the}: check that it exists and that its user may use it.",
    }[kind]
    return said.format(the=the, The="T" + the[1:])


def store_fault(error: BaseException, where: str | None = None) -> StoreFault | None:
    """The fault ``error`` stands for, or ``None`` when it is not a fault of the database."""
    if isinstance(error, StoreFault):
        return error
    if not isinstance(error, psycopg.Error):
        return None
    kind: str | None = None
    code = error.sqlstate
    if code:
        kind = _KINDS.get(code) or _KINDS.get(code[:2])
    elif isinstance(error, psycopg.OperationalError | errors.ConnectionTimeout):
        kind = "io"  # no SQLSTATE: the connection itself failed or was lost
    if kind is None:
        return None
    return StoreFault(kind, describe(kind, where))
