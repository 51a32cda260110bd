"""``fsbot rotate-key``: every stored value re-encrypted under a new key, resumable.

Registered on the ``fsbot`` group in bot/main/cli.py. The steps and what an interruption leaves
are in storage/sqlite/rotation.py; this module decides where the new key goes: into the file
the old key was read from (``.env``), or, when the key came from the environment (a systemd
``EnvironmentFile``, a container's variables), printed once for the operator to put in place.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from bot.config import keyfiles
from bot.ports.store import StoreFault
from bot.runtime.crypto import Cipher, EncryptionKeyError, generate_key
from bot.runtime.failpoints import failpoint
from storage.sqlite import rotation
from storage.sqlite.instance import LockRefused, only_instance
from storage.sqlite.store import SqliteStore


async def _checked(database: Path, key: str) -> None:
    """Open the store once with ``key``: the key check, the migrations (0019 included)."""
    store = SqliteStore(database, Cipher(key))
    await store.open()
    await store.close()


def _unstored_updates(database: Path) -> bool:
    inbox = Path(f"{database}-inbox")
    return inbox.is_dir() and any(inbox.iterdir())


def _rotate(database: Path, key: str) -> tuple[str, int | None]:
    """The new key, and how many values were re-sealed now (None: an earlier run had)."""
    new_key = rotation.pending_key(database, key)
    if new_key is not None:
        return new_key, None
    asyncio.run(_checked(database, key))
    new_key = generate_key()
    count = rotation.rotate(database, key, new_key, lambda: failpoint("rotate_key:midway"))
    failpoint("rotate_key:committed")
    return new_key, count


def _save(new_key: str, old_key: str, key_file: Path | None) -> str:
    """Put the new key where the old one came from; what to tell the operator."""
    if new_key == old_key:
        return "The rotation had already been saved with this key; it is finished now."
    if key_file is not None:
        keyfiles.replace_key(key_file, new_key)
        return f"The new key replaced the old one in {key_file}."
    click.echo(f"FSB_ENCRYPTION_KEY={new_key}")
    return (
        "The key came from the environment, so the new one is printed above, once, and kept"
        " nowhere else: put it where FSB_ENCRYPTION_KEY is set (e.g. /etc/fsbot/fsbot.env)"
        " before the bot starts again."
    )


@click.command("rotate-key")
def rotate_key() -> None:
    """Re-encrypt every stored report, identity and note under a new key.

    The bot must be stopped. The new key is written where the old one was read from (.env), or
    printed once when it came from the environment. Interrupted, run it again with the same key
    to finish. Backups made before keep needing the old key.
    """
    from bot.main.cli import _existing_database, _key_problem, _settings

    settings = _settings()
    if settings.encryption_key is None:
        raise click.ClickException("FSB_ENCRYPTION_KEY is not set; rotating needs the current key.")
    database = _existing_database(settings)
    key = settings.encryption_key.get_secret_value()
    key_file = keyfiles.key_file_in_use()
    try:
        with only_instance(database, "the key was not changed"):
            if _unstored_updates(database):
                raise click.ClickException(
                    f"{database}-inbox holds updates the bot has not stored yet, so the key was"
                    " not changed. Start the bot once (it stores them), stop it, then rotate the"
                    " key."
                )
            new_key, count = _rotate(database, key)
            said = _save(new_key, key, key_file)
            rotation.finish(database)
    except EncryptionKeyError as exc:
        raise _key_problem(exc) from exc
    except (StoreFault, LockRefused, rotation.RotationError) as exc:
        raise click.ClickException(str(exc)) from exc
    done = "" if count is None else f"Re-encrypted {count} stored values under a new key. "
    click.echo(
        f"{done}{said} The old key opens nothing in {database} now; backups made before still"
        " need it, so keep it with them until they are rotated out.",
        err=True,
    )
