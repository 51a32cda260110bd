"""The ``fsbot`` command line (click): demo, run, init, check-config, purge, stats and
migrate-db."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date, datetime
from pathlib import Path

import click
from pydantic import SecretStr, ValidationError

from bot.config import keyfiles
from bot.config.demo import demo_team_text
from bot.config.settings import Settings
from bot.config.teamfile import TeamFile, TeamFileError, load_team_file, starter_team_text
from bot.main import backup_cli, housekeeping, keys_cli, readiness, serve, stores
from bot.main.mail import mail_messengers
from bot.ports.platform import PlatformUnavailable
from bot.ports.store import StoreFault
from bot.runtime import logsafety
from bot.runtime.clock import SystemClock
from bot.runtime.crypto import EncryptionKeyError, WrongKeyError, generate_key
from bot.services import stats, stats_chart
from storage.sqlite.instance import LockRefused, only_instance
from storage.sqlite.keys import RotationUnfinished


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise click.ClickException(f"Invalid FSB_ settings (environment or .env):\n{exc}") from exc
    except (ValueError, OSError) as exc:  # .env unreadable: not UTF-8, a directory...
        raise click.ClickException(f"Cannot read the FSB_ settings in .env: {exc}") from exc


def _key_problem(exc: EncryptionKeyError) -> click.ClickException:
    """The key error as the command's answer, with what to do about a key that is not the
    database's."""
    if isinstance(exc, RotationUnfinished):
        return click.ClickException(str(exc))
    if isinstance(exc, WrongKeyError):
        return click.ClickException(
            f"{exc} Set FSB_ENCRYPTION_KEY to the database's current key: the one in the .env"
            " that `fsbot init` wrote or `fsbot rotate-key` last changed (or your backup of it)."
        )
    return click.ClickException(str(exc))


def _load_team(path: Path) -> TeamFile:
    try:
        return load_team_file(path)
    except TeamFileError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(2) from exc


def _secrets(settings: Settings) -> list[str]:
    """Every secret value in the settings, for the log guard to redact (see bot.logsafety)."""
    return [
        value.get_secret_value()
        for value in settings.model_dump().values()
        if isinstance(value, SecretStr)
    ]


@click.group()
@click.version_option(package_name="friendly-space-bot", prog_name="fsbot")
def main() -> None:
    """Friendly Space Bot: reports, paging and escalation for an event's safety team."""
    # Every command logs through the guard; `run` sets its own level. Settings that cannot be
    # read here are reported by the command that needs them.
    try:
        settings = Settings()
        known, form = _secrets(settings), settings.log_format
    except (ValueError, OSError):  # ValidationError too
        known, form = [], "plain"
    logsafety.configure(logging.WARNING, known, form=form)


@main.command()
@click.option(
    "--db",
    "database",
    type=click.Path(path_type=Path),
    default=Path("fsbot-demo.db"),
    show_default=True,
    help="SQLite file for the demo.",
)
@click.option("--fresh", is_flag=True, help="Start from an empty demo database.")
def demo(database: Path, fresh: bool) -> None:
    """Try the bot locally: type as any participant or member, no accounts needed."""
    team_path = database.with_suffix(".team.toml")
    key_path = database.with_suffix(".key")
    if fresh:
        for path in (
            database,
            Path(f"{database}-wal"),
            Path(f"{database}-shm"),
            team_path,
            key_path,
        ):
            path.unlink(missing_ok=True)
    if not key_path.exists():
        if database.exists():
            raise click.ClickException(
                f"{key_path}, the key of {database}, is missing, so its reports"
                " cannot be read. Put the key file back, or start over with --fresh."
            )
        keyfiles.write_private(key_path, generate_key())
    if not team_path.exists():
        team_path.write_text(demo_team_text(SystemClock().now()))
    key = key_path.read_text().strip()
    logsafety.configure(logging.WARNING, [key])
    try:
        serve.run_console(database, _load_team(team_path), key)
    except EncryptionKeyError as exc:
        raise click.ClickException(
            f"{exc} Put back the key file {key_path}, or start the demo over with --fresh."
        ) from exc
    except StoreFault as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.option(
    "--console", is_flag=True, help="Run on this terminal with the real team file, no platform."
)
def run(console: bool) -> None:
    """Run the bot with the team file and the adapters whose credentials are set.

    With no platform credentials it refuses to start (a service that reaches nobody must not
    look healthy), unless --console is given.
    """
    settings = _settings()
    logsafety.configure(settings.log_level, _secrets(settings), form=settings.log_format)
    if settings.encryption_key is None:
        raise click.ClickException(
            "FSB_ENCRYPTION_KEY is not set. Reports are stored encrypted, so the bot will not"
            " start without a key. Run `fsbot init` to create one in .env, and keep it safe."
        )
    try:
        database = stores.database_of(settings)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    config = _load_team(settings.team_file)
    key = settings.encryption_key.get_secret_value()
    try:
        adapters = [] if console else serve.platform_adapters(settings)
    except serve.ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    if not adapters and not console:
        raise click.ClickException(serve.NO_PLATFORM)
    health = serve.HealthOptions.of(settings)
    try:
        # one process per SQLite file; on PostgreSQL several share the work (bot/main/cluster.py)
        alone = only_instance(database) if isinstance(database, Path) else contextlib.nullcontext()
        with alone:
            mail = mail_messengers(settings)
            if adapters:
                serve.run_platforms(database, config, key, adapters, health, mail)
            else:
                serve.run_console(database, config, key, health, mail)
    except EncryptionKeyError as exc:
        raise _key_problem(exc) from exc
    except (StoreFault, PlatformUnavailable, serve.ConfigError, LockRefused) as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where to write team.toml and .env.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite existing files (never the key of an existing database).",
)
def init(directory: Path, force: bool) -> None:
    """Write a commented starter team.toml and a .env with a fresh encryption key."""
    directory.mkdir(parents=True, exist_ok=True)
    team_path, env_path = directory / "team.toml", directory / ".env"
    in_use = keyfiles.database_using_key(env_path)
    if in_use is not None:
        raise click.ClickException(
            f"{env_path} holds the key of {in_use}; a new key would leave"
            f" its reports unreadable, so nothing was written. Keep {env_path} as it is (edit"
            f" {team_path} by hand), or move {in_use} away first to start over."
        )
    for path in (team_path, env_path):
        if path.exists() and not force:
            raise click.ClickException(f"{path} exists; use --force to overwrite it.")
    team_path.write_text(starter_team_text())
    keyfiles.write_private(
        env_path,
        "# Written by `fsbot init`. Keep this key secret and backed up: without it the stored\n"
        "# reports cannot be read.\n"
        f"FSB_ENCRYPTION_KEY={generate_key()}\n"
        f"FSB_TEAM_FILE={team_path.name}\n"
        f"FSB_DATABASE={keyfiles.DEFAULT_DATABASE}\n",
    )
    click.echo(
        f"Wrote {team_path} and {env_path}. Edit the team file, then run `fsbot check-config`."
    )


@main.command("check-config")
@click.argument("team_file", required=False, type=click.Path(path_type=Path))
def check_config(team_file: Path | None) -> None:
    """Check the team file; name the line and field of every mistake.

    Then warn, without failing, about what would surprise the team (ids left from `fsbot init`,
    gaps in the rota...) and about the FSB_ settings from the environment and .env.
    """
    path = team_file or _settings().team_file
    try:
        config = load_team_file(path)
    except TeamFileError as exc:
        click.echo(str(exc), err=True)
        count = len(exc.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} in {path}.", err=True)
        raise SystemExit(1) from exc
    click.echo(
        f"{path}: OK. {len(config.members)} members, {len(config.rota)} shifts,"
        f" {len(config.escalation.steps)} escalation steps."
    )
    readiness.warn_about_config(config)


def _existing_database(settings: Settings) -> Path:
    """The SQLite file, which must exist: these commands must not create an empty one."""
    try:
        database = settings.sqlite_path
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if not database.exists():
        raise click.ClickException(f"No database at {database} (FSB_DATABASE).")
    return database


def _database_to_read(settings: Settings) -> stores.Database:
    """An existing SQLite file (see :func:`_existing_database`) or a PostgreSQL database (one
    that is not there is the server's to refuse), for commands that work on either."""
    if settings.postgres_url is not None:
        return settings.postgres_url
    return _existing_database(settings)


@main.command()
@click.option("--dry-run", is_flag=True, help="Only count the cases past their review date.")
def purge(dry_run: bool) -> None:
    """Erase the account, identities and notes of closed cases past their review date.

    Their code, severity, outcome and times stay, so `fsbot stats` still counts them. The bot
    does this itself every day at 04:00; this is for a bot that is no longer running.
    """
    settings = _settings()
    if settings.encryption_key is None:
        raise click.ClickException("FSB_ENCRYPTION_KEY is not set; purging needs it.")
    database = _database_to_read(settings)
    key = settings.encryption_key.get_secret_value()
    try:
        count = asyncio.run(housekeeping.purge(database, key, SystemClock().now(), dry_run=dry_run))
    except EncryptionKeyError as exc:
        raise _key_problem(exc) from exc
    except StoreFault as exc:
        raise click.ClickException(str(exc)) from exc
    cases = "1 case past its" if count == 1 else f"{count} cases past their"
    if dry_run:
        click.echo(f"{cases} review date; nothing purged (--dry-run).")
    else:
        click.echo(f"Purged {cases} review date.")


@main.command("migrate-db")
@click.option(
    "--to", "target", required=True, help="An empty PostgreSQL database: postgresql://USER@HOST/DB"
)
def migrate_db_command(target: str) -> None:
    """Copy the SQLite database (FSB_DATABASE) into an empty PostgreSQL database.

    Stop the bot first. Everything is copied as stored (encrypted values stay encrypted under
    the same key) and the counts are checked; then set FSB_DATABASE to the new database.
    """
    from bot.main import migrate_db  # psycopg only when asked for (bot/main/stores.py)

    settings = _settings()
    if settings.encryption_key is None:
        raise click.ClickException("FSB_ENCRYPTION_KEY is not set; migrate-db checks it first.")
    if Settings.model_construct(database=target).postgres_url is None:
        raise click.ClickException("--to must be a postgresql:// URL.")
    database = _existing_database(settings)
    key = settings.encryption_key.get_secret_value()
    try:
        copied = asyncio.run(migrate_db.migrate(database, target, key))
    except EncryptionKeyError as exc:
        raise _key_problem(exc) from exc
    except (StoreFault, migrate_db.MigrationError) as exc:
        raise click.ClickException(str(exc)) from exc
    for table, count in copied.tables:
        click.echo(f"  {table}: {count}")
    click.echo(
        f"Copied {copied.rows} rows from {database}; the counts match. Set"
        " FSB_DATABASE to the PostgreSQL URL and start the bot; keep the SQLite file as a backup."
    )


_DAY = click.DateTime(formats=["%Y-%m-%d"])


@main.command("stats")
@click.option("--from", "first", type=_DAY, required=True, help="First day, YYYY-MM-DD.")
@click.option("--to", "last", type=_DAY, required=True, help="Last day (included), YYYY-MM-DD.")
@click.option(
    "--png",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the chart [default: fsbot-stats-FROM-TO.png].",
)
@click.option(
    "--by",
    type=click.Choice(stats.GROUPINGS),
    default=None,
    help="Group by day, week or month [default: by day under three weeks, else by week].",
)
@click.option(
    "--min-count",
    type=click.IntRange(1, 100),
    default=None,
    help='Show counts under this as "fewer than N" [default: FSB_STATS_MIN_COUNT, 5].',
)
@click.option("--force", is_flag=True, help="Overwrite the chart file if it exists.")
def stats_command(
    first: datetime,
    last: datetime,
    png: Path | None,
    by: str | None,
    min_count: int | None,
    force: bool,
) -> None:
    """Print an anonymous transparency report (Markdown) and write a PNG chart beside it.

    Days are read in the team's time zone (FSB_TEAM_FILE). Only counts and durations: no
    names, codes or accounts, so the report can be shown in public. Counts under the threshold
    are hidden, and when any is, the others are rounded, so none can be worked out.
    """
    settings = _settings()
    hide_under = min_count if min_count is not None else settings.stats_min_count
    start, end = first.date(), last.date()
    problem = stats.period_problem(start, end)
    if problem is not None:
        raise click.ClickException(problem)
    chart = png or Path(f"fsbot-stats-{_iso(start)}-{_iso(end)}.png")
    if chart.exists() and not force:
        raise click.ClickException(
            f"{chart} exists, so nothing was written. Use --force to overwrite it, or --png to"
            " write the chart somewhere else."
        )
    database = _database_to_read(settings)
    config = _load_team(settings.team_file)
    key = settings.encryption_key.get_secret_value() if settings.encryption_key else None
    try:
        figures = asyncio.run(
            housekeeping.transparency(database, key, config, start, end, by, hide_under)
        )
    except EncryptionKeyError as exc:
        raise _key_problem(exc) from exc
    except StoreFault as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(stats.render_markdown(figures))
    stats_chart.write_png(figures, chart)
    click.echo(f"Chart written to {chart}", err=True)


def _iso(day: date) -> str:
    return day.isoformat()


# Commands kept in their own modules (this one is near its size limit).
main.add_command(keys_cli.rotate_key)
main.add_command(backup_cli.backup)
main.add_command(backup_cli.restore)
main.add_command(readiness.doctor)
