"""Drills (issue 17): a lead rehearses the team's response with a made-up report that runs
through the real escalation chain, rota and timers, marked DRILL everywhere, never counted, and
debriefed to the lead; a real report during a drill goes first and reads as any other."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from click.testing import CliRunner
from story import Story
from support import Harness
from teams import STORIES, story_team

from bot.main.cli import main
from bot.ports.platform import DeliveryError

DRILL_CODE = re.compile(r"DR-[A-Z2-9]{4}")


def drill_code(text: str) -> str:
    match = DRILL_CODE.search(text)
    assert match is not None, text
    return match.group(0)


async def stats(tmp_path: Path, database: Path) -> str:
    """``fsbot stats`` over the whole event, as a team would run it afterwards (in a thread:
    the command runs its own event loop)."""
    team_file = tmp_path / "team.toml"
    team_file.write_text(STORIES)
    env = {"FSB_DATABASE": f"sqlite:///{database}", "FSB_TEAM_FILE": str(team_file)}
    chart = str(tmp_path / "chart.png")
    # Every count shown as it is (the public report hides those under 5: not what is tested)
    args = ["stats", "--from", "2027-08-10", "--to", "2027-08-14", "--min-count", "1"]
    args += ["--png", chart]
    result = await asyncio.to_thread(CliRunner().invoke, main, args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


async def test_a_drill_pages_the_real_chain_marked_drill_and_its_lead_gets_the_figures(
    tmp_path: Path,
) -> None:
    story = await Story(tmp_path / "drill.db", story_team()).start()
    try:
        await story.run("@lena /drill 2")
        code = drill_code(story.last("lena"))
        assert "someone from the event next door" in story.last("lena")
        # Alice is on duty: the first step pages her, with the made-up story, as a real page.
        page = story.chat("alice")[-1]
        assert page.startswith("DRILL · ") and code in page
        assert "This is a drill: nothing happened" in page
        await story.advance(300)  # nobody acknowledged: every safety contact, the real wait
        assert all(story.chat(who)[-1].startswith("DRILL") for who in ("alice", "bob", "mira"))
        await story.advance(70)
        await story.run(f"@alice /ack {code}")
        await story.advance(60)
        await story.run(f"@alice /resolve {code} no_action practice run")

        # Every message, page, channel line and edit since /drill says DRILL first.
        shown = story.messages()
        assert len(shown) > 10
        for chat, text in shown:
            assert text.startswith("DRILL"), (chat, text)

        debrief = story.last("lena")
        assert debrief.startswith(f"DRILL · Debrief of drill {code}")
        assert "Started 10:00, ended 10:07 (7 min 10 s): it was resolved." in debrief
        assert "10:00 (+0 s) step 1: Alice Example" in debrief
        assert "10:05 (+5 min) step 2: Alice Example, Bob Builder, Mira Lead" in debrief
        assert "Acknowledged by Alice Example after 6 min 10 s." in debrief
        assert "Resolved after 7 min 10 s." in debrief
        assert "Nobody and no step was skipped." in debrief
        assert "Every message was delivered." in debrief
        # The pages now say it is over; the channel line too.
        assert "the drill has ended" in story.chat("bob")[-1]

        # Never counted: not in /summary, not in /cases.
        await story.run("@mira /summary")
        assert "No open cases" in story.last("mira") and code not in story.last("mira")
        await story.run("@mira /cases")
        assert story.last("mira") == "No open cases."
    finally:
        await story.stop()
    assert "**Reports received:** 0" in await stats(tmp_path, tmp_path / "drill.db")


async def test_a_real_report_during_a_drill_goes_first_and_reads_as_any_other(
    tmp_path: Path,
) -> None:
    bot = Harness(tmp_path / "real.db", config=story_team())
    await bot.start()
    try:
        await bot.say("lena", "/drill")
        drill = drill_code(bot.last_text("lena"))
        # Even a real report that happens to quote the drill's code reads as a real one.
        real = await bot.file_report("sam", account=f"He wrote {drill} on my badge.")
        page = bot.last_text("alice")
        assert real.startswith("FS-") and real in page and drill in page
        assert "DRILL" not in page
        assert not [t for t in bot.platform.texts("sam") if "DRILL" in t]  # nor its summary
        channel = [t for t in bot.platform.texts(bot.channel_id) if real in t]
        assert channel and not any("DRILL" in t for t in channel)
        # The real case is counted and listed; the drill is not.
        await bot.say("mira", "/summary")
        assert real in bot.last_text("mira") and drill not in bot.last_text("mira")
        await bot.say("mira", "/cases")
        assert real in bot.last_text("mira") and drill not in bot.last_text("mira")
        # Acknowledging the real case does not end or touch the drill.
        await bot.press("alice", "Acknowledge")
        assert f"You're handling {real}" in bot.last_text("alice")
        assert (await bot.case(drill)).state.value == "new"
    finally:
        await bot.stop()
    assert "**Reports received:** 1" in await stats(tmp_path, tmp_path / "real.db")


async def test_drill_stop_ends_it_early_with_the_debrief_and_pages_nobody_more(
    tmp_path: Path,
) -> None:
    bot = Harness(tmp_path / "stop.db", config=story_team())
    await bot.start()
    try:
        bot.platform.fail_for["mira"] = DeliveryError("403 blocked", unreachable=True)
        await bot.say("lena", "/drill 4")  # about a board member: it goes to the leads
        code = drill_code(bot.last_text("lena"))
        await bot.advance(120)
        await bot.say("lena", "/drill stop")
        debrief = bot.last_text("lena")
        assert debrief.startswith(f"DRILL · Debrief of drill {code}")
        assert "ended 10:02 (2 min): stopped with /drill stop." in debrief
        # the leads and the outside contact above the team, as for a real report about a board
        # member; Mira blocked the bot, so her page failed and the chain says so
        assert "10:00 (+0 s) step 1: Lena Lead, Mira Lead, Foundation safety team" in debrief
        assert "Nobody acknowledged it." in debrief
        assert "Skipped:\n  Mira Lead: blocked the bot" in debrief
        assert "Not delivered:\n  a message to Mira Lead" in debrief
        assert "the drill has ended" in bot.platform.texts("foundation")[-1]
        before = {who: len(bot.platform.chat(who)) for who in ("alice", "bob", "lena", "mira")}
        await bot.advance(1800)
        after = {who: len(bot.platform.chat(who)) for who in ("alice", "bob", "lena", "mira")}
        assert after == before
        await bot.say("lena", "/drill stop")
        assert bot.last_text("lena") == "No drill is running. /drill starts one."
    finally:
        await bot.stop()


async def test_another_lead_may_stop_it_and_the_lead_who_started_it_gets_the_debrief(
    tmp_path: Path,
) -> None:
    bot = Harness(tmp_path / "other.db", config=story_team())
    await bot.start()
    try:
        await bot.say("lena", "/drill")
        code = drill_code(bot.last_text("lena"))
        await bot.say("lena", "/drill 3")
        running = f"DRILL · A drill is already running: {code}. /drill stop ends it."
        assert bot.last_text("lena") == running
        await bot.say("mira", "/drill stop")
        assert bot.last_text("mira").startswith("DRILL · Stopped. Lena Lead, who started it,")
        assert bot.last_text("lena").startswith(f"DRILL · Debrief of drill {code}")
    finally:
        await bot.stop()


async def test_only_a_lead_starts_a_drill_and_a_story_must_exist(tmp_path: Path) -> None:
    bot = Harness(tmp_path / "who.db", config=story_team())
    await bot.start()
    try:
        await bot.say("alice", "/drill")
        assert bot.last_text("alice") == "Only a lead can start or stop a drill."
        await bot.say("alice", "/drill stop")
        assert bot.last_text("alice") == "Only a lead can start or stop a drill."
        await bot.say("lena", "/drill 9")
        assert bot.last_text("lena").startswith("There is no such story.")
        await bot.say("sam", "/drill")
        assert "for the safety team" in bot.last_text("sam")
        assert not [t for t in bot.platform.texts("alice") if "DR-" in t]  # nobody was paged
    finally:
        await bot.stop()


async def test_at_its_time_limit_the_drill_ends_with_the_debrief_and_is_purged_after(
    tmp_path: Path,
) -> None:
    bot = Harness(tmp_path / "limit.db", config=story_team())
    await bot.start()
    try:
        await bot.say("lena", "/drill 1")
        code = drill_code(bot.last_text("lena"))
        for _ in range(6):  # the real waits: 5, 5, 10 minutes, then the second round
            await bot.advance(300)
        debrief = bot.last_text("lena")
        assert "ended 10:30 (30 min): its time limit was reached." in debrief
        assert "10:10 (+10 min) step 3: Lena Lead, Mira Lead" in debrief
        assert "10:20 (+20 min) step 1, round 2: Alice Example" in debrief
        assert "Nobody acknowledged it." in debrief
        case = await bot.case(code)
        assert case.purged_at is None  # the pages saying it ended go out first
        await bot.advance(60)
        case = await bot.case(code)
        assert case.purged_at is not None
        async with bot.app.store.transaction() as tx:
            report = await tx.get_report(case.report_id)
        assert report.body.account == [] and report.body.who == ""
        await bot.say("lena", f"/case {code}")
        assert "purged" in bot.last_text("lena")
    finally:
        await bot.stop()


async def test_a_drill_never_reaches_the_register(tmp_path: Path) -> None:
    bot = Harness(tmp_path / "register.db", config=story_team())
    await bot.start()
    try:
        await bot.say("lena", "/drill 1")
        code = drill_code(bot.last_text("lena"))
        await bot.say("lena", f"/person from {code}")
        assert "is a drill: its people are made up" in bot.last_text("lena")
        await bot.say("lena", '/person add "Drill Person" DrillPerson')
        await bot.say("lena", f"/person link P-1 {code}")
        assert "is a drill: its people are made up" in bot.last_text("lena")
        await bot.say("lena", "/person list")
        assert code not in bot.last_text("lena")
    finally:
        await bot.stop()


async def test_a_drill_outlives_a_restart(tmp_path: Path) -> None:
    bot = Harness(tmp_path / "restart.db", config=story_team())
    await bot.start()
    try:
        await bot.say("lena", "/drill")
        code = drill_code(bot.last_text("lena"))
        await bot.restart()
        await bot.advance(300)  # its wait is a row in the database: the next step still comes
        assert bot.last_text("bob").startswith("DRILL · ") and code in bot.last_text("bob")
        await bot.say("lena", "/drill stop")
        assert "10:05 (+5 min) step 2: Alice Example, Bob Builder, Mira Lead" in bot.last_text(
            "lena"
        )
    finally:
        await bot.stop()
