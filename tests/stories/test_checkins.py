"""Opt-in check-ins with a reporter: never an alarm by silence, never repeating the account."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import Harness
from teams import chain_team

ALICE, BOB = "111", "222"
ACCOUNT = "The account that must not be repeated QQV"


@pytest.fixture
async def team(database: Path | str) -> AsyncIterator[Harness]:
    harness = Harness(database, config=chain_team(wait="5m"), platform="telegram")
    await harness.start()
    yield harness
    await harness.stop()


async def _report_with_checkins(team: Harness, hours: str = "Every 2 hours") -> str:
    code = await team.file_report(account=ACCOUNT)
    assert team.platform.last("sam").labels == ["Every 2 hours", "Every 4 hours", "No, thank you"]
    await team.press("sam", hours)
    assert "I'll check in every" in team.last_text("sam")
    await team.press(ALICE, "Acknowledge")
    return code


def checkins(team: Harness) -> list[str]:
    return [t for t in team.platform.texts("sam") if t.startswith("Checking in")]


async def test_check_in_every_n_hours_with_three_answers(team: Harness) -> None:
    code = await _report_with_checkins(team)
    await team.advance(2 * 3600 - 1)
    assert checkins(team) == []
    await team.advance(1)
    (first,) = checkins(team)
    assert code in first
    assert "QQV" not in first
    assert team.platform.last("sam").labels == [
        "I'm OK",
        "I'd like to talk to someone",
        "I need help now",
        "Stop check-ins",
    ]
    await team.press("sam", "I'm OK")
    assert "Thank you for letting us know" in team.last_text("sam")
    await team.advance(2 * 3600)
    assert len(checkins(team)) == 2


async def test_no_answer_is_never_an_alarm(team: Harness) -> None:
    await _report_with_checkins(team)
    before = len(team.platform.texts(ALICE))
    for _ in range(3):
        await team.advance(2 * 3600)
    assert len(checkins(team)) == 3
    new = team.platform.texts(ALICE)[before:]
    assert not any("Urgent" in t or "help" in t.lower() for t in new)


async def test_i_need_help_makes_the_case_critical_and_pages_at_once(team: Harness) -> None:
    code = await _report_with_checkins(team)
    await team.advance(2 * 3600)
    await team.advance(3600)  # now 13:00, Bob is on duty
    await team.press("sam", "I need help now")
    assert (await team.case(code)).severity.value == "critical"
    reply = team.last_text("sam")
    assert "Where are you right now?" in reply
    assert "0100 200 300" in reply
    page = team.platform.last(ALICE).text  # the handler
    assert "The reporter asked for help during a check-in." in page
    assert "Urgent: someone needs help now." in page
    assert "The reporter asked for help during a check-in." in team.platform.last(BOB).text
    await team.say("sam", "Near the cloakroom")
    assert "Near the cloakroom" in team.last_text(ALICE)


async def test_stop_check_ins(team: Harness) -> None:
    await _report_with_checkins(team, "Every 4 hours")
    await team.advance(4 * 3600)
    assert len(checkins(team)) == 1
    await team.press("sam", "Stop check-ins")
    assert "No check-ins" in team.last_text("sam")
    await team.advance(24 * 3600)
    assert len(checkins(team)) == 1


async def test_nothing_is_sent_after_the_event_ends(team: Harness) -> None:
    await _report_with_checkins(team, "Every 4 hours")
    end = datetime(2027, 8, 14, 22, 0, tzinfo=UTC)
    while team.clock.now() < end:
        await team.advance(3600)
    # every 4 h from 10:00 on the 11th: 14:00, 18:00, 22:00, then six a day, the last at 18:00
    # on the 14th, since 22:00 is the end of the event
    assert len(checkins(team)) == 3 + 6 + 6 + 5
    await team.advance(48 * 3600)
    assert len(checkins(team)) == 20


async def test_reporter_can_decline_check_ins(team: Harness) -> None:
    await team.file_report()
    await team.press("sam", "No, thank you")
    await team.advance(24 * 3600)
    assert checkins(team) == []
