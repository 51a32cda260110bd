"""Telegram's rate limiter lets a page overtake ordinary messages and still keeps the limit
(adapters/telegram/priority.py), and with the real python-telegram-bot ExtBot over real HTTP."""

from __future__ import annotations

import asyncio
import time

from fakes.telegram_api import FakeTelegram
from telegram.ext import ExtBot
from test_telegram import ALICE, SAM

from adapters.telegram.messenger import TelegramMessenger
from adapters.telegram.priority import ORDINARY, URGENT, PriorityBucket, PriorityRateLimiter
from bot.ports.events import Address, Outbound
from bot.text.richtext import Rich, Span


async def _call(log: list[tuple[str, float]], name: str) -> bool:
    log.append((name, time.monotonic()))
    return True


async def test_an_urgent_send_overtakes_ordinary_ones_waiting_and_the_rate_is_kept() -> None:
    limiter = PriorityRateLimiter(overall_max_rate=5, urgent_reserve=0)  # 5 a second, bursts of 5
    log: list[tuple[str, float]] = []

    def send(name: str, priority: int) -> asyncio.Task[object]:
        return asyncio.create_task(
            limiter.process_request(_call, (log, name), {}, "sendMessage", {"chat_id": 7}, priority)
        )

    ordinary = [send(f"reply {n}", ORDINARY) for n in range(12)]
    await asyncio.sleep(0)  # the replies are queued first
    page = send("page", URGENT)
    await asyncio.wait_for(asyncio.gather(page, *ordinary), timeout=30)
    names = [name for name, _ in log]
    # the burst of five went at once; the page is the first of those that had to wait
    assert names[:5] == [f"reply {n}" for n in range(5)]
    assert names[5] == "page"
    assert names[6:] == [f"reply {n}" for n in range(5, 12)]
    # never more than 5 in any second, however they were ordered
    times = [t for _, t in log]
    for i in range(len(times) - 5):
        assert times[i + 5] - times[i] >= 1 - 0.05


async def test_ordinary_sends_leave_a_place_in_the_window_so_a_page_goes_at_once() -> None:
    bucket = PriorityBucket(rate=5, period=3600, reserve=1)  # an hour: no place frees up here
    for _ in range(4):
        await asyncio.wait_for(bucket.acquire(ORDINARY), timeout=5)
    fifth = asyncio.create_task(bucket.acquire(ORDINARY))
    await asyncio.sleep(0.05)
    assert not fifth.done()  # ordinary sends have had their four
    await asyncio.wait_for(bucket.acquire(URGENT), timeout=5)  # the page: the kept place
    later = asyncio.create_task(bucket.acquire(URGENT))
    await asyncio.sleep(0.05)
    assert not later.done() and not fifth.done()  # and the limit itself holds for pages too
    later.cancel()
    fifth.cancel()


async def test_groups_are_limited_apart_and_a_cancelled_waiter_does_not_take_a_place() -> None:
    bucket = PriorityBucket(rate=1, period=0.2)
    await bucket.acquire()
    gone = asyncio.create_task(bucket.acquire(URGENT))
    waiting = asyncio.create_task(bucket.acquire(ORDINARY))
    await asyncio.sleep(0)
    gone.cancel()
    await asyncio.wait_for(waiting, timeout=5)
    assert waiting.done() and not waiting.cancelled()
    limiter = PriorityRateLimiter(overall_max_rate=100, group_max_rate=1, group_time_period=60)
    log: list[tuple[str, float]] = []
    await limiter.process_request(_call, (log, "group a"), {}, "x", {"chat_id": -100}, None)
    other = limiter.process_request(_call, (log, "group b"), {}, "x", {"chat_id": -200}, None)
    await asyncio.wait_for(other, timeout=5)  # another group's limit is its own
    same = asyncio.create_task(
        limiter.process_request(_call, (log, "group a again"), {}, "x", {"chat_id": -100}, None)
    )
    await asyncio.sleep(0.2)
    assert not same.done()  # one a minute in that group: it waits
    same.cancel()


async def test_a_page_sent_through_the_messenger_overtakes_replies_waiting_in_the_limiter() -> None:
    # The whole way: TelegramMessenger, python-telegram-bot's ExtBot (which drops a falsy
    # rate_limit_args), our limiter at 2 a second, over HTTP to the fake Bot API.
    async with FakeTelegram(rate_limits=False) as fake:
        bot = ExtBot(
            "123:ABC",
            base_url=fake.base_url,
            rate_limiter=PriorityRateLimiter(overall_max_rate=2, urgent_reserve=0),
        )
        await bot.initialize()
        messenger = TelegramMessenger(bot)

        def message(chat: int, text: str, urgent: bool) -> Outbound:
            return Outbound(Address("telegram", str(chat)), Rich([Span(text)]), urgent=urgent)

        replies = [
            asyncio.create_task(messenger.send(message(SAM, f"reply {n}", False))) for n in range(6)
        ]
        await fake.wait_for(lambda: len(fake.messages(SAM)) >= 2, timeout=10)
        page = asyncio.create_task(messenger.send(message(ALICE, "page", True)))
        await asyncio.wait_for(asyncio.gather(page, *replies), timeout=30)
        await bot.shutdown()
    order = [params["text"] for name, params in fake.calls if name == "sendMessage"]
    assert order.index("page") == 2  # after the two that went at once, before the other four
