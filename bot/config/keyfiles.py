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


def key_file_in_use(env_path: Path = Path(".env")) -> Path | None:
    """Where ``FSB_ENCRYPTION_KEY`` is read from: ``env_path`` when the key comes from that
    file, None when it comes from the environment (which wins over ``.env``, as in
    :class:`bot.config.settings.Settings`) or from nowhere."""
    if os.environ.get("FSB_ENCRYPTION_KEY"):
        return None
    if env_path.is_file() and dotenv_values(env_path).get("FSB_ENCRYPTION_KEY"):
        return env_path
    return None


def replace_key(env_path: Path, key: str) -> None:
    """Put ``key`` in place of the ``FSB_ENCRYPTION_KEY`` line of ``env_path``, keeping every
    other line; the file is replaced whole (written beside it, synced, renamed), 0600, so a
    crash leaves the old file or the new one, never half of one."""
    lines = env_path.read_text(encoding="utf-8").splitlines(keepends=True)
    out: list[str] = []
    for line in lines:
        name = line.strip().removeprefix("export ").split("=", 1)[0].strip()
        out.append(f"FSB_ENCRYPTION_KEY={key}\n" if name == "FSB_ENCRYPTION_KEY" else line)
    temporary = env_path.with_name(f".{env_path.name}.new")
    write_private(temporary, "".join(out))
    with open(temporary, "rb") as written:
        os.fsync(written.fileno())
    os.replace(temporary, env_path)
    folder = os.open(env_path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
