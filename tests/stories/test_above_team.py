"""A report about someone on the team goes above them (story 4): the leads who are not named
and the external contact; the rest of the team, and the reported person, see nothing of it."""

from __future__ import annotations

from pathlib import Path

from support import Harness

from bot.config.teamfile import parse_team_text

TEAM = """\
[team]
name = "Story four team"
timezone = "UTC"
event_start = 2027-08-10T08:00:00
event_end = 2027-08-14T22:00:00

[[members]]
id = "alice"
name = "Alice Example"
roles = ["safety_contact"]

[[members]]
id = "bob"
name = "Bob Builder"
roles = ["safety_contact"]

[[members]]
id = "bram"
name = "Bram Board"
roles = ["organizer"]
position = "board"
usernames = ["BramB"]

[[members]]
id = "lena"
name = "Lena Lead"
roles = ["lead"]

[[rota]]
member = "alice"
start = 2027-08-11T08:00:00
end = 2027-08-11T18:00:00

[escalation]
above_team = "emergency"

[[external]]
id = "emergency"
name = "Foundation emergency team"
"""


async def test_a_report_about_a_board_member_goes_to_the_leads_and_the_external_contact(
    database: Path | str,
) -> None:
    bot = Harness(database, config=parse_team_text(TEAM, "s4.toml"))
    await bot.start()
    code = await bot.file_report(
        account="Repeated unwanted attention and standing far too close.",
        who_text="BramB, a board member of the affiliate",
    )
    assert any(code in t for t in bot.platform.texts("lena"))
    external = " ".join(bot.platform.texts("emergency"))
    assert code in external and "unwanted attention" not in external
    for member in ("alice", "bob", "bram"):
        assert bot.platform.chat(member) == [], member
    # the channel line reads like any other case's: nothing singles it out for Bram to see
    assert bot.platform.texts("team") == [
        f"{code} · medium · awaiting acknowledgement · opened just now"
    ]
    await bot.say("alice", f"/case {code}")
    assert f"I can't find a case {code} that you can see." in bot.last_text("alice")
    await bot.say("bram", f"/case {code}")
    assert "unwanted attention" not in " ".join(bot.platform.texts("bram"))
    await bot.say("bram", "/summary", channel=True)
    summary = bot.last_text("team")
    assert "Open cases: 1 (1 awaiting acknowledgement)" in summary and "lead" not in summary.lower()
    await bot.press("lena", "Acknowledge")
    assert bot.platform.chat("team")[0].text.startswith(f"{code} · medium · acknowledged by Lena")
    await bot.stop()


ONE_LEAD_NOBODY_ABOVE = TEAM.replace('[escalation]\nabove_team = "emergency"\n', "")


async def test_a_report_naming_the_only_lead_with_nobody_above_still_reaches_the_team(
    database: Path | str,
) -> None:
    """Nobody is above the one lead it names (no above_team contact): it stays with the rest of
    the team, the lead skipped as for any conflict; it never reaches nobody, and the reporter is
    told the truth about who was alerted."""
    bot = Harness(database, config=parse_team_text(ONE_LEAD_NOBODY_ABOVE, "l.toml"))
    await bot.start()
    for who_text in ("Lena Lead, at the party", "User:Lena_Lead"):
        code = await bot.file_report(account="He kept touching my shoulder.", who_text=who_text)
        assert any(code in t for t in bot.platform.texts("alice")), who_text  # on duty: paged
        assert not any(code in t for t in bot.platform.texts("lena")), who_text
        told = bot.confirmation("sam")
        assert "the safety contact on duty has been alerted" in told
        assert "leads" not in told
        await bot.say("lena", f"/case {code}")
        assert f"I can't find a case {code} that you can see." in bot.last_text("lena")
    await bot.stop()
