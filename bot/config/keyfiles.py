"""Files that hold the encryption key: written for their owner's eyes only, never replaced
while a database still needs the key in them."""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import dotenv_values  # python-dotenv, which pydantic-settings reads .env with

from bot.config.settings import Settings

DEFAULT_DATABASE = "sqlite:///fsbot.db"


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600 from the first byte (not chmod-ed afterwards,
    which leaves a moment when others may read it); an existing file is tightened too."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(text)


def database_using_key(env_path: Path) -> Path | None:
    """The database that the key in ``env_path`` (a ``.env``) opens, if that database exists.

    The database is the one the same file names (``FSB_DATABASE``, by default ``fsbot.db``), a
    relative path read from the file's folder, where ``fsbot run`` is run. None when the file
    holds no key or its database does not exist (yet).
    """
    if not env_path.is_file():
        return None
    values = dotenv_values(env_path)
    if not values.get("FSB_ENCRYPTION_KEY"):
        return None
    url = values.get("FSB_DATABASE") or DEFAULT_DATABASE
    try:
        database = Settings.model_construct(database=url).sqlite_path
    except ValueError:
        return None
    if not database.is_absolute():
        database = env_path.parent / database
    return database if database.exists() else None
