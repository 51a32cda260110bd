"""``/metrics`` counts only real cases' pages: a test page counts nowhere and a drill never
counts (README "Health and metrics"), sent or failed."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from support import Harness
from teams import story_team

from bot.main.health_server import HealthServer
from bot.ports.health import METRICS_PATH
from bot.ports.platform import DeliveryError

CONSOLE = (("platform", "console"),)


async def page_counts(bot: Harness) -> tuple[float, float]:
    """(pages sent, pages failed) on the console, read from the health server over HTTP."""
    server = HealthServer(bot.app, "127.0.0.1", 0)
    await server.start()
    try:
        url = f"http://127.0.0.1:{server.port}{METRICS_PATH}"
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            text = await response.text()
    finally:
        await server.stop()
    found = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    return found[("fsbot_pages_sent_total", CONSOLE)], found[("fsbot_pages_failed_total", CONSOLE)]


async def test_test_pages_and_drills_pages_are_not_counted_but_a_real_cases_are(
    tmp_path: Path,
) -> None:
    bot = Harness(tmp_path / "m.db", config=story_team())
    await bot.start()
    try:
        bot.platform.fail_for["mira"] = DeliveryError("403 blocked", unreachable=True)
        await bot.say("alice", "/testpage")
        await bot.say("lena", "/testpage Mira")  # a test page the platform refuses
        await bot.say("lena", "/drill 4")  # pages the leads, Mira's page fails
        await bot.advance(120)
        await bot.say("lena", "/drill")
        await bot.advance(120)
        assert any("test page" in t.lower() for t in bot.platform.texts("alice"))
        assert any("DRILL" in t for t in bot.platform.texts("lena"))
        assert await page_counts(bot) == (0, 0)
        await bot.say("lena", "/drill stop")
        code = await bot.file_report("sam")
        paged = sum(code in t for m in bot.config.members for t in bot.platform.texts(m.id))
        assert paged >= 1
        assert await page_counts(bot) == (paged, 0)
    finally:
        await bot.stop()
