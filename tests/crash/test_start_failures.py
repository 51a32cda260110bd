"""A bot that cannot start says why in one line and exits non-zero: never a traceback, never a
process that stays up doing nothing (a supervisor would think it runs).

Each case runs ``fsbot run`` as a real process against the local fake Telegram, which answers;
what fails is the database file, or the platform's address.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import re
import socket
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram
from subprocesses import REPO, fsb_env, fsbot
from teams import SLACK

from bot.runtime.crypto import generate_key

TEAM = SLACK.format(alice="telegram = 111")
LIMIT = 40.0  # seconds the process may take to give up
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (INFO|WARNING) ")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nobody listens there once this closes


def as_ordinary_user() -> None:
    """In the child, before exec: a root process ignores file permissions, so drop the
    capabilities that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER); an ordinary
    user has none of them anyway."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl")


async def fsbot_run(
    env: dict[str, str], preexec: Callable[[], None] | None = None
) -> tuple[int, list[str]]:
    """Run ``fsbot run``; return its exit code and the non-empty lines it wrote to stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=REPO,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        preexec_fn=preexec,
    )
    try:
        _, err = await asyncio.wait_for(process.communicate(), LIMIT)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"fsbot run was still running after {LIMIT} s") from None
    assert process.returncode is not None
    return process.returncode, [line for line in err.decode().splitlines() if line.strip()]


def settings(tmp_path: Path, database: Path, api_url: str) -> dict[str, str]:
    (tmp_path / "team.toml").write_text(TEAM)
    return fsb_env(
        {
            "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
            "FSB_DATABASE": f"sqlite:///{database}",
            "FSB_ENCRYPTION_KEY": generate_key(),
            "FSB_TELEGRAM_TOKEN": "123:ABC",
            "FSB_TELEGRAM_API_URL": api_url,
        }
    )


def one_line(code: int, lines: list[str], *words: str) -> str:
    """The process failed, its last words are one line saying why, and nothing else it wrote
    is a traceback or holds the token (log lines before it may say what it tried)."""
    assert code != 0
    assert lines, "nothing on stderr"
    *logged, line = lines
    assert line.startswith("Error: "), lines
    for word in words:
        assert word in line, line
    for earlier in lines:
        assert "Traceback" not in earlier and "123:ABC" not in earlier, lines
    assert all(LOG_LINE.match(earlier) for earlier in logged), lines
    return line


def a_database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE notes (text)")
    conn.executemany("INSERT INTO notes VALUES (?)", [("x" * 200,) for _ in range(100)])
    conn.commit()
    conn.close()
    return path


async def test_a_read_only_database_ends_run_with_one_line(tmp_path: Path) -> None:
    database = a_database(tmp_path / "bot.db")
    database.chmod(0o444)
    async with FakeTelegram() as fake:
        code, lines = await fsbot_run(
            settings(tmp_path, database, fake.base_url), preexec=as_ordinary_user
        )
    one_line(code, lines, str(database), "read-only")


async def test_a_corrupt_database_ends_run_with_one_line(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    database.write_bytes(os.urandom(16384))
    async with FakeTelegram() as fake:
        code, lines = await fsbot_run(settings(tmp_path, database, fake.base_url))
    one_line(code, lines, str(database), "damaged", "backup")


async def test_telegram_unreachable_at_start_ends_run_with_one_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/bot"
    code, lines = await fsbot_run(settings(tmp_path, tmp_path / "bot.db", url))
    one_line(code, lines, url, "FSB_TELEGRAM_API_URL")


# -- beyond the given inputs ----------------------------------------------------------------------


async def test_a_database_damaged_inside_ends_run_with_one_line(tmp_path: Path) -> None:
    """A valid header, damaged pages: found at start, not at the first report."""
    database = a_database(tmp_path / "bot.db")
    with open(database, "r+b") as file:
        file.seek(4096)  # all of page 2, a page of the table
        file.write(os.urandom(4096))
    async with FakeTelegram() as fake:
        code, lines = await fsbot_run(settings(tmp_path, database, fake.base_url))
    one_line(code, lines, "damaged")


async def test_a_database_path_that_cannot_be_a_file_ends_run_with_one_line(
    tmp_path: Path,
) -> None:
    database = tmp_path / "bot.db"
    database.mkdir()  # a folder where the file should be
    async with FakeTelegram() as fake:
        code, lines = await fsbot_run(settings(tmp_path, database, fake.base_url))
    one_line(code, lines, "Cannot open", str(database))


async def test_slack_unreachable_at_start_ends_run_with_one_line(tmp_path: Path) -> None:
    env = settings(tmp_path, tmp_path / "bot.db", "unused")
    del env["FSB_TELEGRAM_TOKEN"]
    url = f"http://127.0.0.1:{closed_port()}/api/"
    env |= {
        "FSB_SLACK_BOT_TOKEN": "xoxb-test-token",
        "FSB_SLACK_SIGNING_SECRET": "secret",
        "FSB_SLACK_API_URL": url,
        "FSB_SLACK_PORT": str(closed_port()),
    }
    code, lines = await fsbot_run(env)
    one_line(code, lines, "FSB_SLACK_API_URL", "no connection")


async def test_a_telegram_api_that_never_answers_ends_run_with_one_line(tmp_path: Path) -> None:
    """A server that takes the connection and says nothing: no hang either."""
    silent = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    async with silent:
        code, lines = await fsbot_run(
            settings(tmp_path, tmp_path / "bot.db", f"http://127.0.0.1:{port}/bot")
        )
    one_line(code, lines, "no answer in time")


@pytest.mark.parametrize(
    "command", [["purge"], ["stats", "--from", "2027-08-10", "--to", "2027-08-14"]]
)
def test_other_commands_on_a_corrupt_database_end_with_one_line(
    tmp_path: Path, command: list[str]
) -> None:
    database = tmp_path / "bot.db"
    database.write_bytes(os.urandom(16384))
    (tmp_path / "team.toml").write_text(TEAM)
    env = {
        "FSB_DATABASE": f"sqlite:///{database}",
        "FSB_ENCRYPTION_KEY": generate_key(),
        "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
    }
    result = fsbot(*command, env=env, cwd=tmp_path, timeout=LIMIT)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    one_line(result.returncode, lines, "damaged")
