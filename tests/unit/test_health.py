"""The health server over real HTTP: ``GET /healthz`` says 200 only when the database answers,
the outbox workers and the scheduler run, and no page has waited too long; 503 otherwise, with a
JSON body of facts (no content, no identities). ``GET /metrics`` is Prometheus text with the
counts a report and an acknowledgement leave behind."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from faults import WriteLock
from prometheus_client.parser import text_string_to_metric_families
from support import Harness

from bot.config.settings import DEFAULT_PAGE_WAIT
from bot.main.health_server import HealthServer
from bot.ports.health import HEALTH_PATH, METRICS_PATH
from bot.ports.platform import DeliveryError

ACCOUNT = "He followed me to the lifts ACCOUNTMARK-4410"


@pytest.fixture
async def served(bot: Harness) -> AsyncIterator[str]:
    """The bot's health server on a free port; its base URL."""
    server = HealthServer(bot.app, "127.0.0.1", 0)
    await server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        await server.stop()


async def get(url: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers["Content-Type"], await response.text()


async def health(base: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.get(base + HEALTH_PATH) as response:
        return response.status, await response.json()


def no_people(body: str, bot: Harness) -> None:
    """Nothing in ``body`` names or quotes anyone."""
    for member in bot.config.members:
        assert member.id not in body and member.name not in body
    assert "ACCOUNTMARK" not in body and "sam" not in body


async def test_a_running_bot_is_healthy(bot: Harness, served: str) -> None:
    await bot.file_report(account=ACCOUNT)
    status, kind, text = await get(served + HEALTH_PATH)
    assert (status, kind.split(";")[0]) == (200, "application/json")
    _, body = await health(served)
    assert body == {
        "status": "ok",
        "problems": [],
        "database": True,
        "workers": {"outbox": True, "outbox_channel": True, "scheduler": True},
        "oldest_page_wait_seconds": 0.0,
        "page_wait_limit_seconds": DEFAULT_PAGE_WAIT,
    }
    no_people(text, bot)


async def test_a_database_that_does_not_answer_is_unhealthy_until_it_does(
    bot: Harness, served: str
) -> None:
    lock = await WriteLock(bot.path).take()  # another process holds the file past the timeout
    try:
        status, body = await health(served)
    finally:
        await lock.release()
    assert status == 503
    assert body["database"] is False and body["status"] == "unhealthy"
    assert body["problems"] == ["database not answering"]
    assert body["oldest_page_wait_seconds"] is None  # unknown, not "none waits"
    status, body = await health(served)
    assert (status, body["database"]) == (200, True)


@pytest.mark.parametrize("worker", ["outbox", "outbox_channel", "scheduler"])
async def test_a_worker_that_died_makes_the_bot_unhealthy(
    bot: Harness, served: str, worker: str
) -> None:
    name = {"outbox": "outbox", "outbox_channel": "outbox: channel"}.get(worker, worker)
    (task,) = [t for t in bot.app._tasks if t.get_name() == name]
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    status, body = await health(served)
    assert status == 503
    assert body["workers"] == {
        "outbox": worker != "outbox",
        "outbox_channel": worker != "outbox_channel",
        "scheduler": worker != "scheduler",
    }
    assert body["problems"] == [f"{worker} not working"] and body["database"] is True


async def test_a_page_that_waits_too_long_makes_the_bot_unhealthy_until_it_goes(
    bot: Harness, served: str
) -> None:
    bot.platform.fail_for["alice"] = DeliveryError("500 Internal Server Error")
    code = await bot.file_report(account=ACCOUNT)
    await bot.advance(DEFAULT_PAGE_WAIT - 1)
    status, body = await health(served)
    assert (status, body["oldest_page_wait_seconds"]) == (200, DEFAULT_PAGE_WAIT - 1)
    await bot.advance(2)
    status, body = await health(served)
    assert status == 503
    assert body["problems"] == ["a page has waited too long"]
    assert body["oldest_page_wait_seconds"] == DEFAULT_PAGE_WAIT + 1
    del bot.platform.fail_for["alice"]
    await bot.advance(60)  # the retry's backoff has passed: the page goes out
    assert any(code in text for text in bot.platform.texts("alice"))
    status, body = await health(served)
    assert (status, body["oldest_page_wait_seconds"]) == (200, 0.0)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape: (name, sorted labels) -> value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def scrape(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, kind, text = await get(base + METRICS_PATH)
    assert status == 200 and kind.startswith("text/plain")
    return samples(text)


CONSOLE = (("platform", "console"),)


async def test_metrics_count_a_report_its_page_and_the_time_to_acknowledge(
    bot: Harness, served: str
) -> None:
    before = await scrape(served)
    assert before[("fsbot_reports_received_total", CONSOLE)] == 0
    assert before[("fsbot_time_to_acknowledge_seconds_count", CONSOLE)] == 0
    code = await bot.file_report(account=ACCOUNT)
    paged = sum(code in text for text in bot.platform.texts("alice"))
    await bot.advance(90)
    await bot.press("alice", "Acknowledge")
    status, _, text = await get(served + METRICS_PATH)
    assert status == 200
    no_people(text, bot)
    after = samples(text)
    assert after[("fsbot_reports_received_total", CONSOLE)] == 1
    assert after[("fsbot_pages_sent_total", CONSOLE)] == paged >= 1
    assert after[("fsbot_pages_failed_total", CONSOLE)] == 0
    assert after[("fsbot_time_to_acknowledge_seconds_count", CONSOLE)] == 1
    assert after[("fsbot_time_to_acknowledge_seconds_sum", CONSOLE)] == 90
    bucket = "fsbot_time_to_acknowledge_seconds_bucket"
    assert after[(bucket, (("le", "60.0"), *CONSOLE))] == 0
    assert after[(bucket, (("le", "120.0"), *CONSOLE))] == 1
    assert after[("fsbot_outbox_backlog", (("lane", "direct"), *CONSOLE))] == 0
    assert after[("fsbot_outbox_backlog", (("lane", "channel"), *CONSOLE))] == 0
    # the acknowledged case still has its idle reminder to come; nothing else is pending
    assert after[("fsbot_timers_pending", ())] >= 1


async def test_metrics_count_failed_pages_retries_and_the_backlog(
    bot: Harness, served: str
) -> None:
    bot.platform.fail_for["alice"] = DeliveryError("500 Internal Server Error")
    await bot.file_report(account=ACCOUNT)
    first = await scrape(served)
    assert first[("fsbot_pages_failed_total", CONSOLE)] == 1
    assert first[("fsbot_pages_sent_total", CONSOLE)] == 0
    assert first[("fsbot_deliveries_retried_total", (("lane", "direct"), *CONSOLE))] == 1
    assert first[("fsbot_outbox_backlog", (("lane", "direct"), *CONSOLE))] == 1
    await bot.advance(30)  # tried again after its backoff, and failed again
    second = await scrape(served)
    assert second[("fsbot_pages_failed_total", CONSOLE)] == 2
    assert second[("fsbot_deliveries_retried_total", (("lane", "direct"), *CONSOLE))] == 2
    assert second[("fsbot_oldest_page_wait_seconds", ())] == 30


async def test_two_apps_in_one_process_keep_their_own_metrics(
    bot: Harness, served: str, tmp_path: Path
) -> None:
    other = await Harness(tmp_path / "other.db").start()
    try:
        await other.file_report(account=ACCOUNT)
        server = HealthServer(other.app, "127.0.0.1", 0)
        await server.start()
        try:
            theirs = await scrape(f"http://127.0.0.1:{server.port}")
        finally:
            await server.stop()
    finally:
        await other.stop()
    ours = await scrape(served)
    assert theirs[("fsbot_reports_received_total", CONSOLE)] == 1
    assert ours[("fsbot_reports_received_total", CONSOLE)] == 0


async def test_a_loop_stuck_in_its_work_counts_as_not_working_until_it_moves() -> None:
    """The heartbeat: a loop working with no progress for longer than the stall limit is
    stuck; asleep until its next deadline, or making progress, it is alive."""
    from support import FakeClock

    from bot.runtime.loop import WakeableLoop

    loop = WakeableLoop(FakeClock())
    moving = asyncio.Event()
    rounds = 0

    async def work() -> None:
        nonlocal rounds
        rounds += 1
        if rounds == 2:  # the second round hangs (a send that never returns)
            await moving.wait()

    async def next_due() -> None:
        return None

    task = asyncio.create_task(loop.forever(work, next_due, "test loop"))
    try:
        await until(lambda: rounds == 1 and loop.busy_since is None)
        assert loop.alive(0.05)  # asleep, with nothing due: alive
        loop.wake()
        await until(lambda: rounds == 2)
        await until(lambda: not loop.alive(0.05))  # working, and no progress since
        loop.beat()
        assert loop.alive(0.05)  # progress counts
        moving.set()
        await until(lambda: loop.busy_since is None)
        assert loop.alive(0.05)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert not loop.alive(60.0)  # ended: not alive, however patient the check


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait for ``condition``, polling, at most ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)
