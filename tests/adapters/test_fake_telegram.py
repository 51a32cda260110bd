"""The fake Telegram Bot API, proven against the real python-telegram-bot over real HTTP.

The adapter tests trust this fake to answer like Telegram; these tests are why they may.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from fakes.telegram_api import BOT_ID, FakeTelegram, _utf16_len, parse_html
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

TOKEN = "123:ABC"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(token=TOKEN, base_url=fake.base_url) as client:
        yield client


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data)] for text, data in pairs]
    )


async def test_the_real_library_sends_and_edits_without_violations(
    fake: FakeTelegram, bot: Bot
) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (BOT_ID, "fsb_test_bot", True)
    assert fake.token_seen == TOKEN

    sent = await bot.send_message(
        chat_id=7,
        text="<b>New report</b> from &lt;anon&gt; &amp; friends &#x27;ok&#x27;",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(("Acknowledge", "ack:R-1"), ("Escalate", "esc:R-1")),
    )
    assert sent.text == "New report from <anon> & friends 'ok'"
    assert sent.entities[0].type == "bold"
    assert sent.reply_markup is not None
    assert sent.from_user is not None and sent.from_user.id == BOT_ID

    edited = await bot.edit_message_text(
        chat_id=7,
        message_id=sent.message_id,
        text="<i>Acknowledged</i> by Alex",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(("Resolve", "res:R-1")),
    )
    assert isinstance(edited, type(sent)) and edited.text == "Acknowledged by Alex"

    (shown,) = fake.messages(7)
    assert shown["text"] == "Acknowledged by Alex"
    assert shown["edit_count"] == 1
    assert fake.button_data(7, "Resolve") == "res:R-1"
    with pytest.raises(LookupError, match="Resolve"):
        fake.button_data(7, "Acknowledge")  # the edit replaced the keyboard
    assert [name for name, _ in fake.calls] == ["getMe", "getMe", "sendMessage", "editMessageText"]
    assert fake.violations == []
    assert fake.errors == []


async def test_length_is_counted_in_utf16_units_and_text_must_be_valid(
    fake: FakeTelegram, bot: Bot
) -> None:
    """Telegram counts an emoji outside the BMP as two units. A lone surrogate cannot even be
    sent: python-telegram-bot fails to encode it (why the bot cleans text as it arrives)."""
    await bot.send_message(chat_id=7, text="😟" * 2048)  # 2048 characters, 4096 units
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(chat_id=7, text="😟" * 2048 + "x")  # 2049 characters
    with pytest.raises(NetworkError, match="surrogates not allowed"):
        await bot.send_message(chat_id=7, text="half an emoji \ud83d")
    assert len(fake.violations) == 1
    assert len(fake.messages(7)) == 1
    with pytest.raises(ValueError, match="4096 UTF-16 units"):
        fake.push_message(7, "😟" * 2049)  # no Telegram app sends that: it is a paste
    paste = [u["message"]["text"] for u in fake.push_paste(7, "😟 " * 3000)]  # 9000 units
    assert [_utf16_len(text) for text in paste] == [4095, 4095, 810]
    assert "".join(paste) == "😟 " * 3000
    fake.violations.clear()


async def test_what_telegram_refuses_is_answered_and_recorded(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(chat_id=7, text="x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(chat_id=7, text="<b>unbalanced", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(chat_id=7, text="hi", reply_markup=keyboard(("Go", "é" * 32 + "x")))
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")

    assert len(fake.violations) == 4, fake.violations
    too_long, unbalanced, button, unknown = fake.violations
    assert "4097 UTF-16 code units" in too_long
    assert 'start tag "b"' in unbalanced
    assert "65 bytes" in button
    assert unknown.startswith("noSuchMethod")
    assert fake.messages(7) == []


async def test_the_length_limit_applies_after_entity_parsing(fake: FakeTelegram, bot: Bot) -> None:
    text = "<b>" + "&amp;" * 4096 + "</b>"  # 20485 characters sent, 4096 shown
    await bot.send_message(chat_id=7, text=text, parse_mode=ParseMode.HTML)
    assert fake.violations == []


@pytest.mark.parametrize(
    ("text", "fits"),
    [
        ("x" * 4096, True),
        ("\N{GRINNING FACE}" * 2048, True),  # two UTF-16 code units each
        ("\N{GRINNING FACE}" * 2049, False),  # 2049 characters, 4098 code units
        ("\N{WAVING HAND SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-4}" * 1024, True),
        ("x" + "\N{WAVING HAND SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-4}" * 1024, False),
        ("\N{CJK UNIFIED IDEOGRAPH-4E00}" * 4096, True),  # one code unit each
        ("<b>" + "\N{GRINNING FACE}" * 2048 + "</b>", True),  # tags are not text
        ("&#128512;" * 2048 + "&lt;", False),  # entities count as what they decode to
    ],
)
async def test_the_length_is_counted_in_utf16_code_units(
    fake: FakeTelegram, bot: Bot, text: str, fits: bool
) -> None:
    if fits:
        await bot.send_message(chat_id=7, text=text, parse_mode=ParseMode.HTML)
        assert fake.violations == []
    else:
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(chat_id=7, text=text, parse_mode=ParseMode.HTML)
        assert len(fake.violations) == 1


@pytest.mark.parametrize(
    "text",
    [
        "<br>line",  # no such tag in Telegram's HTML
        "a < b",  # a bare "<"
        "Tom & Jerry",  # "&" that starts no entity
        "&nbsp;",  # only four named entities are supported
        "<b><i>crossed</b></i>",
        '<span class="x">no</span>',
        "",
    ],
)
async def test_html_telegram_would_refuse_is_a_violation(
    fake: FakeTelegram, bot: Bot, text: str
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(chat_id=7, text=text, parse_mode=ParseMode.HTML)
    assert len(fake.violations) == 1


def test_html_that_telegram_accepts_parses_to_text_and_entities() -> None:
    plain, entities = parse_html(
        '<a href="https://x.test/?a=1&amp;b=2">link</a> <tg-spoiler>s</tg-spoiler> '
        '<pre><code class="language-python">x = 1</code></pre> 3 > 2 &#128512;'
    )
    assert plain == "link s x = 1 3 > 2 \U0001f600"
    assert [e["type"] for e in entities] == ["text_link", "spoiler", "pre"]
    assert entities[0]["url"] == "https://x.test/?a=1&b=2"
    assert entities[2]["language"] == "python"


async def test_get_updates_long_polls_and_honours_offset(fake: FakeTelegram, bot: Bot) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await fake.wait_for(lambda: fake.calls_to("getUpdates"))  # the poll is waiting
    pushed = fake.push_message(5, "/start hello", first_name="Robin")
    (update,) = await asyncio.wait_for(poll, 5)
    assert time.monotonic() - started < 5  # answered when the update came, not at the timeout
    assert update.update_id == pushed["update_id"]
    assert update.message is not None and update.message.text == "/start hello"
    assert filters.COMMAND.check_update(update)

    second = fake.push_message(5, "more")
    updates = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert [u.update_id for u in updates] == [second["update_id"]]

    started = time.monotonic()
    assert await bot.get_updates(offset=second["update_id"] + 1, timeout=1) == ()
    assert time.monotonic() - started >= 0.9  # nothing queued: waits the timeout out

    fake.redeliver(pushed)  # a platform retry: the very same update again
    (again,) = await bot.get_updates(offset=second["update_id"] + 1, timeout=0)
    assert again.update_id == pushed["update_id"]
    assert await bot.get_updates(offset=again.update_id + 1, timeout=0) == ()
    assert fake.violations == []


async def test_an_upgraded_group_refuses_its_old_id_and_says_where_it_went(
    fake: FakeTelegram, bot: Bot
) -> None:
    await bot.send_message(chat_id=-500, text="before")
    to, from_ = fake.migrate_group(-500, -1009500)
    with pytest.raises(ChatMigrated) as moved:
        await bot.send_message(chat_id=-500, text="after")
    assert moved.value.new_chat_id == -1009500
    await bot.send_message(chat_id=-1009500, text="after")
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [to["update_id"], from_["update_id"]]
    old, new = (u.message for u in updates)
    assert old is not None and new is not None
    assert (old.chat.id, old.chat.type, old.migrate_to_chat_id) == (-500, "group", -1009500)
    assert (new.chat.id, new.chat.type, new.migrate_from_chat_id) == (-1009500, "supergroup", -500)
    assert [m["text"] for m in fake.messages(-1009500)] == ["after"]
    assert fake.violations == []


async def test_injected_failures_surface_as_ptb_errors(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter) as limited:
        await bot.send_message(chat_id=7, text="one")
    assert "3" in str(limited.value)

    fake.fail_next("sendMessage", 403, chat_id=8)
    await bot.send_message(chat_id=7, text="other chat is unaffected")
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(chat_id=8, text="two")
    await bot.send_message(chat_id=8, text="only once")

    fake.block(9)
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(chat_id=9, text="anyone there?")

    assert [status for _, status, _ in fake.injected] == [429, 403, 403, 403]
    assert [m["text"] for m in fake.messages(7)] == ["other chat is unaffected"]
    assert fake.violations == [] and fake.errors == []


async def test_a_no_op_edit_is_refused_like_telegram(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(chat_id=7, text="same", reply_markup=keyboard(("A", "a")))
    same = {"chat_id": 7, "message_id": sent.message_id, "text": "same"}
    await bot.edit_message_text(**same, reply_markup=keyboard(("B", "b")))
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text(**same, reply_markup=keyboard(("B", "b")))
    await bot.edit_message_text(**same)  # leaving the markup out removes the keyboard
    assert fake.messages(7)[0]["reply_markup"] is None
    assert fake.messages(7)[0]["edit_count"] == 2
    await bot.delete_message(chat_id=7, message_id=sent.message_id)
    assert fake.messages(7) == []
    assert fake.violations == []


async def test_a_burst_over_30_messages_a_second_is_rate_limited() -> None:
    async with FakeTelegram(flood_jitter=0) as fake:
        fake.clock = lambda: 1000.0  # a frozen clock: all 35 land in the same second
        async with Bot(token=TOKEN, base_url=fake.base_url) as bot:
            outcomes = []
            for n in range(35):
                try:
                    await bot.send_message(chat_id=100 + n, text=f"page {n}")
                    outcomes.append("sent")
                except RetryAfter:
                    outcomes.append("429")
    assert outcomes == ["sent"] * 30 + ["429"] * 5
    assert fake.rate_limited == 5


async def test_a_burst_is_counted_by_the_window_model() -> None:
    async with (
        FakeTelegram(flood_model="window") as fake,
        Bot(token=TOKEN, base_url=fake.base_url) as bot,
    ):
        fake.clock = lambda: 1000.0  # a frozen clock: all 35 land in the same second
        for n in range(35):
            with contextlib.suppress(RetryAfter):
                await bot.send_message(chat_id=100 + n, text="page")
    assert fake.rate_limited == 5


async def test_ptbs_own_rate_limiter_keeps_a_bot_under_the_limits(fake: FakeTelegram) -> None:
    """A bot that throttles the way PTB does is not flagged: the adapter can rely on that."""
    # A busy CI machine delays some requests and bunches the next ones; forgive half a second.
    fake.flood_jitter = 0.5
    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(fake.base_url)
        .rate_limiter(AIORateLimiter(max_retries=0))
        .build()
    )
    async with app:
        await asyncio.gather(*(app.bot.send_message(100 + n, "page") for n in range(40)))
    assert fake.rate_limited == 0
    assert len(fake.calls_to("sendMessage")) == 40


async def test_more_than_20_a_minute_to_one_group_is_rate_limited(
    fake: FakeTelegram, bot: Bot
) -> None:
    now = [0.0]
    fake.clock = lambda: now[0]
    for _ in range(20):
        now[0] += 0.1  # 20 in two seconds: the bucket is full
        await bot.send_message(chat_id=-1001, text="team update")
    with pytest.raises(RetryAfter):
        await bot.send_message(chat_id=-1001, text="one too many")
    await bot.send_message(chat_id=-1002, text="another group is fine")
    assert fake.rate_limited == 1


async def test_a_ptb_application_polls_commands_and_button_presses(fake: FakeTelegram) -> None:
    """End to end: Application + Updater long-polling the fake, handlers replying."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(
            update.effective_chat.id, "Hello!", reply_markup=keyboard(("Report", "report"))
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Noted")
        await query.edit_message_text(f"You chose {query.data}")

    app = Application.builder().token(TOKEN).base_url(fake.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        fake.push_message(5, "/start")
        await fake.wait_for(lambda: fake.messages(5), what="the /start reply")
        (hello,) = fake.messages(5)
        fake.push_callback(5, hello["message_id"], fake.button_data(5, "Report"))
        await fake.wait_for(lambda: fake.messages(5)[0]["text"] == "You chose report")
        await app.updater.stop()
        await app.stop()
    assert len(fake.calls_to("answerCallbackQuery")) == 1
    assert fake.violations == [] and fake.errors == []


async def test_commands_are_recorded_per_scope(fake: FakeTelegram, bot: Bot) -> None:
    from telegram import BotCommand, BotCommandScopeChat

    await bot.set_my_commands([BotCommand("report", "File a private report")])
    await bot.set_my_commands(
        [BotCommand("page", "Page the on-call")], scope=BotCommandScopeChat(-1001)
    )
    assert fake.commands["default"] == [
        {"command": "report", "description": "File a private report"}
    ]
    assert fake.commands["chat:-1001"][0]["command"] == "page"
    assert [c.command for c in await bot.get_my_commands()] == ["report"]
    assert fake.violations == []


async def test_webhook_post_delivers_with_the_secret_header(fake: FakeTelegram, bot: Bot) -> None:
    received: list[tuple[str | None, dict[str, object]]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await bot.set_webhook("https://bot.example.org/hook", secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == "https://bot.example.org/hook"
        update = fake.push_message(5, "hi")
        status, body = await fake.webhook_post(f"http://127.0.0.1:{port}/hook", update, "s3cret")
    finally:
        await runner.cleanup()
    assert (status, body) == (200, "ok")
    assert received == [("s3cret", update)]
    assert fake.webhook.secret_token == "s3cret"
    with pytest.raises(Exception, match="webhook is active"):
        await bot.get_updates()


async def test_wait_for_explains_a_timeout(fake: FakeTelegram) -> None:
    with pytest.raises(AssertionError, match="never"):
        await fake.wait_for(lambda: False, timeout=0.1, what="never")


async def test_raw_http_json_bodies_are_checked_too(fake: FakeTelegram) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{fake.base_url}{TOKEN}/sendMessage"
        async with session.post(url, json={"chat_id": 7, "text": "hi", "colour": "red"}) as r:
            assert r.status == 400
        async with session.post(url, json={"chat_id": 7, "text": "42"}) as r:
            assert (await r.json())["result"]["text"] == "42"
    assert fake.violations == ["sendMessage: unknown field 'colour'"]
