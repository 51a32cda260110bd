"""The rota: who is on duty, shift handoffs and their confirmation, going on and off duty."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support import Harness
from teams import chain_team

ALICE, BOB, LENA = "111", "222", "333"


@pytest.fixture
async def team(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path / "rota.db", config=chain_team(wait="5m"), platform="telegram")
    await harness.start()
    yield harness
    await harness.stop()


async def test_oncall_shows_who_is_on_duty_now_and_next(team: Harness) -> None:
    await team.say(LENA, "/oncall")
    text = team.last_text(LENA)
    assert "On duty now: Alice (primary, until 11:00)" in text
    assert "Next: Bob (primary) from Wed 11:00" in text


async def test_confirmed_shift_change(team: Harness) -> None:
    code = await team.file_report()
    await team.advance(3600)  # 11:00: Bob's shift starts
    handoff = team.platform.last(BOB)
    assert "Your shift starts now (primary, until 18:00)." in handoff.text
    assert code in handoff.text and "awaiting acknowledgement" in handoff.text
    assert "following" not in handoff.text  # codes, severity, state, age only
    assert handoff.labels == ["I'm on duty"]
    line = team.platform.last(team.channel_id).text
    assert "Shift change: Bob is on duty now (primary) until 18:00." in line
    assert code not in line or "following" not in line
    await team.press(BOB, "I'm on duty")
    assert "confirmed on duty" in team.last_text(BOB)
    await team.press(BOB, "I'm on duty")
    assert "already confirmed" in team.last_text(BOB)
    await team.advance(600)
    assert not any("has not confirmed" in t for t in team.platform.texts(LENA))
    assert not any("has not confirmed" in t for t in team.platform.texts(ALICE))


async def test_unconfirmed_shift_asks_the_next_person_and_tells_the_lead(team: Harness) -> None:
    await team.advance(3600)
    assert "Your shift starts now" in team.last_text(BOB)
    await team.advance(599)
    assert not any("has not confirmed" in t for t in team.platform.texts(LENA))
    await team.advance(1)
    assert "Bob has not confirmed their shift. Can you cover" in team.last_text(ALICE)
    told = team.last_text(LENA)
    assert "Bob has not confirmed their shift within 10 minutes." in told
    assert "Asked to cover: Alice." in told
    await team.press(ALICE, "I'm on duty")
    assert "you're on duty now" in team.last_text(ALICE)
    assert "Alice is covering" in team.last_text(LENA)
    await team.say(LENA, "/oncall")
    assert "Alice (ad hoc)" in team.last_text(LENA)
    code = await team.file_report()
    assert any(code in t for t in team.platform.texts(ALICE))


async def test_shift_off_leaving_nobody_on_duty_tells_the_leads(team: Harness) -> None:
    await team.say(ALICE, "/shift off")
    assert "Nobody else is on duty, so the leads have been told." in team.last_text(ALICE)
    assert "Nobody is on duty now. Alice went off duty." in team.last_text(LENA)
    code = await team.file_report()
    # nobody on duty: every safety contact is paged, with that said on the page
    assert any(code in t for t in team.platform.texts(ALICE))
    assert any(code in t for t in team.platform.texts(BOB))
    assert "Nobody is on duty, so every safety contact is paged." in team.platform.last(BOB).text


async def test_shift_on_puts_a_contact_on_duty_until_they_go_off(team: Harness) -> None:
    await team.say(BOB, "/shift on")
    assert "You're on duty now." in team.last_text(BOB)
    code = await team.file_report()
    assert any(code in t for t in team.platform.texts(BOB))
    await team.say(BOB, "/shift off")
    assert "You're off duty." in team.last_text(BOB)
    assert not any("Nobody is on duty" in t for t in team.platform.texts(LENA))
    second = await team.file_report("kim")
    assert not any(second in t for t in team.platform.texts(BOB))


@pytest.mark.parametrize("typed", ["/shift maybe", "/shift on later", "/shift of", "/shift 1"])
async def test_shift_with_anything_else_says_how_and_changes_nothing(
    team: Harness, typed: str
) -> None:
    await team.say(BOB, typed)
    assert team.last_text(BOB) == (
        "Nothing was changed. /shift on starts your duty, /shift off ends it, and /shift alone"
        " says whether you are on duty."
    )
    await team.say(BOB, "/shift")
    assert "You're not on duty" in team.last_text(BOB)
    await team.say(ALICE, typed)
    await team.say(ALICE, "/shift")
    assert "You're on duty" in team.last_text(ALICE)


async def test_participants_cannot_change_the_rota(team: Harness) -> None:
    await team.say("sam", "/shift on")
    assert "That is for the safety team" in team.last_text("sam")


async def test_daily_post_in_the_channel_is_redacted(team: Harness) -> None:
    code = await team.file_report(account="A private account ZQX")
    await team.advance(23 * 3600)  # 09:00 the next day
    posts = [t for t in team.platform.texts(team.channel_id) if "Daily check-in" in t]
    assert len(posts) == 1
    post = posts[0]
    assert "Daily check-in, Thu 12 Aug" in post
    assert "Open cases: 1 awaiting acknowledgement" in post
    assert code in post.split("Overdue:")[1]
    assert "ZQX" not in post
    await team.advance(24 * 3600)
    assert sum("Daily check-in" in t for t in team.platform.texts(team.channel_id)) == 2
