"""``/ready`` for a lead on the console (private chat and team channel), and the daily note to the
leads before the event, with a moved clock (issue 17)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from support import START, Harness

from bot.config.teamfile import parse_team_text


def team_text(event_in: timedelta) -> str:
    """Lena leads, Alice and Bob are safety contacts; the event starts ``event_in`` from START,
    and its two shifts leave a gap on its first evening."""
    start = (START + event_in).replace(tzinfo=None)

    def t(offset_hours: float) -> str:
        return (start + timedelta(hours=offset_hours)).strftime("%Y-%m-%dT%H:%M:%S")

    return f"""\
[team]
name = "Test team"
timezone = "UTC"
event_start = {t(0)}
event_end = {t(24)}

[[members]]
id = "alice"
name = "Alice Example"
roles = ["safety_contact"]

[[members]]
id = "bob"
name = "Bob Builder"
roles = ["safety_contact"]

[[members]]
id = "lena"
name = "Lena Lead"
roles = ["lead"]

[[rota]]
member = "alice"
start = {t(0)}
end = {t(10)}

[[rota]]
member = "bob"
start = {t(12)}
end = {t(24)}
"""


async def harness(tmp_path: Path, event_in: timedelta) -> Harness:
    config = parse_team_text(team_text(event_in))
    return await Harness(tmp_path / "ready.db", config).start()


async def bounce(bot: Harness, who: str) -> None:
    async with bot.app.store.transaction() as tx:
        await tx.mark_unreachable("console", who, bot.clock.now())


async def test_a_lead_s_ready_in_private_names_each_problem_and_what_to_do(tmp_path: Path) -> None:
    bot = await harness(tmp_path, timedelta(days=2))
    try:
        await bot.say("lena", "/ready")
        assert "1 problem:" in bot.last_text("lena")
        assert "Nobody is on the rota from" in bot.last_text("lena")
        await bounce(bot, "bob")
        await bot.say("lena", "/ready")
        text = bot.last_text("lena")
        assert "2 problems:" in text
        assert "A message to Bob Builder on the console bounced" in text
        assert "To do: Bob Builder: open a direct message with the bot" in text
    finally:
        await bot.stop()


async def test_ready_in_the_team_channel_gives_counts_and_no_names(tmp_path: Path) -> None:
    bot = await harness(tmp_path, timedelta(days=2))
    try:
        await bounce(bot, "bob")
        await bot.say("lena", "/ready", channel=True)
        text = bot.platform.texts(bot.channel_id)[-1]
        assert "1 × people whose pages bounced" in text
        assert "1 × gaps in the rota" in text
        assert "Bob" not in text and "bob" not in text
    finally:
        await bot.stop()


async def test_only_a_lead_may_run_the_check(tmp_path: Path) -> None:
    bot = await harness(tmp_path, timedelta(days=2))
    try:
        await bot.say("alice", "/ready")
        assert bot.last_text("alice") == "Only a lead can run the readiness check."
        await bot.say("sam", "/ready")  # a participant: no such command
        assert "Bob" not in bot.last_text("sam")
        assert "Only a lead" not in bot.last_text("sam")
    finally:
        await bot.stop()


def notes(bot: Harness) -> list[str]:
    return [t for t in bot.platform.texts("lena") if t.startswith("Before the event")]


async def test_the_leads_get_a_daily_note_from_three_days_before_the_event(tmp_path: Path) -> None:
    bot = await harness(tmp_path, timedelta(days=3, hours=12))
    try:
        await bounce(bot, "bob")
        await bot.advance(11 * 3600)  # 3 days and an hour before: nothing yet
        assert notes(bot) == []
        await bot.advance(2 * 3600)  # three days before the start
        (first,) = notes(bot)
        assert first.startswith("Before the event: these people cannot be paged yet.")
        assert "Bob Builder: open a direct message with the bot and send any message." in first
        assert "Alice" not in first
        await bot.restart()  # the remaining notes are in the database, once each
        await bot.advance(24 * 3600)
        assert len(notes(bot)) == 2
        await bot.say("bob", "hello")  # Bob writes: he can be paged again
        await bot.advance(24 * 3600)
        assert notes(bot)[-1] == "Before the event: everyone on the team can be paged."
        await bot.restart()
        await bot.advance(3 * 24 * 3600)  # the event started: no more notes
        assert len(notes(bot)) == 3
        assert bot.platform.texts("alice") == [] or not any(
            t.startswith("Before the event") for t in bot.platform.texts("alice")
        )
    finally:
        await bot.stop()
