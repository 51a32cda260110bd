"""``fsbot run`` as an operator watches it: JSON log lines (``FSB_LOG_FORMAT=json``), the health
server on ``FSB_HEALTH_PORT`` whatever the mode, and Prometheus metrics after real reports.

A whole report, page and acknowledgement on Telegram (long polling) and on Slack (HTTP mode) go
through the real libraries against the fake platforms, at DEBUG: every line written is one valid
JSON object, and none holds a token, a key, the account, a name or an id.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from fakes.slack_api import BOT_NAME, FakeSlack
from fakes.telegram_api import BOT_USERNAME, FakeTelegram
from prometheus_client.parser import text_string_to_metric_families
from subprocesses import REPO, fsb_env
from test_log_safety import (
    ALICE,
    BOTH,
    KEY,
    NAME,
    SLACK_REPORTER,
    SLACK_SECRET,
    SLACK_TOKEN,
    TOKEN,
    USERNAME,
    leaks,
    slack_form_report,
    telegram_report,
)
from test_slack import free_port

from bot.ports.health import HEALTH_PATH, METRICS_PATH
from bot.runtime.logsafety import JSON_FIELDS


async def get_json(url: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def answering(url: str, proc: asyncio.subprocess.Process) -> None:
    """Wait (bounded) until ``url`` answers, failing at once if the process ended."""
    for _ in range(300):
        if proc.returncode is not None:
            raise AssertionError(f"fsbot run ended with {proc.returncode}")
        try:
            await get_json(url)
            return
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.1)
    raise AssertionError(f"nothing answered at {url}")


def team_file(tmp_path: Path) -> Path:
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    path = tmp_path / "team.toml"
    path.write_text(
        BOTH.format(
            alice=ALICE,
            start=(now - timedelta(hours=1)).isoformat(),
            end=(now + timedelta(hours=1)).isoformat(),
        )
    )
    return path


async def test_fsbot_run_in_json_serves_health_and_metrics_and_logs_nothing_private(
    tmp_path: Path,
) -> None:
    health_port, slack_port = free_port(), free_port()
    health = f"http://127.0.0.1:{health_port}"
    log_path = tmp_path / "stderr.log"
    async with FakeTelegram() as tg, FakeSlack(post_rate=50.0) as slack:
        slack.add_user(SLACK_REPORTER, NAME, display_name=USERNAME)
        env = fsb_env(
            {
                "FSB_TEAM_FILE": str(team_file(tmp_path)),
                "FSB_DATABASE": f"sqlite:///{tmp_path / 'run.db'}",
                "FSB_ENCRYPTION_KEY": KEY,
                "FSB_LOG_LEVEL": "DEBUG",
                "FSB_LOG_FORMAT": "json",
                "FSB_HEALTH_PORT": str(health_port),
                "FSB_HEALTH_HOST": "127.0.0.1",
                "FSB_TELEGRAM_TOKEN": TOKEN,
                "FSB_TELEGRAM_API_URL": tg.base_url,
                "FSB_SLACK_BOT_TOKEN": SLACK_TOKEN,
                "FSB_SLACK_SIGNING_SECRET": SLACK_SECRET,
                "FSB_SLACK_API_URL": slack.api_url,
                "FSB_SLACK_PORT": str(slack_port),
            }
        )
        with log_path.open("w") as log_file:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=REPO,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log_file,
            )
            try:
                await answering(health + HEALTH_PATH, proc)
                status, body = await get_json(health + HEALTH_PATH)
                assert (status, body["status"], body["database"]) == (200, "ok", True)
                await telegram_report(tg)
                await slack_form_report(slack, f"http://127.0.0.1:{slack_port}/slack/events")
                # Slack's own port answers with the same check (a proxy may only reach that one)
                status, same = await get_json(f"http://127.0.0.1:{slack_port}{HEALTH_PATH}")
                assert (status, same["workers"]) == (200, body["workers"])
                async with (
                    aiohttp.ClientSession() as session,
                    session.get(health + METRICS_PATH) as response,
                ):
                    scraped = await response.text()
            finally:
                proc.send_signal(signal.SIGTERM)
                await asyncio.wait_for(proc.wait(), 20)
    written = log_path.read_text()
    assert proc.returncode == 0, written
    lines = [json.loads(line) for line in written.splitlines()]  # every line is JSON
    assert all(set(line) <= set(JSON_FIELDS) for line in lines)
    messages = [line["message"] for line in lines]
    assert f"connected to Telegram as @{BOT_USERNAME} (long polling)" in messages
    assert any(m.startswith(f"connected to Slack as {BOT_NAME} ") for m in messages)
    assert "team loaded: members 2, safety contacts 1, leads 1, externals 0, shifts 1" in messages
    assert any(line["message"].startswith("delivered outbox row") for line in lines)
    assert leaks(written) == []
    assert leaks(scraped) == []
    counts = {
        (s.name, s.labels.get("platform")): s.value
        for family in text_string_to_metric_families(scraped)
        for s in family.samples
    }
    for platform in ("telegram", "slack"):
        assert counts[("fsbot_reports_received_total", platform)] == 1
        assert counts[("fsbot_time_to_acknowledge_seconds_count", platform)] == 1
    # Alice is on both platforms: each report pages her on each
    assert counts[("fsbot_pages_sent_total", "telegram")] == 2
    assert counts[("fsbot_pages_sent_total", "slack")] == 2


async def test_fsbot_run_on_the_console_serves_health_too(tmp_path: Path) -> None:
    port = free_port()
    env = fsb_env(
        {
            "FSB_TEAM_FILE": str(team_file(tmp_path)),
            "FSB_DATABASE": f"sqlite:///{tmp_path / 'console.db'}",
            "FSB_ENCRYPTION_KEY": KEY,
            "FSB_HEALTH_PORT": str(port),
            "FSB_HEALTH_HOST": "127.0.0.1",
        }
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--console",
        cwd=REPO,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdin is not None
    try:
        await answering(f"http://127.0.0.1:{port}{HEALTH_PATH}", proc)
        status, body = await get_json(f"http://127.0.0.1:{port}{HEALTH_PATH}")
        assert (status, body["status"]) == (200, "ok")
    finally:
        proc.stdin.close()  # the console's input ends: it stops
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, err.decode()


async def test_a_health_port_in_use_is_one_plain_line(tmp_path: Path) -> None:
    blocker = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = blocker.sockets[0].getsockname()[1]
    env = fsb_env(
        {
            "FSB_TEAM_FILE": str(team_file(tmp_path)),
            "FSB_DATABASE": f"sqlite:///{tmp_path / 'busy.db'}",
            "FSB_ENCRYPTION_KEY": KEY,
            "FSB_HEALTH_PORT": str(port),
            "FSB_HEALTH_HOST": "127.0.0.1",
        }
    )
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--console",
            cwd=REPO,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        blocker.close()
        await blocker.wait_closed()
    (last,) = err.decode().strip().splitlines()[-1:]
    assert proc.returncode != 0
    assert last.startswith("Error: Cannot serve the health check on 127.0.0.1:")
    assert "FSB_HEALTH_PORT" in last and "Traceback" not in err.decode()
