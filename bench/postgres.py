"""Report to page on PostgreSQL beside SQLite, and a crowd on two processes sharing PostgreSQL.

(1) ``--reports`` reports one after another through the real bot polling the fake Telegram
    (bench/telegram_latency.py's (b)), once on an SQLite file and once on a fresh PostgreSQL
    database, in one run: the time from the fake handing out the "Send report" press to the
    on-duty page arriving, p50 and p99 of each, side by side.
(2) ``--crowd`` reporters at once against two real ``fsbot run`` processes on one PostgreSQL
    database (one polls Telegram and sends the outbox; both fire timers): all are driven to the
    summary, then all press "Send report" together. Wall time from the first press to the last
    page, beside the floor Telegram's 30 messages a second sets for that many pages; cases in
    the database, pages, flood-limit hits (must be 0) and spec violations at the fake.

(3) ``--failovers`` times: of two processes on one PostgreSQL database, the one polling Telegram
    is killed with SIGKILL and started again; the time from the kill to the answer to the next
    update (sent right after the kill), which the other process took, beside the target of 5 s
    for taking it.

    .venv/bin/python bench/postgres.py [--reports 50] [--crowd 500] [--failovers 5]

The PostgreSQL server is the local one (127.0.0.1:5432, as the tests use it: FSB_TEST_POSTGRES
names another); each part makes its own database and drops it. Progress goes to stderr, figures
to stdout; the exit status is 1 only when something was wrong rather than slow.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgdb import fresh_database
from telegram_latency import (
    ALICE,
    CHANNEL,
    FIRST_REPORTER,
    SEND,
    TOKEN,
    TimedFake,
    describe,
    log,
    press,
    sequential_reports,
    to_summary,
)

from bot.runtime.crypto import generate_key

REPO = Path(__file__).resolve().parent.parent
PAGES_PER_SECOND = 30  # Telegram's limit for a bot's messages, which paces the crowd's pages


def team_text() -> str:
    """A team with Alice (the fake's page chat) on duty now, in real time."""
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    return f"""\
[team]
name = "Bench team"
timezone = "UTC"

[channels]
telegram = {CHANNEL}

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
end = {(now + timedelta(hours=3)).isoformat()}

[escalation]
steps = [{{ notify = ["on_duty"], wait = "30m" }}, {{ notify = ["leads"], wait = "30m" }}]
repeat = 0
"""


async def start_run(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=REPO,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def crowd_on_two(crowd: int, folder: Path, concurrency: int, timeout: float) -> int:
    """(2); returns 1 if something was wrong."""
    (folder / "team.toml").write_text(team_text())
    (folder / "key").write_text(generate_key())
    users = [FIRST_REPORTER + n for n in range(crowd)]
    with fresh_database() as url:
        async with TimedFake(page_chat=ALICE, channel=CHANNEL) as fake:
            env = bot_env(folder, url, fake)
            processes = [await start_run(env), await start_run(env)]
            try:
                await fake.until(lambda: bool(fake.calls_to("getUpdates")), 60, "a poller")
                gate = asyncio.Semaphore(concurrency)
                driving = time.perf_counter()

                async def drive(user: int) -> None:
                    async with gate:
                        await to_summary(fake, user)

                await asyncio.gather(*(drive(user) for user in users))
                log(f"(2) {crowd} at the summary in {time.perf_counter() - driving:.0f} s")
                first_push = time.perf_counter()
                for user in users:
                    press(fake, user, SEND)
                timed_out = False
                try:
                    await fake.until(lambda: len(fake.pages) >= crowd, timeout, "every page")
                except TimeoutError as error:
                    log(f"(2) {error}")
                    timed_out = True
                last_page = max(fake.pages.values(), default=first_push)
            finally:
                for process in processes:
                    if process.returncode is None:
                        process.send_signal(signal.SIGTERM)
                await asyncio.gather(*(p.wait() for p in processes))
            with psycopg.connect(url) as db:
                row = db.execute("SELECT COUNT(*) FROM cases").fetchone()
            cases = int(row[0]) if row else 0
    wall = last_page - first_push
    floor = crowd / PAGES_PER_SECOND
    note = " (TIMED OUT before every page arrived)" if timed_out else ""
    print(f"(2) crowd of {crowd} on two processes sharing PostgreSQL:")
    print(
        f"    first press -> last page: {wall:.1f} s{note}"
        f" (floor at {PAGES_PER_SECOND} messages/s: {floor:.1f} s)"
    )
    print(f"    cases created: {cases}  pages delivered: {len(fake.pages)}")
    print(f"    fake.rate_limited: {fake.rate_limited}  fake.violations: {len(fake.violations)}")
    wrong = timed_out or cases != crowd or len(fake.pages) != crowd
    return int(wrong or bool(fake.rate_limited) or bool(fake.violations))


async def main(args: argparse.Namespace) -> int:
    status = 0
    with tempfile.TemporaryDirectory(prefix="fsb-postgres-bench-") as tmp:
        folder = Path(tmp)
        log(f"(1) {args.reports} reports one after another on SQLite")
        on_sqlite = await sequential_reports(args.reports, folder / "sequential.db", args.poll)
        log(f"(1) {args.reports} reports one after another on PostgreSQL")
        with fresh_database() as url:
            on_postgres = await sequential_reports(args.reports, url, args.poll)
        print(f"(1) 'Send report' handed out -> page, {args.reports} reports each:")
        print(f"    SQLite:     {describe(on_sqlite.handout_to_page)}")
        print(f"    PostgreSQL: {describe(on_postgres.handout_to_page)}")
        for result in (on_sqlite, on_postgres):
            if result.rate_limited or result.violations:
                status = 1
        if args.crowd > 0:
            status |= await crowd_on_two(args.crowd, folder, args.concurrency, args.timeout)
        if args.failovers > 0:
            status |= await failovers(args.failovers, folder)
    return status


FAILOVER_TARGET = 5.0  # seconds from the poller's death to the next update taken


def listening(url: str) -> int:
    """How many bot processes listen for wake-ups on the database (one connection each)."""
    with psycopg.connect(url) as db:
        row = db.execute(
            "SELECT COUNT(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND query LIKE 'LISTEN%%'"
        ).fetchone()
    return int(row[0]) if row else 0


def bot_env(folder: Path, url: str, fake: TimedFake) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FSB_")}
    env.update(
        {
            "FSB_TEAM_FILE": str(folder / "team.toml"),
            "FSB_DATABASE": url,
            "FSB_ENCRYPTION_KEY": (folder / "key").read_text(),
            "FSB_TELEGRAM_TOKEN": TOKEN,
            "FSB_TELEGRAM_API_URL": fake.base_url,
            "FSB_HEALTH_PORT": "0",  # two processes on one machine
            "FSB_LOG_LEVEL": "ERROR",
        }
    )
    return env


async def failovers(rounds: int, folder: Path) -> int:
    """(3); returns 1 if something was wrong."""
    (folder / "team.toml").write_text(team_text())
    (folder / "key").write_text(generate_key())
    samples: list[float] = []
    with fresh_database() as url:
        async with TimedFake(page_chat=ALICE, channel=CHANNEL) as fake:
            env = bot_env(folder, url, fake)
            processes = [await start_run(env)]
            await fake.until(lambda: bool(fake.calls_to("getUpdates")), 60, "a poller")
            processes.append(await start_run(env))
            try:
                for n in range(rounds):
                    # both up: the older one polls, the newer one stands by
                    await fake.until(lambda: listening(url) == 2, 60, "two processes")
                    poller = n % 2
                    processes[poller].send_signal(signal.SIGKILL)
                    killed = time.perf_counter()
                    # The dead poller's long poll may still take the update at the fake (its
                    # socket is gone): the figure ends at the answer, from the live process.
                    user = FIRST_REPORTER + n
                    fake.push_message(user, "/help")
                    await fake.until(lambda u=user: fake.chat_log[u], 60, "the answer")
                    samples.append(fake.chat_log[user][0][0] - killed)
                    log(f"(3) failover {n + 1}/{rounds}: {samples[-1]:.2f} s")
                    await processes[poller].wait()
                    processes[poller] = await start_run(env)
            finally:
                for process in processes:
                    if process.returncode is None:
                        process.send_signal(signal.SIGTERM)
                await asyncio.gather(*(p.wait() for p in processes))
            conflicts = sum(1 for error in fake.errors if error[1] == 409)
    verdict = "met" if max(samples) <= FAILOVER_TARGET else "MISSED"
    print(
        f"(3) {rounds} failovers, SIGKILL of the poller -> the next update answered by the other:"
    )
    print(f"    {describe(samples)} (target <= {FAILOVER_TARGET:.0f} s: {verdict})")
    print(f"    409 Conflicts at the fake (two pollers at once): {conflicts}")
    return int(bool(conflicts))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reports", type=int, default=50, help="reports for (1), on each store")
    parser.add_argument("--crowd", type=int, default=500, help="reporters at once for (2)")
    parser.add_argument("--concurrency", type=int, default=50, help="(2): driven at once")
    parser.add_argument("--poll", type=int, default=1, help="getUpdates timeout of (1)'s bot, s")
    parser.add_argument("--timeout", type=float, default=1800, help="(2): give up after, s")
    parser.add_argument("--failovers", type=int, default=5, help="poller kills for (3)")
    args = parser.parse_args(argv)
    if args.reports < 1 or args.crowd < 0 or args.concurrency < 1:
        parser.error("--reports and --concurrency must be at least 1, --crowd >= 0")
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
