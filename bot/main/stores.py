"""Which store the bot runs on: an SQLite file or a PostgreSQL database, as ``FSB_DATABASE``
names it (part of the composition root, the only importer of storage/).

A database is named by a :class:`pathlib.Path` (an SQLite file) or a ``postgresql://`` URL (a
``str``); everything that opens one goes through :func:`make_store`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from bot.config.settings import Settings
from bot.ports.store import Store
from bot.runtime.crypto import Cipher
from storage.sqlite.store import SqliteStore

# storage.postgres (and psycopg) are imported only for a PostgreSQL database: every start of an
# SQLite bot (and each crash test's) would otherwise pay for them.

Database = Path | str
"""An SQLite file, or a PostgreSQL URL."""


def database_of(settings: Settings) -> Database:
    """The database ``FSB_DATABASE`` names. Raises ``ValueError`` (one line) for a URL that
    names neither an SQLite file nor a PostgreSQL database."""
    return settings.postgres_url or settings.sqlite_path


def make_store(
    database: Database, cipher: Cipher, *, check_key: bool = True, check_file: bool = True
) -> Store:
    """The store on ``database``, not opened yet; ``check_key`` and ``check_file`` as
    :class:`storage.sqlite.store.SqliteStore` has them (PostgreSQL checks its own files)."""
    if isinstance(database, Path):
        return SqliteStore(database, cipher, check_key=check_key, check_file=check_file)
    from storage.postgres.store import PostgresStore

    return PostgresStore(database, cipher, check_key=check_key)


def inbox_folder(database: Database) -> Path:
    """Where events wait on this machine while the database keeps them waiting
    (storage/inbox.py): beside an SQLite file, or, for a PostgreSQL database, a folder in the
    working directory named for the database (without its credentials)."""
    if isinstance(database, Path):
        return Path(f"{database}-inbox")
    from storage.postgres.store import where

    name = hashlib.sha256(where(database).encode()).hexdigest()[:12]
    return Path(f"fsbot-{name}-inbox")
