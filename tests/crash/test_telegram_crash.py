"""``fsbot run`` on Telegram as a real process, killed with SIGKILL right after a report commits;
on each store (an SQLite file, a PostgreSQL database)."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.telegram_api import FakeTelegram
from pgdb import query
from subprocesses import fsb_env, start_run
from test_telegram import ALICE, SAM, file_report, texts

from bot.runtime.crypto import generate_key


def team_file(path: Path) -> None:
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    path.write_text(f"""\
[team]
name = "Telegram crash team"
timezone = "UTC"

[channels]
telegram = -100500

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]
telegram = {ALICE}

[[members]]
id = "lena"
name = "Lena"
roles = ["lead"]
telegram = 333

[[rota]]
member = "alice"
start = {(now - timedelta(hours=1)).isoformat()}
end = {(now + timedelta(hours=1)).isoformat()}
""")


def nothing_pending(database: str) -> bool:
    return query(database, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'")[0][0] == 0


async def test_killed_after_the_report_commits_one_case_one_page(
    tmp_path: Path, database: str
) -> None:
    team_file(tmp_path / "team.toml")
    async with FakeTelegram() as fake:
        env = fsb_env(
            {
                "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
                "FSB_DATABASE": database,
                "FSB_ENCRYPTION_KEY": generate_key(),
                "FSB_TELEGRAM_TOKEN": "123:ABC",
                "FSB_TELEGRAM_API_URL": fake.base_url,
            }
        )
        first = await start_run({**env, "FSB_FAILPOINT": "after_commit:case_opened"})
        report = asyncio.create_task(file_report(fake))
        await asyncio.wait_for(first.wait(), 60)
        assert first.returncode == -signal.SIGKILL
        report.cancel()
        assert not any("Your report is in" in t for t in texts(fake, SAM))
        assert texts(fake, ALICE) == []

        second = await start_run(env)
        try:
            await fake.wait_for(lambda: texts(fake, ALICE), timeout=30)
            await fake.wait_for(
                lambda: any("Your report is in" in t for t in texts(fake, SAM)), timeout=10
            )
            # No waiting for duplicates to show up: updates are handled in order, so once a
            # later message is answered the redelivered one has been handled (or ignored), and
            # once the outbox has nothing left, everything it caused has been sent.
            fake.push_message(SAM, "/help")
            await fake.wait_for(lambda: any("What I can do" in t for t in texts(fake, SAM)))
            await fake.wait_for(lambda: nothing_pending(database), timeout=10)
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), 20)
        assert second.returncode == 0, (await second.stderr.read()).decode()  # type: ignore[union-attr]
        codes = [row[0] for row in query(database, "SELECT code FROM cases")]
        assert len(codes) == 1
        pages = [t for t in texts(fake, ALICE) if "A new report needs a safety contact." in t]
        assert len(pages) == 1 and codes[0] in pages[0]
        assert sum("Your report is in" in t for t in texts(fake, SAM)) == 1
        assert fake.violations == []
