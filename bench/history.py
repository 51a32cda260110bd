"""Years of history, still instant: the team's views, the transparency report and the purge over
a long history (issue 19's targets, each printed beside its figure).

The history is made through the store's own API (``add_report``, ``add_case``, ``save_case``) in
a real SQLite file (WAL): ``--cases`` cases over three years, all but ``--open`` closed with an
outcome and a review date already past (so the purge has them all to do), the open ones spread
over every open state, a few with a fresh alert. Then, each in its own transaction as the bot
runs them, with the real services and text:

- the views: ``/summary`` (counts, waiting cases, who is on duty), ``/cases`` (open cases, their
  reports read in one trip and decrypted for the conflict check), ``/oncall``, App Home for a
  handler, the daily post;
  p50 and p99 over ``--repeat`` runs, and the growth of the process's resident memory over them;
- a page's delay while ``/summary`` runs back to back, and without it: a second connection (the
  bot's page path) commits an outbox row every 20 ms; its commit time, p50 / p99 / max;
- ``fsbot stats`` over the whole history (the CLI's own function);
- ``fsbot purge`` over every due case (the CLI's own function, in batches) while pages commit
  beside it: its time, peak memory and the longest page delay;

    .venv/bin/python bench/history.py [--cases 100000] [--open 40] [--repeat 200]

The idle memory of ``fsbot run`` is not measured here (see the report of issue 19).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config.demo import demo_team_text
from bot.config.teamfile import parse_team_text
from bot.domain.model import OPEN_STATES, OUTCOMES, CaseState, Report, ReportBody, Severity
from bot.domain.policy import EscalationPolicy
from bot.domain.team import CONSOLE, Team
from bot.main import housekeeping
from bot.ports.events import Address, Outbound
from bot.ports.store import NewCase
from bot.runtime.crypto import Cipher, generate_key
from bot.services import conflicts, rota
from bot.text.richtext import rich
from bot.text.team_summary import summary_text
from bot.uow import UnitOfWork
from storage.sqlite.store import SqliteStore

NOW = datetime.now(UTC).replace(microsecond=0)
POLICY = EscalationPolicy.from_dict({"steps": [{"notify": ["duty"], "wait": 300}], "repeat": 2})
PER_TX = 2000


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of a sorted, non-empty list."""
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def rss_mib() -> float:
    """Resident memory now (Linux /proc), MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def figure(name: str, value: str, target: str) -> None:
    print(f"{name:<44} {value:>22}   target {target}")


async def generate(
    store: SqliteStore, count: int, open_count: int, rng: random.Random, *, due: bool = True
) -> None:
    """``count`` cases over three years, the last ``open_count`` open; the closed ones due for
    the purge (``due``) or reviewed a year from now."""
    open_states = sorted(OPEN_STATES, key=lambda s: s.value)
    start = NOW - timedelta(days=3 * 365)
    step = (NOW - timedelta(days=1) - start) / max(1, count)
    made = 0
    while made < count:
        async with store.transaction() as tx:
            for n in range(made, min(made + PER_TX, count)):
                created = start + step * n
                body = ReportBody(account=[f"what happened {n}"], where="venue")
                report_id = await tx.add_report(Report(None, created, body, None), f"r{n % 5000}")
                severity = rng.choice(list(Severity))
                case = await tx.add_case(
                    NewCase(
                        report_id, severity, "pseudonymous", [], POLICY, f"r{n % 5000}", created
                    )
                )
                is_open = n >= count - open_count
                if is_open:
                    case.state = open_states[n % len(open_states)]
                    case.created_at = created
                    if case.state != CaseState.NEW:
                        case.assignee = rng.choice(["alice", "bob"])
                        case.acknowledged_at = created + timedelta(minutes=3)
                    if n % 7 == 0:
                        case.alert_at = NOW - timedelta(minutes=2)
                else:
                    case.state = CaseState.CLOSED
                    case.assignee = "alice"
                    case.acknowledged_at = created + timedelta(seconds=rng.expovariate(1 / 300))
                    case.outcome = rng.choice(OUTCOMES)
                    reviewed = created + timedelta(hours=1)
                    case.review_at = reviewed if due else NOW + timedelta(days=365)
                case.updated_at = created + timedelta(hours=1)
                await tx.save_case(case)
            made = min(made + PER_TX, count)
        print(f"  generated {made}/{count}", file=sys.stderr, end="\r")
    print(file=sys.stderr)


View = Callable[[UnitOfWork], Awaitable[object]]


async def summary(uow: UnitOfWork) -> object:
    counts = await uow.tx.open_case_counts()
    waiting = await uow.tx.awaiting_ack_cases()
    return summary_text(counts, waiting, uow.team, uow.now, await rota.on_duty(uow))


async def cases_view(uow: UnitOfWork) -> object:
    alice = uow.team.member("alice")
    assert alice is not None
    return await conflicts.visible(uow, await uow.tx.open_cases(), alice)


async def oncall(uow: UnitOfWork) -> object:
    return await rota.on_duty(uow)


async def app_home(uow: UnitOfWork) -> object:
    return (
        await rota.on_duty(uow),
        await uow.tx.open_cases(assignee="alice"),
        await uow.tx.cases_for_reporter("r42"),
    )


async def daily_post(uow: UnitOfWork) -> object:
    return await rota.daily_text(uow)


VIEWS: dict[str, View] = {
    "/summary": summary,
    "/cases": cases_view,
    "/oncall": oncall,
    "App Home": app_home,
    "daily post": daily_post,
}


async def run_view(store: SqliteStore, team: Team, cipher: Cipher, view: View) -> float:
    return (await timed_view(store, team, cipher, view))[0]


async def timed_view(
    store: SqliteStore, team: Team, cipher: Cipher, view: View
) -> tuple[float, float]:
    """One run of ``view`` in its own transaction: wall time and CPU time (every thread of the
    process, the database's included), seconds. On a machine shared with other work the wall
    time includes waiting for a core; the CPU time does not."""
    t0, cpu0 = time.perf_counter(), time.process_time()
    async with store.transaction() as tx:
        await view(UnitOfWork(tx, NOW, team, cipher))
    return time.perf_counter() - t0, time.process_time() - cpu0


class Pager:
    """The bot's page path on its own connection: commit an outbox row every ``every`` s, and
    note the process's resident memory each time (``peak_rss``)."""

    def __init__(self, store: SqliteStore, every: float = 0.02) -> None:
        self.store = store
        self.every = every
        self.delays: list[float] = []
        self.peak_rss = rss_mib()
        self._stop = asyncio.Event()

    async def run(self) -> None:
        message = Outbound(Address("telegram", "111"), rich("page"))
        while not self._stop.is_set():
            t0 = time.perf_counter()
            async with self.store.transaction() as tx:
                await tx.enqueue(message, purpose="page", case_id=None, now=NOW)
            self.delays.append(time.perf_counter() - t0)
            self.peak_rss = max(self.peak_rss, rss_mib())
            await asyncio.sleep(self.every)

    def stop(self) -> None:
        self._stop.set()


def describe(delays: list[float]) -> str:
    ordered = sorted(delays)
    if not ordered:
        return "none"
    return (
        f"p50 {percentile(ordered, 0.5) * 1000:.1f} p99 {percentile(ordered, 0.99) * 1000:.1f}"
        f" max {ordered[-1] * 1000:.1f} ms"
    )


async def pages_beside(store: SqliteStore, work: Callable[[], Awaitable[object]]) -> Pager:
    pager = Pager(store)
    task = asyncio.create_task(pager.run())
    try:
        await work()
    finally:
        pager.stop()
        await task
    return pager


async def bench(args: argparse.Namespace) -> int:
    key = generate_key()
    cipher = Cipher(key)
    team_text = demo_team_text(NOW)
    config = parse_team_text(team_text, "demo.toml")
    team = Team(config, [CONSOLE])
    rng = random.Random(19)
    with tempfile.TemporaryDirectory(prefix="fsb-history-") as tmp:
        path = Path(tmp) / "history.db"
        store = SqliteStore(path, cipher)
        await store.open()
        pages = SqliteStore(path, cipher)
        await pages.open()
        t0 = time.perf_counter()
        await generate(store, args.cases, args.open, rng)
        print(
            f"history: {args.cases} cases ({args.open} open) made in"
            f" {time.perf_counter() - t0:.1f} s"
        )
        for view in VIEWS.values():  # warm caches once, as a running bot has them
            await run_view(store, team, cipher, view)
        rss_before = rss_mib()
        for name, view in VIEWS.items():
            runs = [await timed_view(store, team, cipher, view) for _ in range(args.repeat)]
            times, cpu = sorted(r[0] for r in runs), sorted(r[1] for r in runs)
            figure(
                f"{name} p50 / p99",
                f"{percentile(times, 0.5) * 1000:.2f} / {percentile(times, 0.99) * 1000:.2f} ms",
                "p50 < 10 ms, p99 < 50 ms",
            )
            figure(
                "  its CPU time p50 / p99",
                f"{percentile(cpu, 0.5) * 1000:.2f} / {percentile(cpu, 0.99) * 1000:.2f} ms",
                "",
            )
        figure(
            "memory growth over all views",
            f"{rss_mib() - rss_before:+.1f} MiB",
            "none that grows with closed history",
        )

        # In the bot, pages and /summary share one store: a page waits for the summary's
        # transaction to end. (The purge below is another process: its own connection.)
        quiet = (await pages_beside(store, lambda: asyncio.sleep(args.quiet))).delays

        async def summaries() -> None:
            end = time.perf_counter() + args.quiet
            while time.perf_counter() < end:
                await run_view(store, team, cipher, summary)

        busy = (await pages_beside(store, summaries)).delays
        figure("page commit, quiet", describe(quiet), "")
        figure("page commit, /summary back to back", describe(busy), "no later than quiet")

        first, last = (NOW - timedelta(days=3 * 365)).date(), NOW.date()
        t0, cpu0 = time.perf_counter(), time.process_time()
        report = await housekeeping.transparency(path, key, config, first, last)
        cpu = time.process_time() - cpu0
        figure(
            "fsbot stats, whole history",
            f"{time.perf_counter() - t0:.2f} s (CPU {cpu:.2f} s)",
            "< 2 s",
        )
        assert report.received.value > 0
        await store.close()

        before = rss_mib()
        purged: list[int] = []

        async def purge() -> None:
            purged.append(await housekeeping.purge(path, key, datetime.now(UTC)))

        t0 = time.perf_counter()
        pager = await pages_beside(pages, purge)
        figure("fsbot purge", f"{purged[0]} cases in {time.perf_counter() - t0:.1f} s", "")
        figure(
            "purge: resident memory growth (peak)",
            f"{pager.peak_rss - before:+.1f} MiB",
            "bounded",
        )
        figure("purge: page commit", describe(pager.delays), "max a few hundred ms")
        await pages.close()
    ok = purged[0] == args.cases - args.open
    print(
        "purged every due case" if ok else f"purged {purged[0]}, expected {args.cases - args.open}"
    )
    return 0 if ok else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--open", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=200, help="runs of each view")
    parser.add_argument("--quiet", type=float, default=3.0, help="seconds of page measurement")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(bench(parse_args())))
