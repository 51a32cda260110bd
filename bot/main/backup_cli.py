"""``fsbot backup PATH`` and ``fsbot restore PATH`` (registered in bot/main/cli.py).

The work is in storage/sqlite/backup.py; this module words the answers. A backup needs no key
and may run beside the bot; a restore needs the key (it refuses a backup made with another)
and a stopped bot.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from bot.ports.store import StoreFault
from bot.runtime.crypto import EncryptionKeyError, WrongKeyError
from storage.sqlite import backup as sqlite_backup
from storage.sqlite.instance import LockRefused, only_instance


def _database() -> Path:
    from bot.main.cli import _settings

    try:
        return _settings().sqlite_path
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("backup")
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
def backup(target: Path) -> None:
    """Copy the database (FSB_DATABASE) to TARGET, consistently, while the bot runs.

    The copy holds every case as it stood, those purged later too: delete old backups within
    the retention period. It needs the key of today to be read; keep the key apart from it.
    """
    database = _database()
    try:
        size = sqlite_backup.backup(database, target)
    except sqlite_backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Backed up {database} to {target} ({size / 1024:.0f} KiB). It keeps cases that are"
        " purged later, so delete it within the retention period.",
        err=True,
    )


@click.command("restore")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
def restore(source: Path) -> None:
    """Put the backup SOURCE in place of the database (FSB_DATABASE); the bot must be stopped.

    The backup must have been made with the current FSB_ENCRYPTION_KEY. The database it
    replaces is kept beside it, renamed, until you delete it.
    """
    from bot.main.cli import _settings

    settings = _settings()
    if settings.encryption_key is None:
        raise click.ClickException("FSB_ENCRYPTION_KEY is not set; a restore checks the key.")
    database = _database()
    key = settings.encryption_key.get_secret_value()
    try:
        with only_instance(database, "nothing was restored"):
            aside = asyncio.run(sqlite_backup.restore(source, database, key))
    except WrongKeyError as exc:
        raise click.ClickException(
            f"{source} was made with another encryption key than FSB_ENCRYPTION_KEY, so nothing"
            " was restored. Restore it with the key it was made with, and run the bot with that"
            " key."
        ) from exc
    except (EncryptionKeyError, StoreFault, LockRefused, sqlite_backup.BackupError) as exc:
        raise click.ClickException(str(exc)) from exc
    kept = (
        f" The database it replaced is kept as {aside}; delete it once the restore is checked."
        if aside is not None
        else ""
    )
    click.echo(f"Restored {source} to {database}.{kept} Start the bot again.", err=True)
