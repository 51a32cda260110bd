"""A property test over random sequences of acknowledge / escalate / timer-fire / restart.

Whatever happens, every case ends acknowledged or exhausted, nobody is paged after the
acknowledgement, and the audit trail accounts for every page that was sent.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import Harness
from teams import chain_team

CONTACTS = ["111", "222", "333"]  # Alice, Bob (safety contacts), Lena (lead)

operation = st.one_of(
    st.tuples(st.just("ack"), st.sampled_from(CONTACTS)),
    st.tuples(st.just("escalate"), st.sampled_from(CONTACTS)),
    st.tuples(st.just("time"), st.floats(min_value=0.0, max_value=12.0)),
    st.tuples(st.just("restart"), st.just("")),
    st.tuples(st.just("block"), st.sampled_from(CONTACTS)),
)


async def _play(path: Path, ops: list[tuple[str, object]], critical: bool) -> None:
    bot = Harness(path, config=chain_team(wait="5s", repeat=1), platform="telegram")
    await bot.start()
    if critical:
        await bot.say("sam", "/start")
        await bot.press("sam", "I need help now")
    else:
        await bot.file_report()
    for kind, arg in ops:
        if kind == "time":
            await bot.advance(float(arg))  # type: ignore[arg-type]
        elif kind == "restart":
            await bot.restart()
        elif kind == "block":
            from bot.ports.platform import DeliveryError

            bot.platform.fail_for[str(arg)] = DeliveryError("blocked", unreachable=True)
        else:
            await _press_newest(bot, str(arg), "Acknowledge" if kind == "ack" else "Escalate")
    # let the chain run its course
    for _ in range(120):
        await bot.advance(5)
    await bot.stop()
    _check(path)


async def _press_newest(bot: Harness, chat: str, label: str) -> None:
    for shown in reversed(bot.platform.chat(chat)):
        for choice in shown.message.choices:
            if choice.label == label:
                await bot.app.handle(bot.event(chat, button=choice.token))
                await bot.app.flush()
                return


def _check(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        (state, severity) = conn.execute("SELECT state, severity FROM cases").fetchone()
        kinds = [row[0] for row in conn.execute("SELECT kind FROM case_events ORDER BY id")]
        page_rows = conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE purpose = 'page' AND replaces IS NULL"
        ).fetchone()[0]
        repeating = conn.execute(
            "SELECT COUNT(*) FROM timers WHERE kind = 'escalate' AND status = 'pending'"
        ).fetchone()[0]
    acknowledged = "acknowledged" in kinds
    if severity != "critical":
        assert acknowledged or "chain_exhausted" in kinds, kinds
    else:  # critical cases repeat until someone acknowledges; they never run out
        assert acknowledged or repeating == 1, kinds
        assert "chain_exhausted" not in kinds
    if acknowledged:
        assert state == "acknowledged"
        assert kinds.count("acknowledged") == 1
        after = kinds[kinds.index("acknowledged") + 1 :]
        assert "paged" not in after, kinds
        assert "step_paged" not in after, kinds
    # each member has one address here, so one audit entry is one page
    assert page_rows == kinds.count("paged") + kinds.count("lead_told_exhausted"), kinds


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(operation, max_size=12), critical=st.booleans())
def test_every_case_ends_acknowledged_or_exhausted_and_is_never_paged_after_ack(
    ops: list[tuple[str, object]], critical: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_play(Path(folder) / "prop.db", ops, critical))
