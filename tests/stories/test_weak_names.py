"""A first name or a member id alone is a weak match (the starter team's Bob, "Bob Example"):
it keeps the report from that member, and the reporter sees so, but the case follows the usual
chain (the member on duty first); only a strong match (whole name, username, wiki user name, a
name a platform showed) sends it above the team, to the leads and the outside contact."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support import Harness, case_code

from bot.config.teamfile import parse_team_text
from bot.domain.model import PlatformUser
from bot.domain.team import CONSOLE
from bot.ports.events import Inbound

TEAM = """\
[team]
name = "Starter-like team"
timezone = "UTC"
event_start = 2027-08-10T08:00:00
event_end = 2027-08-14T22:00:00

[[members]]
id = "alice"
name = "Alice Example"
roles = ["safety_contact"]

[[members]]
id = "bob"
name = "Bob Example"
roles = ["safety_contact"]
usernames = ["BobEx"]

[[members]]
id = "lena"
name = "Lena Lead"
roles = ["lead"]

[[rota]]
member = "alice"
start = 2027-08-11T08:00:00
end = 2027-08-11T18:00:00

[escalation]
steps = [
  { notify = ["on_duty"], wait = "5m" },
  { notify = ["safety_contacts"], wait = "5m" },
  { notify = ["leads", "external:emergency"], wait = "10m" },
]
above_team = "emergency"

[[external]]
id = "emergency"
name = "Foundation emergency team"
"""


@pytest.fixture
async def starter(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path / "weak.db", config=parse_team_text(TEAM, "weak.toml"))
    await harness.start()
    yield harness
    await harness.stop()


def told(bot: Harness, who: str, code: str) -> bool:
    return any(code in text for text in bot.platform.texts(who))


@pytest.mark.parametrize(
    "who_text", ["Bob, a tall guy with a red hat", "BOB at the bar", "Robert, I think"]
)
async def test_a_first_name_or_id_alone_keeps_the_report_from_bob_but_not_above_the_team(
    starter: Harness, who_text: str
) -> None:
    bot = starter
    # the platform showed "Robert" (a first name alone) and "Robert Example" for Bob
    sender = PlatformUser(CONSOLE, "bob", "Bob", names=("Robert", "Robert Example"))
    await bot.app.handle(Inbound(sender=sender, chat_id="bob", private=True, text="/help"))
    code = await bot.file_report(who_text=who_text)
    assert told(bot, "alice", code)  # the safety contact on duty is paged
    assert not (await bot.case(code)).policy.above_team
    assert not told(bot, "emergency", code) and not told(bot, "lena", code)
    await bot.advance(300)  # the usual chain: the safety contacts next, but never Bob
    assert not told(bot, "bob", code)
    await bot.say("bob", f"/case {code}")
    assert f"I can't find a case {code} that you can see." in bot.last_text("bob")
    # the reporter saw that Bob is kept from it, on the exclusion screen and in the summary
    shown = "\n".join(bot.platform.texts("sam"))
    assert "Kept out because you named them: Bob Example. They won't see this report." in shown
    assert "Not to be handled by: Bob Example (they won't see this report)" in shown


@pytest.mark.parametrize(
    "who_text",
    ["Bob Example, a tall guy", "User:Bob_Example", "@BobEx in the hallway", "Robert the Tall"],
)
async def test_a_strong_match_sends_the_case_above_the_team(
    starter: Harness, who_text: str
) -> None:
    bot = starter
    sender = PlatformUser(CONSOLE, "bob", "Bob", names=("Robert the Tall",))
    await bot.app.handle(Inbound(sender=sender, chat_id="bob", private=True, text="/help"))
    code = await bot.file_report(who_text=who_text)
    assert (await bot.case(code)).policy.above_team
    assert told(bot, "lena", code) and told(bot, "emergency", code)
    assert not told(bot, "alice", code) and not told(bot, "bob", code)


async def test_whoever_the_report_names_is_shown_as_kept_out_on_the_exclusion_screen_and_summary(
    bot: Harness,
) -> None:
    """The demo team: a wiki link to Alice's id and Bob's wiki user name with an invisible
    character from a copy-paste are both kept out, and the reporter reads so."""
    await bot.file_report(who_text="[[User:Alice|Alice]] and User:Bob\u200b_Builder", send=False)
    shown = next(s for s in bot.platform.chat("sam") if s.text.startswith("Is there anyone"))
    screen = shown.text
    assert "Excluded: nobody" not in screen
    assert (
        "Kept out because you named them: Alice Example, Bob Builder. They won't see this report."
        in screen
    )
    assert shown.labels == ["Lena Lead", "Done", "Back"]  # a tap could not undo it
    assert "Not to be handled by: Alice Example, Bob Builder (they won't see this report)" in (
        bot.last_text("sam")
    )
    await bot.press("sam", "Send report")
    code = case_code(bot.confirmation("sam"))
    for member in ("alice", "bob"):
        await bot.say(member, f"/case {code}")
        assert f"I can't find a case {code} that you can see." in bot.last_text(member)
