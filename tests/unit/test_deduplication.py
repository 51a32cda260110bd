"""A platform retry or a double tap never creates a second case."""

from __future__ import annotations

from support import Harness


async def _to_summary(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "No")
    await bot.press("sam", "It happened to me")
    await bot.press("sam", "Pseudonymous")
    await bot.press("sam", "Message me here")
    await bot.say("sam", "It happened.")
    await bot.press("sam", "Done")
    await bot.press("sam", "Just now")
    await bot.press("sam", "Online")
    await bot.press("sam", "I don't know who")
    await bot.press("sam", "Not known")
    await bot.press("sam", "No one")
    await bot.press("sam", "Done")
    await bot.press("sam", "Skip")


async def _cases(bot: Harness) -> int:
    async with bot.app.store.transaction() as tx:
        return len(await tx.list_cases())


async def test_the_same_delivery_twice_creates_one_case(bot: Harness) -> None:
    await _to_summary(bot)
    send = bot.event("sam", button=bot.token("sam", "Send report"), delivery_id="update-42")
    assert await bot.app.handle(send) is True
    assert await bot.app.handle(send) is False
    await bot.app.flush()
    assert await _cases(bot) == 1
    assert len(bot.platform.chat("alice")) == 1
    assert sum("Your report is in" in t for t in bot.platform.texts("sam")) == 1


async def test_a_retry_after_a_restart_is_still_recognised(bot: Harness) -> None:
    await _to_summary(bot)
    send = bot.event("sam", button=bot.token("sam", "Send report"), delivery_id="update-43")
    await bot.app.handle(send)
    await bot.restart()
    assert await bot.app.handle(send) is False
    assert await _cases(bot) == 1


async def test_pressing_send_twice_with_distinct_deliveries_creates_one_case(
    bot: Harness,
) -> None:
    await _to_summary(bot)
    token = bot.token("sam", "Send report")
    await bot.app.handle(bot.event("sam", button=token, delivery_id="a"))
    await bot.app.handle(bot.event("sam", button=token, delivery_id="b"))
    await bot.app.flush()
    assert await _cases(bot) == 1
    assert "already sent or cancelled" in bot.last_text("sam")
