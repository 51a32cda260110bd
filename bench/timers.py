"""How late does the real Scheduler fire deadlines under load?

Every escalation step, repeat and check-in is a row in the ``timers`` table, fired by
``bot.scheduler.Scheduler``. A page that goes out late is a safety problem, so this measures the
real thing end to end: a real SQLite file (WAL, synced before acknowledging), the real
SystemClock and the real ``Scheduler.run`` loop. It arms ``--count`` deadlines spread uniformly
at random over ``--spread`` seconds (starting ``--lead`` seconds from now, so the inserts
themselves are not counted), lets them fire through a handler that records lateness (wall time
at firing minus ``due_at``), and prints the lateness p50 / p99 / max, duplicates, misses and peak
memory.

Goal: p99 lateness under 50 ms. Exit status is 1 only if a timer fired twice or never.

    .venv/bin/python bench/timers.py [--count 10000] [--spread 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.config.demo import demo_team_text
from bot.config.teamfile import parse_team_text
from bot.domain.team import CONSOLE, Team
from bot.ports.store import TimerRow
from bot.runtime.clock import SystemClock
from bot.runtime.crypto import Cipher, generate_key
from bot.runtime.scheduler import Scheduler
from bot.uow import UnitOfWork
from storage.sqlite.store import SqliteStore

GOAL_P99_MS = 50.0
INSERT_TRANSACTIONS = 5


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted, non-empty list."""
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


async def bench(count: int, spread: float, lead: float, grace: float, seed: int | None) -> int:
    cipher = Cipher(generate_key())
    team = Team(parse_team_text(demo_team_text(datetime.now(UTC)), "demo.toml"), [CONSOLE])
    fired: Counter[int] = Counter()
    lateness: list[float] = []
    all_fired = asyncio.Event()

    async def on_bench(uow: UnitOfWork, timer: TimerRow) -> None:
        lateness.append(time.time() - timer.due_at.timestamp())
        fired[timer.payload["n"]] += 1
        if len(fired) >= count:
            all_fired.set()

    with tempfile.TemporaryDirectory(prefix="fsb-bench-") as tmp:
        store = SqliteStore(Path(tmp) / "bench.db", cipher)
        await store.open()
        rng = random.Random(seed)
        start = time.time() + lead
        dues = [start + rng.uniform(0.0, spread) for _ in range(count)]
        armed = set(range(count))  # each timer carries its number: {"n": n}
        t0 = time.perf_counter()
        per_tx = -(-count // INSERT_TRANSACTIONS)
        for first in range(0, count, per_tx):
            async with store.transaction() as tx:
                for n in range(first, min(first + per_tx, count)):
                    at = datetime.fromtimestamp(dues[n], UTC)
                    await tx.add_timer(at, "bench", None, {"n": n}, 0)
        setup = time.perf_counter() - t0
        if time.time() > start:
            print(
                f"warning: arming took {setup:.2f} s, longer than --lead {lead} s", file=sys.stderr
            )

        scheduler = Scheduler(store, team, cipher, SystemClock(), {"bench": on_bench})
        runner = asyncio.create_task(scheduler.run())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_fired.wait(), timeout=start + spread - time.time() + 30.0)
        await asyncio.sleep(grace)  # anything firing twice would show up here
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner
        await store.close()

    twice = sum(1 for n in fired.values() if n > 1)
    never = len(armed - fired.keys())
    ordered = sorted(lateness)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"armed {count} over {spread:g} s in {setup * 1000:.0f} ms ({INSERT_TRANSACTIONS} tx)")
    print(f"fired {len(fired)} (firings {len(lateness)})")
    if ordered:
        p50, p99 = percentile(ordered, 0.50) * 1000, percentile(ordered, 0.99) * 1000
        verdict = "meets" if p99 < GOAL_P99_MS else "MISSES"
        print(f"lateness ms: p50 {p50:.1f}  p99 {p99:.1f}  max {ordered[-1] * 1000:.1f}")
        print(f"p99 {verdict} the {GOAL_P99_MS:g} ms goal")
    print(f"fired twice: {twice}  never fired: {never}")
    print(f"peak memory: {peak_mib:.1f} MiB")
    return 1 if twice or never else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=10_000, help="deadlines to arm")
    parser.add_argument("--spread", type=float, default=30.0, help="seconds to spread them over")
    parser.add_argument("--lead", type=float, default=2.0, help="seconds before the first")
    parser.add_argument("--grace", type=float, default=1.0, help="seconds to wait after the last")
    parser.add_argument("--seed", type=int, default=None, help="random seed for the due times")
    args = parser.parse_args()
    return asyncio.run(bench(args.count, args.spread, args.lead, args.grace, args.seed))


if __name__ == "__main__":
    sys.exit(main())
