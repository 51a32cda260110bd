"""Fresh PostgreSQL databases for tests: each made on the local server and dropped afterwards.

The server is the one every machine of this project runs (127.0.0.1:5432, trust authentication;
`.ci/run` starts it if it is down). ``FSB_TEST_POSTGRES`` names another server, as a URL without
a database.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

SERVER = os.environ.get("FSB_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")


def url(database: str) -> str:
    """The URL of ``database`` on the test server."""
    return f"{SERVER.rstrip('/')}/{database}"


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty database; yields its URL and drops it (with whatever is still connected)."""
    name = f"fsbtest_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url(name)
    finally:
        with psycopg.connect(url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(database: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` on a bot's database named as ``FSB_DATABASE`` names it, whichever
    store it is (write ``%s`` for a parameter: it becomes ``?`` on SQLite)."""
    if database.startswith("sqlite:///"):
        with sqlite3.connect(database.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()
    with psycopg.connect(database) as db:
        return db.execute(sql, params).fetchall()
