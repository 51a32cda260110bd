"""Names a platform shows for a team member name them in a report, over the real libraries.

On Telegram a member's ``@username`` arrives with every message they send; on Slack the bot asks
``users.info`` for a member's display and real name (and for nobody else). Once the member has
written to the bot, a report naming them that way routes around them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlack
from fakes.telegram_api import FakeTelegram
from test_slack import ALICE as SLACK_ALICE
from test_slack import CHANNEL, FAST, SECRET, slack_bot
from test_slack import LENA as SLACK_LENA
from test_slack import SAM as SLACK_SAM
from test_telegram import ALICE, LENA, file_report, running_bot, said, step, texts


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations == []


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(post_rate=FAST) as server:
        yield server
        assert server.violations == []
        assert server.late == []


async def test_a_telegram_username_names_the_member_who_wrote_with_it(
    tmp_path: Path, telegram: FakeTelegram
) -> None:
    fake = telegram
    async with running_bot(tmp_path / "tg.db", fake):
        fake.push_message(ALICE, "/oncall", first_name="Alice", username="wonderland_al")
        await said(fake, ALICE, "On duty now:")
        code = await file_report(fake, who="@Wonderland_Al, near the stairs")
        await said(fake, LENA, code)
        assert not any(code in text for text in texts(fake, ALICE))
        # she gets the answer a code that does not exist gets (issue 14)
        await step(fake, ALICE, f"/ack {code}", f"I can't find a case {code} that you can see")
        await step(fake, ALICE, f"/case {code}", f"I can't find a case {code} that you can see")
        assert not any("kept following me" in text for text in texts(fake, ALICE))


async def test_a_slack_display_name_names_the_member_and_only_members_are_looked_up(
    tmp_path: Path, slack: FakeSlack
) -> None:
    fake = slack
    fake.add_user(SLACK_ALICE, "Alice Liddell", display_name="wonder.al")
    fake.add_user(SLACK_SAM, "Sam Sample", display_name="sam")
    async with slack_bot(tmp_path / "slack.db", fake) as bot:
        status, _ = await fake.send_command(bot.url, SECRET, text="oncall", user_id=SLACK_ALICE)
        assert status == 200
        await bot.said(SLACK_ALICE, "On duty now:")
        code = await bot.file_report(who="wonder.al, from the meetup")
        await bot.said(SLACK_LENA, code)
        assert not any(code in text for text in bot.texts(SLACK_ALICE))
        other = await bot.file_report(who="Alice LIDDELL")
        await bot.said(SLACK_LENA, other)
        assert not any(other in text for text in bot.texts(SLACK_ALICE))
        # the channel shows them as it shows any case, with nothing that singles them out
        assert bot.texts(CHANNEL) and not any("lead" in t.lower() for t in bot.texts(CHANNEL))
    # Alice was looked up once for her names, for the hour. Sam wrote many times and was looked
    # up once only, for the language his Slack is in (issue 21); his names are never kept.
    calls = fake.calls_to("users.info")
    assert sorted(p["user"] for p in calls if not p.get("include_locale")) == [SLACK_ALICE]
    assert [p["user"] for p in calls if p.get("include_locale")] == [SLACK_SAM]
