"""The escalation chain: every report reaches a person who acknowledges it, whatever happens."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support import Harness, case_code
from teams import chain_team

from bot.ports.platform import DeliveryError

PAGE = "A new report needs a safety contact."


@pytest.fixture
async def chain(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path / "chain.db", config=chain_team(), platform="telegram")
    await harness.start()
    yield harness
    await harness.stop()


def pages(bot: Harness, chat: str, code: str) -> int:
    return sum(1 for s in bot.platform.chat(chat) if code in s.text and "Acknowledge" in s.labels)


async def test_nobody_acknowledges_each_step_pages_in_order_then_leads_hear_it_ran_out(
    chain: Harness,
) -> None:
    code = await chain.file_report()
    assert (pages(chain, "111", code), pages(chain, "222", code), pages(chain, "333", code)) == (
        1,
        0,
        0,
    )
    await chain.advance(5)  # step 2: all safety contacts (Dora has no platform id)
    assert (pages(chain, "111", code), pages(chain, "222", code)) == (2, 1)
    assert "Nobody acknowledged the earlier page." in chain.platform.last("222").text
    assert "Dora could not be reached." in chain.platform.last("222").text
    await chain.advance(5)  # step 3: the leads and the external contact
    assert pages(chain, "333", code) == 1
    external = chain.platform.last("999").text
    assert code in external and "Please contact Lena" in external
    assert "following" not in external  # only what is needed
    await chain.advance(5)  # repeat = 1: the chain runs once more
    assert pages(chain, "111", code) == 3
    await chain.advance(5)
    await chain.advance(5)
    assert pages(chain, "333", code) == 2
    await chain.advance(5)  # exhausted
    assert f"{code} has reached nobody." in chain.platform.last("333").text
    await chain.advance(60)
    assert pages(chain, "111", code) == 4  # nothing more after exhaustion
    kinds = [kind for _, kind, _ in await chain.audit(code)]
    assert kinds.count("step_paged") == 6
    assert kinds[-2:] == ["chain_exhausted", "lead_told_exhausted"]


async def test_acknowledging_stops_the_chain(chain: Harness) -> None:
    code = await chain.file_report()
    await chain.press("111", "Acknowledge")
    await chain.advance(60)
    assert pages(chain, "222", code) == 0
    assert pages(chain, "333", code) == 0


async def test_escalate_pages_the_next_step_at_once_and_records_who_and_why(
    chain: Harness,
) -> None:
    code = await chain.file_report()
    await chain.say("111", f"/escalate {code} I know the reported person")
    assert pages(chain, "222", code) == 1
    assert "Escalated by Alice: I know the reported person" in chain.platform.last("222").text
    escalated = [d for actor, kind, d in await chain.audit(code) if kind == "escalated"]
    assert escalated == [{"reason": "I know the reported person"}]
    # the first step's deadline is stale now: the next step comes 5 s after the escalation
    await chain.advance(4.9)
    assert pages(chain, "333", code) == 0
    await chain.advance(0.2)
    assert pages(chain, "333", code) == 1


async def test_a_team_channel_post_held_back_by_its_rate_limit_does_not_hold_up_a_page(
    chain: Harness,
) -> None:
    taken = await chain.file_report("sam")
    code = await chain.file_report("kim")
    gate = asyncio.Event()  # the channel's post stays on its way, as when its limit is reached
    chain.platform.hold_for[chain.channel_id] = gate
    await chain.app.handle(chain.event("111", f"/ack {taken}"))  # edits the channel post
    async with asyncio.timeout(5):
        while not chain.platform.held:
            await asyncio.sleep(0.001)
    await chain.app.handle(chain.event("111", f"/escalate {code} I know them"))
    async with asyncio.timeout(10):  # held behind the post, it would never come
        while pages(chain, "222", code) == 0:
            await asyncio.sleep(0.001)
    assert chain.platform.held  # the page went while the channel post was still held
    gate.set()
    await chain.app.flush()
    (post,) = [s for s in chain.platform.chat(chain.channel_id) if taken in s.text]
    assert "awaiting acknowledgement" not in post.text and post.edits == 1


async def test_pages_are_edited_on_acknowledgement_with_who_and_when(chain: Harness) -> None:
    code = await chain.file_report()
    await chain.advance(5)
    await chain.press("222", "Acknowledge")
    for chat in ("111", "222"):
        for shown in chain.platform.chat(chat):
            if code in shown.text and shown.edits:
                assert shown.text == f"{code} · acknowledged by Bob at 10:00."
                assert shown.labels == []
    assert all(
        not (code in s.text and "Acknowledge" in s.labels)
        for chat in ("111", "222")
        for s in chain.platform.chat(chat)
    )


async def test_a_contact_who_blocked_the_bot_is_skipped_at_once(chain: Harness) -> None:
    chain.platform.fail_for["111"] = DeliveryError(
        "Forbidden: bot was blocked by the user", unreachable=True
    )
    code = await chain.file_report()
    # no waiting: Alice's page bounced, so the next step is paged straight away
    assert pages(chain, "222", code) == 1
    assert "Alice could not be reached." in chain.platform.last("222").text
    skips = [d for _, kind, d in await chain.audit(code) if kind == "page_skipped"]
    assert {"member": "alice", "reason": "blocked the bot"} in skips
    assert {"member": "dora", "reason": "unreachable"} in skips


async def test_an_excluded_member_is_skipped_at_once_with_the_reason(chain: Harness) -> None:
    code = await chain.file_report(exclude=("Alice",))
    skips = [d for _, kind, d in await chain.audit(code) if kind == "page_skipped"]
    assert {"member": "alice", "reason": "excluded by the reporter"} in skips
    assert pages(chain, "111", code) == 0
    # the on-duty step reached nobody, so the next step was paged at once
    assert pages(chain, "222", code) == 1
    assert [kind for _, kind, _ in await chain.audit(code)].count("step_skipped") == 1


async def test_a_member_named_by_a_single_word_is_skipped_and_the_chain_goes_on_as_usual(
    chain: Harness,
) -> None:
    # "Alice" is her id and a single word: a weak match keeps the report from her but does not
    # send it above the team (that takes a strong match: tests/stories/test_weak_names.py)
    code = await chain.file_report(who_text="Alice, from the safety team")
    skips = [d for _, kind, d in await chain.audit(code) if kind == "page_skipped"]
    assert {"member": "alice", "reason": "named in the report"} in skips
    assert pages(chain, "111", code) == 0
    assert pages(chain, "222", code) == 1  # the on-duty step reached nobody: the next one
    assert pages(chain, "333", code) == 0
    assert not any(code in text for text in chain.platform.texts("999"))


async def test_acknowledge_racing_a_timer_has_exactly_one_outcome(chain: Harness) -> None:
    for ack_first in (True, False):
        code = await chain.file_report(f"p{ack_first}")
        chain.clock.advance(5)  # the step's deadline has come
        ack = chain.app.handle(chain.event("111", button=chain.token("111", "Acknowledge")))
        fire = chain.app.scheduler.fire_due()
        if ack_first:
            await asyncio.gather(ack, fire)
        else:
            await asyncio.gather(fire, ack)
        await chain.app.flush()
        audit = await chain.audit(code)
        kinds = [kind for _, kind, _ in audit]
        assert kinds.count("acknowledged") == 1
        after_ack = kinds[kinds.index("acknowledged") :]
        assert "paged" not in after_ack
        assert "step_paged" not in after_ack
        for chat in ("111", "222"):
            assert not any(
                code in s.text and "Acknowledge" in s.labels for s in chain.platform.chat(chat)
            ), chat
        await chain.advance(60)
        assert [kind for _, kind, _ in await chain.audit(code)] == kinds


async def test_the_policy_is_copied_into_the_case_when_it_opens(tmp_path: Path) -> None:
    bot = Harness(tmp_path / "p.db", config=chain_team(wait="5s"), platform="telegram")
    await bot.start()
    old = await bot.file_report("sam")
    bot.config = chain_team(wait="60s")  # the team file is edited and the bot restarted
    await bot.restart()
    new = await bot.file_report("kim")
    await bot.advance(5)
    assert pages(bot, "222", old) == 1  # the old case keeps its 5 s waits
    assert pages(bot, "222", new) == 0
    await bot.advance(55)
    assert pages(bot, "222", new) == 1
    await bot.stop()


async def test_critical_pages_everyone_at_once_and_repeats_until_acknowledged(
    chain: Harness,
) -> None:
    await chain.say("sam", "/start")
    await chain.press("sam", "I need help now")
    code = case_code(chain.last_text("sam"))
    assert (pages(chain, "111", code), pages(chain, "222", code), pages(chain, "333", code)) == (
        1,
        1,
        0,
    )
    await chain.advance(119)
    assert pages(chain, "111", code) == 1
    await chain.advance(1)  # critical_repeat = 2m; the leads join from the first repeat
    assert (pages(chain, "111", code), pages(chain, "222", code), pages(chain, "333", code)) == (
        2,
        2,
        1,
    )
    assert "Still not acknowledged." in chain.platform.last("222").text
    await chain.press("333", "Acknowledge")
    await chain.advance(600)
    assert (pages(chain, "111", code), pages(chain, "222", code), pages(chain, "333", code)) == (
        0,
        0,
        0,
    )  # every page was edited to "acknowledged"
    assert sum(code in t for t in chain.platform.texts("111")) == 2


async def test_idle_case_reminds_its_handler_then_its_lead(chain: Harness) -> None:
    code = await chain.file_report()
    await chain.press("111", "Acknowledge")
    await chain.advance(2 * 3600 - 1)
    assert "no update" not in chain.platform.last("111").text
    await chain.advance(1)
    assert f"{code} has had no update for 2 h" in chain.platform.last("111").text
    assert not any("no update" in t for t in chain.platform.texts("333"))
    await chain.advance(2 * 3600)
    assert f"{code} has had no update for 4 h (handler: Alice)" in chain.platform.last("333").text


async def test_a_channel_step_names_who_is_on_duty_and_is_updated_on_ack(tmp_path: Path) -> None:
    from teams import CHAIN

    from bot.config.teamfile import parse_team_text

    text = CHAIN.format(wait="5s", repeat=0).replace(
        'notify = ["on_duty"]', 'notify = ["channel", "on_duty"]'
    )
    bot = Harness(tmp_path / "c.db", config=parse_team_text(text, "c.toml"), platform="telegram")
    await bot.start()
    code = await bot.file_report()
    alert = next(s for s in bot.platform.chat(bot.channel_id) if "needs a safety contact" in s.text)
    assert alert.text.endswith("needs a safety contact · Alice")
    assert "following" not in alert.text
    await bot.press("111", "Acknowledge")
    assert alert.edits == 1
    assert alert.text == f"{code} · medium · acknowledged by Alice after less than a minute"
    await bot.stop()
