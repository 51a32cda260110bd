"""``fsbot doctor`` on a PostgreSQL database (``FSB_DATABASE=postgresql://...``): the same
database findings as on an SQLite file (tests/adapters/test_doctor.py), read from a fresh
database on the local server per test, and a server that cannot be reached is one blocking
problem that names the server and never its password.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlack
from fakes.telegram_api import FakeTelegram
from pgdb import fresh_database, query
from subprocesses import fsb_env
from test_doctor import CHANNEL_SLACK, LENA_TG, TEAM, Setup

from bot.config.settings import Settings
from bot.config.teamfile import parse_team_text
from bot.domain import readiness as r
from bot.ports.events import Address, Outbound
from bot.runtime.crypto import Cipher, generate_key
from bot.text import readiness_reports as reports
from bot.text.richtext import rich
from storage.postgres.store import PostgresStore

# Nothing listens on port 9 (discard) here: the connection is refused at once.
UNREACHABLE = "postgresql://fsbot:s3cret-pw@127.0.0.1:9/fsbot"


def _settings(database: str, key: str, telegram: FakeTelegram, slack: FakeSlack) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database=database,
        encryption_key=key,
        telegram_token="123:abc",
        telegram_api_url=telegram.base_url,
        slack_bot_token="xoxb-test",
        slack_app_token="xapp-test",
        slack_api_url=slack.api_url,
    )


@pytest.fixture
async def pg_setup() -> AsyncIterator[Setup]:
    key = generate_key()
    with fresh_database() as url:
        store = PostgresStore(url, Cipher(key))
        await store.open()  # as `fsbot run` leaves it: migrated, sealed with the key
        await store.close()
        async with FakeTelegram(rate_limits=False) as telegram, FakeSlack() as slack:
            settings = _settings(url, key, telegram, slack)
            yield Setup(telegram, slack, settings, parse_team_text(TEAM), key)


def _tables(url: str) -> set[str]:
    rows = query(
        url,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
    )
    return {str(row[0]) for row in rows}


async def test_a_ready_postgres_database_has_no_problems(pg_setup: Setup) -> None:
    assert await pg_setup.run() == []


async def test_a_postgres_database_made_with_another_key(pg_setup: Setup) -> None:
    pg_setup.settings.encryption_key = type(pg_setup.settings.encryption_key)(generate_key())  # type: ignore[misc,call-arg]
    found = await pg_setup.run()
    assert [(f.kind, f.blocking) for f in found] == [(r.WRONG_KEY, True)]
    assert r.blocking(found)


async def test_a_message_stuck_in_the_postgres_outbox(pg_setup: Setup) -> None:
    url = pg_setup.settings.database
    store = PostgresStore(url, Cipher(pg_setup.key))
    await store.open()
    try:
        message = Outbound(Address("telegram", str(LENA_TG)), rich("hello"))
        async with store.transaction() as tx:
            await tx.enqueue(message, purpose="notice", case_id=None, now=datetime.now(UTC))
        assert await pg_setup.kinds() == set()  # just written: on its way
        async with store.transaction() as tx:
            old = datetime.now(UTC) - timedelta(minutes=2)
            await tx.enqueue(message, purpose="notice", case_id=None, now=old)
    finally:
        await store.close()
    found = await pg_setup.run()
    assert [(f.kind, f.facts.get("count"), f.blocking) for f in found] == [
        (r.OUTBOX_STUCK, 1, True)
    ]
    # doctor only read: both messages still wait to be sent
    assert query(url, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == [(2,)]


async def test_an_empty_postgres_database_is_read_and_left_as_it_was(pg_setup: Setup) -> None:
    with fresh_database() as url:
        pg_setup.settings.database = url
        found = await pg_setup.run()
        assert [(f.kind, f.blocking) for f in found] == [(r.MIGRATIONS_PENDING, False)]
        assert _tables(url) == set()  # no migration, no key seal: doctor writes nothing


async def test_a_postgres_database_that_does_not_exist(pg_setup: Setup) -> None:
    missing = pg_setup.settings.database + "_gone"
    pg_setup.settings.database = missing
    found = await pg_setup.run()
    assert [(f.kind, f.blocking) for f in found] == [(r.DATABASE_FAULT, True)]
    text = reports.full_report(found, {})
    assert "check that it exists" in text and missing.rsplit("/", 1)[1] in text


async def test_an_unreachable_postgres_server(pg_setup: Setup) -> None:
    pg_setup.settings.database = UNREACHABLE
    found = await pg_setup.run()
    assert [(f.kind, f.blocking) for f in found] == [(r.DATABASE_FAULT, True)]
    text = reports.full_report(found, {})
    assert "127.0.0.1:9/fsbot" in text and "is the server running" in text
    assert "s3cret-pw" not in text


async def test_doctor_exits_1_for_an_unreachable_postgres_server(tmp_path: Path) -> None:
    # Lena and Sam on Telegram only: no Slack channel, no outside contact
    team = TEAM.split("\n[[external]]")[0].replace(f'slack = "{CHANNEL_SLACK}"\n', "")
    (tmp_path / "team.toml").write_text(team)
    async with FakeTelegram() as fake:
        env = {
            "FSB_DATABASE": UNREACHABLE,
            "FSB_ENCRYPTION_KEY": generate_key(),
            "FSB_TELEGRAM_TOKEN": "1:x",
            "FSB_TELEGRAM_API_URL": fake.base_url,
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "doctor",
            cwd=tmp_path,
            env=fsb_env(env),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
        assert fake.violations == []
    output = out.decode() + err.decode()
    assert process.returncode == 1, output
    assert output.startswith("1 problem:\n! The database cannot be used:"), output
    assert "127.0.0.1:9/fsbot" in output and "s3cret-pw" not in output
