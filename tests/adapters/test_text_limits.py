"""Text that fits the platform: lengths measured and cut in each platform's own units.

Telegram counts a message's text in UTF-16 code units after entity parsing; Slack counts a
section's text as sent (escapes and marks included), at most 3000, and at most 50 blocks a
message. Through the real adapters against the fakes, which refuse anything longer.
"""

from __future__ import annotations

import asyncio
import html
import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fakes.slack_api import FakeSlack
from fakes.telegram_api import FakeTelegram
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from slack_sdk.web.async_client import AsyncWebClient
from telegram import Bot
from test_slack import FAST, slack_bot
from test_telegram import ALICE, SAM, file_report, running_bot, texts

from adapters.slack.messenger import SlackMessenger
from adapters.telegram.messenger import TelegramMessenger
from bot.ports.events import Address, Choice, Outbound
from bot.text.richtext import Rich, Span
from bot.text.splitting import split, utf8_bytes, utf16_units

TELEGRAM_LIMIT = 4096
SECTION_LIMIT = 3000


def the_given_account() -> str:
    """Issue 13's input: about 3,500 ordinary characters, then 150 emoji."""
    sentence = "He followed me from the coffee break to the lifts and would not stop talking. "
    ordinary = (sentence * 50)[:3500]
    return ordinary + "\N{CRYING FACE}" * 150


# -- Telegram: the given input ----------------------------------------------------------------


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations == []


async def test_the_given_account_is_reviewed_sent_and_paged_within_telegrams_limit(
    tmp_path: Path, telegram: FakeTelegram
) -> None:
    account = the_given_account()
    assert utf16_units(account) <= TELEGRAM_LIMIT  # it fits in the reporter's one message
    async with running_bot(tmp_path / "tg.db", telegram):
        code = await file_report(telegram, account=account)  # presses "Send report"
        await telegram.wait_for(lambda: account in "".join(texts(telegram, ALICE)))
        page = telegram.messages(ALICE)
    assert code in page[0]["text"]
    assert page[-1]["reply_markup"]["inline_keyboard"]  # Acknowledge comes with the last part
    review = [m for m in telegram.messages(SAM) if m["reply_markup"]]
    assert any("Send report" in str(m["reply_markup"]) for m in review)
    assert not any("Please use one of the buttons" in t for t in texts(telegram, SAM))
    for chat in (SAM, ALICE):
        for message in telegram.messages(chat):
            assert utf16_units(message["text"]) <= TELEGRAM_LIMIT


# -- Slack: the given input -------------------------------------------------------------------


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(post_rate=FAST) as server:
        yield server
        assert server.violations == []


def sections(message: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in message.get("blocks") or [] if b["type"] == "section"]


def shown_text(messages: list[dict[str, Any]]) -> str:
    return "".join(html.unescape(text) for m in messages for text in sections(m))


def within_slack_limits(message: dict[str, Any]) -> None:
    assert len(message["blocks"]) <= 50
    for text in sections(message):
        assert utf8_bytes(text) <= SECTION_LIMIT


async def test_the_given_account_is_reviewed_sent_and_paged_within_slacks_limits(
    tmp_path: Path, slack: FakeSlack
) -> None:
    alice = "U0ALICE"
    account = the_given_account()
    async with slack_bot(tmp_path / "slack.db", slack) as bot:
        code = await bot.file_report(account=account)  # presses "Send report"
        await slack.wait_for(lambda: account in shown_text(slack.messages(alice)))
    assert code in slack.visible_text(slack.messages(alice)[0])
    for channel in ("U0SAM", alice):
        for message in slack.messages(channel):
            within_slack_limits(message)


# -- The kind: any text, through the real adapters ---------------------------------------------

FRAGMENTS = [
    "word",
    "Hello, world.",
    "\N{WAVING HAND SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-5}",  # emoji with a skin tone
    "\N{WOMAN}\N{ZERO WIDTH JOINER}\N{WOMAN}\N{ZERO WIDTH JOINER}\N{GIRL}",  # a family: one glyph
    "\N{REGIONAL INDICATOR SYMBOL LETTER A}\N{REGIONAL INDICATOR SYMBOL LETTER T}",  # a flag
    "\N{GRINNING FACE}",
    "漢字かな交じり文",  # CJK
    "שלום עולם",  # Hebrew, right to left
    "مرحبا بالعالم",  # Arabic, right to left
    "e\N{COMBINING ACUTE ACCENT}",  # a letter and its accent
    "<b>&amp; \"quotes\" 'single' & < >",  # HTML and mrkdwn specials
    "*not bold* _not italic_ `not code` <!channel>",
    " ",
    "\n",
    "\n\n",
]

spans = st.builds(
    Span,
    st.lists(
        st.tuples(st.sampled_from(FRAGMENTS), st.integers(1, 150)), min_size=1, max_size=6
    ).map(lambda runs: "".join(fragment * count for fragment, count in runs)),
    st.sampled_from(["plain", "bold", "italic", "code"]),
)
texts_strategy = st.lists(spans, min_size=1, max_size=8).map(lambda s: Rich(tuple(s)))


@settings(max_examples=200, deadline=None)
@given(text=texts_strategy, limit=st.integers(8, 600))
def test_split_pieces_fit_and_join_back_to_the_text(text: Rich, limit: int) -> None:
    pieces = split(text, limit, lambda span: utf16_units(span.text))
    assert all(utf16_units(p.plain) <= limit for p in pieces)
    assert "".join(p.plain for p in pieces) == text.plain
    # styles survive: each character keeps the style it had
    styled = [(c, s.style) for s in text.spans for c in s.text]
    assert [(c, s.style) for p in pieces for s in p.spans for c in s.text] == styled
    for before, after in itertools.pairwise(pieces):
        # never inside a character drawn as one: no piece starts with what joins the one before
        first = after.plain[0]
        assert first not in "\N{ZERO WIDTH JOINER}\N{COMBINING ACUTE ACCENT}"
        assert not 0x1F3FB <= ord(first) <= 0x1F3FF
        assert not before.plain.endswith("\N{ZERO WIDTH JOINER}")


async def _through_telegram(text: Rich, with_buttons: bool) -> None:
    # no flood limits here: a long text is many messages at once, and pacing is not the point
    async with (
        FakeTelegram(rate_limits=False) as fake,
        Bot("123:ABC", base_url=fake.base_url) as bot,
    ):
        choices = [Choice("Send report", "tok1"), Choice("Edit", "tok2")] if with_buttons else []
        await TelegramMessenger(bot).send(Outbound(Address("telegram", "7"), text, choices))
        assert fake.violations == []
        shown = fake.messages(7)
    for message in shown:
        assert utf16_units(message["text"]) <= TELEGRAM_LIMIT
    in_order_and_whole([m["text"] for m in shown], text.plain)
    marked = [bool(m["reply_markup"]) for m in shown]
    assert marked == [False] * (len(shown) - 1) + [with_buttons]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=[
        Phase.explicit,
        Phase.reuse,
        Phase.generate,
    ],  # each example runs a server: no shrinking
)
@given(
    body=texts_strategy,
    copies=st.integers(1, 4),
    with_buttons=st.booleans(),
)
def test_any_text_reaches_telegram_in_parts_within_its_limit(
    body: Rich, copies: int, with_buttons: bool
) -> None:
    text = Rich(body.spans * copies)  # long enough to need cutting, often
    if not text.plain.strip():
        return
    asyncio.run(_through_telegram(text, with_buttons))


def in_order_and_whole(parts: list[str], text: str) -> None:
    """The parts, joined, are the text, except spaces and line breaks between them (a platform
    trims those from each message's ends, and a part of nothing else is not sent)."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0 and not text[position:found].strip(), (position, part[:80])
        position = found + len(part)
    assert not text[position:].strip()


def _unmarked(mrkdwn: str) -> str:
    return html.unescape(mrkdwn).translate(str.maketrans("", "", "*_`"))


async def _through_slack(text: Rich, with_buttons: bool) -> None:
    async with FakeSlack(post_rate=FAST) as fake:
        client = AsyncWebClient(token="xoxb-test-token", base_url=fake.api_url)
        messenger = SlackMessenger(client, per_channel=FAST, burst=50)
        choices = [Choice("Send report", "tok1"), Choice("Edit", "tok2")] if with_buttons else []
        await messenger.send(Outbound(Address("slack", "C0TEAM01"), text, choices))
        assert fake.violations == []
        shown = fake.messages("C0TEAM01")
    for message in shown:
        within_slack_limits(message)
    in_order_and_whole(
        [_unmarked(s) for m in shown for s in sections(m)],
        text.plain.translate(str.maketrans("", "", "*_`")),
    )
    marked = [any(b["type"] == "actions" for b in m["blocks"]) for m in shown]
    assert marked == [False] * (len(shown) - 1) + [with_buttons]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=[
        Phase.explicit,
        Phase.reuse,
        Phase.generate,
    ],  # each example runs a server: no shrinking
)
@given(body=texts_strategy, copies=st.integers(1, 4), with_buttons=st.booleans())
def test_any_text_reaches_slack_in_sections_within_its_limits(
    body: Rich, copies: int, with_buttons: bool
) -> None:
    text = Rich(body.spans * copies)
    if not text.plain.strip():
        return
    asyncio.run(_through_slack(text, with_buttons))


async def test_a_text_longer_than_fifty_sections_goes_as_several_slack_messages_and_edits_whole(
    slack: FakeSlack,
) -> None:
    client = AsyncWebClient(token="xoxb-test-token", base_url=slack.api_url)
    messenger = SlackMessenger(client, per_channel=FAST, burst=50)
    paragraph = "\N{CRYING FACE} I could not find anyone to tell. " * 60  # ~3000 bytes
    long_text = Rich((Span("\n\n".join([paragraph] * 120)),))
    buttons = [Choice("Acknowledge", "tok1")]
    ref = await messenger.send(Outbound(Address("slack", "C0TEAM01"), long_text, buttons))
    shown = slack.messages("C0TEAM01")
    assert len(shown) == len(ref.split(",")) >= 3
    for message in shown:
        within_slack_limits(message)
    assert "".join(_unmarked(s) for m in shown for s in sections(m)) == long_text.plain
    assert [any(b["type"] == "actions" for b in m["blocks"]) for m in shown][-1]
    assert not any(any(b["type"] == "actions" for b in m["blocks"]) for m in shown[:-1])
    short = Outbound(Address("slack", "C0TEAM01"), Rich((Span("acknowledged by Alice"),)), [])
    short.replaces_ref = ref
    await messenger.send(short)
    shown = slack.messages("C0TEAM01")
    assert [sections(m) for m in shown] == [["acknowledged by Alice"]]  # the other parts deleted


async def test_a_long_button_label_is_shortened_within_slacks_limit_between_characters(
    slack: FakeSlack,
) -> None:
    client = AsyncWebClient(token="xoxb-test-token", base_url=slack.api_url)
    flags = "\N{REGIONAL INDICATOR SYMBOL LETTER A}\N{REGIONAL INDICATOR SYMBOL LETTER T}" * 30
    choice = Choice(flags, "tok1")
    text = Rich((Span("Choose one."),))
    await SlackMessenger(client).send(Outbound(Address("slack", "C0TEAM01"), text, [choice]))
    (message,) = slack.messages("C0TEAM01")
    (button,) = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    label = button["text"]["text"]
    assert utf8_bytes(label) <= 75 and label.endswith("…")
    assert flags.startswith(label[:-1]) and len(label[:-1]) % 2 == 0  # whole flags only
