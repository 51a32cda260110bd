"""/testpage over Telegram (issue 17): the real library, over real HTTP, against the fake Bot
API. The test page goes out as a page does, with its Acknowledge button, and the answer says
how long the platform took to confirm it."""

from __future__ import annotations

import re
from pathlib import Path

from fakes.telegram_api import FakeTelegram
from test_telegram import ALICE, BOB, LENA, press, running_bot, said


def labels(message: dict[str, object]) -> list[str]:
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


async def test_a_test_page_reaches_telegram_with_acknowledge_and_its_delivery_time(
    tmp_path: Path,
) -> None:
    async with FakeTelegram() as fake, running_bot(tmp_path / "tg.db", fake):
        fake.push_message(ALICE, "/testpage")
        page = await said(fake, ALICE, "You asked for this test page")
        assert labels(page) == ["Acknowledge"]
        delivered = await said(fake, ALICE, "The test page reached you in")
        assert re.search(r"reached you in \d+\.\d s \(from being queued", delivered["text"])
        await press(fake, ALICE, "Acknowledge")
        await said(fake, ALICE, "Test page acknowledged after")

        fake.push_message(LENA, "/testpage Bob")  # a lead pages another member
        page = await said(fake, BOB, "Lena sent you this test page")
        assert labels(page) == ["Acknowledge"]
        await said(fake, LENA, "The test page reached Bob in")
        await press(fake, BOB, "Acknowledge")
        await said(fake, LENA, "Bob acknowledged the test page after")

        fake.push_message(LENA, "/testpage Dora")  # no Telegram id in the team file
        await said(fake, LENA, "Dora can't be paged: the team file has no id for them")
    assert fake.violations == []
