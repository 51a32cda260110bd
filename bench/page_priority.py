"""Does a page overtake ordinary messages on its way to Telegram? (issue 19)

The real bot, the real python-telegram-bot with our priority rate limiter, over real HTTP to the
fake Bot API with Telegram's flood limits on (``bench/telegram_latency.py`` has the set-up; this
script reuses it). Every figure is from the fake handing out the press (``getUpdates``) to the
page reaching Alice, who is on duty; timestamps are taken inside the fake.

(1) quiet: ``--reports`` reports one after another, each pressed "Send report" after a second of
    reading the summary, so the limiter is idle at the press: the reference figure.
(2) brisk: ``--reports`` reports, each driven through the intake as fast as the bot answers and
    "Send report" pressed the moment the summary arrives, so the reporter's own intake replies
    are still in the limiter's window.
(3) busy: ``--busy`` other reporters go through the intake over and over as fast as the bot
    answers (more replies than Telegram's 30 messages a second allow, so the limiter holds a
    queue), while ``--urgent`` participants, one after another, open the bot and press "I need
    help now".

Target (issue 19): the p50 and the p99 of (2) and of (3) each within 1.5x of (1)'s.

    .venv/bin/python bench/page_priority.py [--reports 30] [--busy 50] [--urgent 30]

Exit status 1 only when something was wrong rather than slow: a 429 or a spec violation at the
fake, or a page that never came.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from telegram_latency import (
    ALICE,
    CHANNEL,
    FIRST_REPORTER,
    INTAKE,
    READING_PAUSE,
    SEND,
    Submission,
    TimedFake,
    describe,
    log,
    ms,
    percentile,
    press,
    running_bot,
    step,
    submitted,
    to_summary,
)

GOAL = 1.5
HELP_NOW = "I need help now"


async def reports(count: int, database: Path, pause: float) -> tuple[list[float], int, int]:
    """Handed-out-to-page for ``count`` reports, "Send report" pressed ``pause`` s after the
    summary arrived; with the fake's 429 and violation counts."""
    latencies: list[float] = []
    async with TimedFake(page_chat=ALICE, channel=CHANNEL) as fake:
        async with running_bot(fake, database, 1):
            for n in range(count):
                user = FIRST_REPORTER + n
                await to_summary(fake, user)
                if pause:
                    await asyncio.sleep(pause)
                sub = Submission(user, time.perf_counter(), press(fake, user, SEND))
                await fake.until(lambda sub=sub: submitted(fake, sub), 600, f"page for {user}")
                latencies.append(fake.pages[sub.code] - fake.handed_out[sub.handed_out_key])
        return latencies, fake.rate_limited, len(fake.violations)


async def busy(database: Path, others: int, urgent: int) -> tuple[list[float], int, int, int]:
    """Handed-out-to-page for ``urgent`` "I need help now" presses while ``others`` reporters
    go through the intake without pause; with the intake steps they completed meanwhile, and
    the fake's 429 and violation counts."""
    latencies: list[float] = []
    answered: list[float] = []  # handed out -> the press answered (the update handled)
    users = itertools.count(FIRST_REPORTER + 100_000)
    steps_done = 0
    stop = asyncio.Event()

    async def reporter(fake: TimedFake) -> None:
        nonlocal steps_done
        while not stop.is_set():
            user = next(users)  # a fresh participant each time round: every intake from /start
            for action, expect in INTAKE:
                if stop.is_set():
                    return
                await step(fake, user, action, expect)
                steps_done += 1

    async with TimedFake(page_chat=ALICE, channel=CHANNEL) as fake:
        async with running_bot(fake, database, 1):
            crowd = [asyncio.create_task(reporter(fake)) for _ in range(others)]
            try:
                await fake.until(lambda: steps_done >= others * 3, 300, "the crowd under way")
                for n in range(urgent):
                    user = FIRST_REPORTER + n
                    await step(fake, user, "/start", "Only the safety team reads a report")
                    await asyncio.sleep(0.2)  # a moment to find the button
                    known = set(fake.pages)
                    update = press(fake, user, HELP_NOW)
                    new = await fake.until(
                        lambda known=known: set(fake.pages) - known, 600, f"help for {user}"
                    )
                    code = min(new, key=lambda c: fake.pages[c])
                    handed_out = fake.handed_out[update["update_id"]]
                    latencies.append(fake.pages[code] - handed_out)
                    query = str(update["callback_query"]["id"])
                    await fake.until(lambda q=query: q in fake.answered, 60, "the answer")
                    answered.append(fake.answered[query] - handed_out)
                    if (n + 1) % 10 == 0:
                        log(f"(3) {n + 1}/{urgent} calls for help; {steps_done} intake steps")
            finally:
                stop.set()
                for task in crowd:
                    task.cancel()
                for task in crowd:
                    with contextlib.suppress(asyncio.CancelledError, TimeoutError, LookupError):
                        await task
        log(f"(3) handed out -> press answered: {describe(answered)}")
        return latencies, steps_done, fake.rate_limited, len(fake.violations)


def verdict(name: str, samples: Sequence[float], quiet: Sequence[float]) -> bool:
    ordered, reference = sorted(samples), sorted(quiet)
    met = True
    parts = []
    for label, fraction in (("p50", 0.5), ("p99", 0.99)):
        ratio = percentile(ordered, fraction) / percentile(reference, fraction)
        met = met and ratio <= GOAL
        parts.append(f"{label} {ratio:.2f}x")
    state = "met" if met else "MISSED"
    print(f"    {name} / quiet: {', '.join(parts)} (goal <= {GOAL}x each: {state})")
    return met


async def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    status = 0
    with tempfile.TemporaryDirectory(prefix="fsb-priority-bench-") as tmp:
        folder = Path(tmp)
        log(f"(1) {args.reports} reports, a second's reading before each press")
        quiet, limited, violations = await reports(args.reports, folder / "quiet.db", READING_PAUSE)
        status |= bool(limited or violations)
        print(f"(1) quiet, 'Send report' handed out -> page: {describe(quiet)}")

        log(f"(2) {args.reports} reports at a brisk pace")
        brisk, limited, violations = await reports(args.reports, folder / "brisk.db", 0.0)
        status |= bool(limited or violations)
        print(f"(2) brisk, 'Send report' handed out -> page: {describe(brisk)}")
        verdict("brisk", brisk, quiet)
        print(f"    fake.rate_limited: {limited}  fake.violations: {violations}")

        log(f"(3) {args.urgent} calls for help while {args.busy} others are mid-intake")
        urgent, steps_done, limited, violations = await busy(
            folder / "busy.db", args.busy, args.urgent
        )
        status |= bool(limited or violations)
        print(
            f"(3) '{HELP_NOW}' handed out -> page, {args.busy} others mid-intake:"
            f" {describe(urgent)}"
        )
        print(f"    intake steps the others completed meanwhile: {steps_done}")
        verdict("help now", urgent, quiet)
        print(f"    fake.rate_limited: {limited}  fake.violations: {violations}")
        print(f"    (quiet p50 {ms(percentile(sorted(quiet), 0.5))})")
    return int(status)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reports", type=int, default=30, help="reports for (1) and (2)")
    parser.add_argument("--busy", type=int, default=50, help="others mid-intake in (3)")
    parser.add_argument("--urgent", type=int, default=30, help="calls for help in (3)")
    args = parser.parse_args(argv)
    if min(args.reports, args.busy, args.urgent) < 1:
        parser.error("--reports, --busy and --urgent must be at least 1")
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
