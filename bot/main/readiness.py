"""``fsbot doctor`` and ``fsbot check-config``'s warnings: the readiness check from the operator's
terminal (issue 17 and 18). Part of the composition root: it builds the platform adapters and
reads the database as ``fsbot run`` would, with the same ``.env`` and team file.

Output is a list of problems, each with what to do; the team file's names, never a token. The
exit status is 1 when a problem would stop a page from reaching a person, 2 when the settings or
the team file cannot be read at all.
"""

from __future__ import annotations

import asyncio
import contextlib

import click
from pydantic import ValidationError

from bot.config.settings import Settings
from bot.config.settings_lint import running_platforms, settings_findings
from bot.config.team_lint import lint
from bot.config.teamfile import TeamFile, TeamFileError, load_team_file
from bot.domain import readiness as r
from bot.domain.readiness import Finding
from bot.domain.team import Team
from bot.main import serve
from bot.main.mail import email_readiness
from bot.main.stores import database_of
from bot.ports.platform import PlatformAdapter, PlatformUnavailable
from bot.runtime.clock import SystemClock
from bot.runtime.crypto import Cipher
from bot.services import readiness
from bot.text import readiness_words as words
from storage.inspection import DatabaseState
from storage.sqlite.inspect import inspect


def _names(config: TeamFile) -> dict[str, str]:
    return readiness.names(Team(config, []))


def warn_about_config(config: TeamFile) -> None:
    """check-config's warnings (stdout): the lint and the FSB_ settings; never fails."""
    found: list[Finding] = []
    try:
        settings: Settings | None = Settings()
    except (ValidationError, ValueError, OSError):
        click.echo(
            "warning: the FSB_ settings (environment or .env) cannot be read; run"
            " `fsbot doctor` to see why."
        )
        settings = None
    platforms = (running_platforms(settings) or None) if settings is not None else None
    found += lint(config, platforms)
    if settings is not None:
        found += settings_findings(settings, config)
    names = _names(config)
    for finding in found:
        click.echo(words.warning(finding, names))
    if found:
        count = len(found)
        click.echo(f"{count} warning{'s' if count != 1 else ''}; the team file still loads.")


async def _probe(adapter: PlatformAdapter, team: Team) -> list[Finding]:
    probe = adapter.readiness
    try:
        await serve.start_adapter(adapter)
    except PlatformUnavailable as error:
        return [Finding(r.CREDENTIALS, "", probe.platform, True, {"why": str(error)})]
    try:
        return (await readiness.probe_all(team, {probe.platform: probe})).findings
    finally:
        with contextlib.suppress(Exception):
            await adapter.stop()


async def _database_state(settings: Settings, cipher: Cipher) -> DatabaseState:
    """The database's findings, read-only: an SQLite file (storage/sqlite/inspect.py) or a
    PostgreSQL database (storage/postgres/inspect.py), as ``FSB_DATABASE`` names it."""
    now = SystemClock().now()
    url = settings.postgres_url
    if url is None:
        return await inspect(settings.sqlite_path, cipher, now)
    from storage.postgres.inspect import inspect as inspect_postgres  # psycopg only when needed

    return await inspect_postgres(url, cipher, now)


async def diagnose(settings: Settings, config: TeamFile) -> tuple[list[Finding], Team]:
    """Every finding: settings, team file, database, chat platforms, and e-mail to outside
    contacts (bot/main/mail.py: the SMTP server must take the bot's connection)."""
    adapters = serve.platform_adapters(settings)
    team = Team(config, [a.readiness.platform for a in adapters])
    found = [*settings_findings(settings, config), *readiness.team_findings(team)]
    if settings.encryption_key is not None:
        cipher = Cipher(settings.encryption_key.get_secret_value())
        state = await _database_state(settings, cipher)
        found += state.findings
        found += readiness.from_store(team, state.unreachable)
    for adapter in adapters:
        found += await _probe(adapter, team)
    mail = await email_readiness(settings, config)
    if mail.problem is not None:
        facts = {"who": " ".join(mail.contacts), "why": mail.problem}
        found.append(Finding(r.EMAIL_UNREACHABLE, "", "email", True, facts))
    return readiness.combine(found), team


@click.command()
def doctor() -> None:
    """Check that every page can reach its person: platforms, team file, database.

    Uses the same .env and team file as `fsbot run`. Exits 1 when a problem would stop a page
    from reaching someone.
    """
    try:
        settings = Settings()
        database_of(settings)  # a URL naming neither an SQLite file nor PostgreSQL: refused
    except (ValidationError, ValueError, OSError) as exc:
        click.echo(f"Cannot read the FSB_ settings (environment or .env): {exc}", err=True)
        raise SystemExit(2) from exc
    try:
        config = load_team_file(settings.team_file)
    except TeamFileError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(2) from exc
    try:
        found, team = asyncio.run(diagnose(settings, config))
    except serve.ConfigError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(2) from exc
    click.echo(words.full_report(found, readiness.names(team), team.bot_names))
    if r.blocking(found):
        raise SystemExit(1)
