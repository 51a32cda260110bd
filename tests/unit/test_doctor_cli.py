"""``fsbot doctor`` as the operator runs it: a subprocess with the FSB_ environment, its output
a list of problems with what to do, its exit status 1 when a page would not reach someone."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from fakes.telegram_api import FakeTelegram
from subprocesses import fsb_env, fsbot

from bot.runtime.crypto import generate_key

TEAM = """\
[team]
name = "Test team"
timezone = "UTC"

[[members]]
id = "lena"
name = "Lena Lead"
roles = ["safety_contact", "lead"]
telegram = 4242

[[members]]
id = "sam"
name = "Sam Safety"
roles = ["safety_contact"]
telegram = 222222
"""


def test_doctor_exits_1_when_a_page_would_not_reach_someone(tmp_path: Path) -> None:
    (tmp_path / "team.toml").write_text(TEAM)  # Sam's id is an init example
    env = {
        "FSB_ENCRYPTION_KEY": generate_key(),
        "FSB_TELEGRAM_TOKEN": "1:x",
        "FSB_TELEGRAM_API_URL": "http://127.0.0.1:9/bot",
    }
    result = fsbot("doctor", cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stderr
    assert (
        "members[1].telegram: the Telegram id of Sam Safety is still the example" in result.stdout
    )
    assert "To do:" in result.stdout and "1:x" not in result.stdout


async def test_doctor_exits_0_when_every_page_can_reach_its_person(tmp_path: Path) -> None:
    (tmp_path / "team.toml").write_text(TEAM.replace("222222", "4343"))
    async with FakeTelegram() as fake:
        env = {
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
    assert process.returncode == 0, err.decode()
    # the database is made by `fsbot run`: nothing that stops a page, said without a "!"
    assert out.decode().startswith("1 problem:\n- There is no database at fsbot.db yet.")
    assert not (tmp_path / "fsbot.db").exists()
