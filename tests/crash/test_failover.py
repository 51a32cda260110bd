"""Two ``fsbot run`` processes on one PostgreSQL database against the fake Telegram: the one
that polls is killed with SIGKILL while a report is escalating, and the other takes over.

What a person would notice: a report sent while no process was polling is answered and paged
once; the escalating report climbs its chain exactly once per step (nobody is paged twice for one
step); Telegram never sees two pollers at once (it would answer 409 Conflict).
"""

from __future__ import annotations

import asyncio
import random
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from fakes.telegram_api import FakeTelegram
from pgdb import fresh_database
from subprocesses import fsb_env, start_run
from test_telegram import ALICE, BOB, LENA, SAM, file_report, texts

from bot.runtime.crypto import Cipher, generate_key

KIM = 777
PAGE = "A new report needs a safety contact."


def team_file(path: Path, wait: str) -> None:
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    path.write_text(f"""\
[team]
name = "Failover team"
timezone = "UTC"

[channels]
telegram = -100500

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]
telegram = {ALICE}

[[members]]
id = "bob"
name = "Bob"
roles = ["safety_contact"]
telegram = {BOB}

[[members]]
id = "lena"
name = "Lena"
roles = ["lead"]
telegram = {LENA}

[[rota]]
member = "alice"
start = {(now - timedelta(hours=1)).isoformat()}
end = {(now + timedelta(hours=1)).isoformat()}

[escalation]
steps = [
  {{ notify = ["on_duty"], wait = "{wait}" }},
  {{ notify = ["member:bob"], wait = "{wait}" }},
  {{ notify = ["leads"], wait = "{wait}" }},
]
repeat = 0
""")


def pages(fake: FakeTelegram, chat: int, code: str) -> int:
    return sum(PAGE in t and code in t for t in texts(fake, chat))


def polls(fake: FakeTelegram) -> int:
    return sum(method == "getUpdates" for method, _ in fake.calls)


def paged_members(url: str, key: str, code: str) -> Counter[str]:
    """Who the audit trail says was paged for ``code``, and how often."""
    cipher = Cipher(key)
    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT e.detail_enc FROM case_events e JOIN cases c ON c.id = e.case_id"
            " WHERE c.code = %s AND e.kind = 'paged'",
            (code,),
        ).fetchall()
    return Counter(str(cipher.decrypt_json(row[0], "audit")["member"]) for row in rows)


def case_codes(url: str) -> list[str]:
    with psycopg.connect(url) as db:
        return [row[0] for row in db.execute("SELECT code FROM cases ORDER BY id")]


def pending(url: str) -> int:
    with psycopg.connect(url) as db:
        row = db.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()
    return int(row[0]) if row else 0


async def test_the_standby_takes_over_polling_and_the_escalation_when_the_poller_dies(
    tmp_path: Path,
) -> None:
    team_file(tmp_path / "team.toml", wait="12s")
    key = generate_key()
    with fresh_database() as url:
        async with FakeTelegram() as fake:
            env = fsb_env(
                {
                    "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
                    "FSB_DATABASE": url,
                    "FSB_ENCRYPTION_KEY": key,
                    "FSB_TELEGRAM_TOKEN": "123:ABC",
                    "FSB_TELEGRAM_API_URL": fake.base_url,
                }
            )
            first = await start_run(env)
            await fake.wait_for(lambda: polls(fake) > 0, timeout=60)  # the first one polls
            second = await start_run(env)
            try:
                code = await file_report(fake, SAM)  # taken by the first process
                await fake.wait_for(lambda: pages(fake, ALICE, code) >= 1, timeout=10)
                first.send_signal(signal.SIGKILL)
                killed = time.monotonic()
                await asyncio.wait_for(first.wait(), 20)

                # The next update, sent while nobody polls, is taken by the second process.
                fake.push_message(KIM, "/help")
                await fake.wait_for(lambda: any("What I can do" in t for t in texts(fake, KIM)))
                took_over = time.monotonic() - killed
                # A report sent during the failover is not lost.
                during = await file_report(fake, KIM)
                await fake.wait_for(lambda: pages(fake, ALICE, during) >= 1, timeout=10)

                # The first report escalates on the second process: Bob, then the leads.
                await fake.wait_for(lambda: pages(fake, BOB, code) >= 1, timeout=60)
                await fake.wait_for(lambda: pages(fake, LENA, code) >= 1, timeout=60)
                await fake.wait_for(lambda: pending(url) == 0, timeout=20)
            finally:
                for process in (first, second):
                    if process.returncode is None:
                        process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(second.wait(), 20)
            assert second.returncode == 0, (await second.stderr.read()).decode()  # type: ignore[union-attr]

            print(f"failover: the next update was taken {took_over:.1f} s after the kill")
            assert case_codes(url) == [code, during]
            # Each step of the chain fired once: everyone paged once for it, by the audit trail
            # and in their chats (a page re-sent because the kill came mid-send would show here
            # as a second message to Alice, and is allowed: it is counted, not hidden).
            assert paged_members(url, key, code) == Counter({"alice": 1, "bob": 1, "lena": 1})
            assert pages(fake, BOB, code) == 1
            assert pages(fake, LENA, code) == 1
            assert pages(fake, ALICE, code) in (1, 2)
            assert pages(fake, ALICE, during) == 1
            assert sum("Your report is in" in t for t in texts(fake, KIM)) == 1
            # Never two pollers at once: Telegram would have answered one of them 409.
            assert [e for e in fake.errors if e[1] == 409] == []
            assert fake.violations == []


def overdue_timers(url: str) -> int:
    """Pending deadlines more than a few seconds past due: a timer nobody fires."""
    with psycopg.connect(url) as db:
        row = db.execute(
            "SELECT COUNT(*) FROM timers WHERE status = 'pending'"
            " AND due_at < EXTRACT(EPOCH FROM now()) - 10"
        ).fetchone()
    return int(row[0]) if row else 0


async def test_random_kills_of_either_process_lose_no_report_and_no_timer(tmp_path: Path) -> None:
    """The crash tests' chaos on two processes: reports are filed one after another while a
    random process is SIGKILLed at a random moment and started again."""
    chance = random.Random(20)
    team_file(tmp_path / "team.toml", wait="4s")
    key = generate_key()
    with fresh_database() as url:
        async with FakeTelegram() as fake:
            env = fsb_env(
                {
                    "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
                    "FSB_DATABASE": url,
                    "FSB_ENCRYPTION_KEY": key,
                    "FSB_TELEGRAM_TOKEN": "123:ABC",
                    "FSB_TELEGRAM_API_URL": fake.base_url,
                }
            )
            processes = [await start_run(env), await start_run(env)]
            await fake.wait_for(lambda: polls(fake) > 0, timeout=60)
            told: list[str] = []
            kills = 0
            try:
                for round_ in range(6):
                    reporter = 900 + round_
                    report = asyncio.create_task(file_report(fake, reporter))
                    await asyncio.wait({report}, timeout=chance.uniform(0.2, 2.5))
                    victim = chance.randrange(2)
                    processes[victim].send_signal(signal.SIGKILL)
                    await asyncio.wait_for(processes[victim].wait(), 20)
                    kills += 1
                    processes[victim] = await start_run(env)
                    told.append(await asyncio.wait_for(report, 120))
                # every chain runs out (three steps of 4 s) and everything queued goes out
                await fake.wait_for(
                    lambda: all(pages(fake, LENA, code) >= 1 for code in told), timeout=120
                )
                await fake.wait_for(lambda: pending(url) == 0, timeout=30)
            finally:
                for process in processes:
                    if process.returncode is None:
                        process.send_signal(signal.SIGTERM)
                for process in processes:
                    await asyncio.wait_for(process.wait(), 20)
            assert kills == 6
            # Every report told a code exists exactly once and was paged, each step once.
            assert sorted(case_codes(url)) == sorted(told)
            for code in told:
                assert paged_members(url, key, code) == Counter({"alice": 1, "bob": 1, "lena": 1})
                assert pages(fake, ALICE, code) >= 1
            assert overdue_timers(url) == 0
            assert [e for e in fake.errors if e[1] == 409] == []
            assert fake.violations == []
