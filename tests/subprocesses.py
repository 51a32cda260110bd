"""Running ``fsbot`` as a real process, the way a person or a crash would meet it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def fsb_env(values: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any FSB_ setting, plus ``values``. No health server
    unless ``values`` gives it a port: tests run side by side, and the default is one port."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FSB_")}
    clean["FSB_HEALTH_PORT"] = "0"
    clean.update(values or {})
    return clean


async def start_run(env: dict[str, str]) -> asyncio.subprocess.Process:
    """``python -m bot run`` in the background (for tests that serve it a fake platform)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=REPO,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


def fsbot(
    *args: str,
    stdin: str = "",
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` with a clean FSB_ environment plus ``env``."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        env=fsb_env(env),
        timeout=timeout,
    )


REPORT_SCRIPT = """\
# sam files a report through the whole intake
@sam /start
> Report something
> No
> It happened to me
> Pseudonymous
> Message me here
Someone kept following me between sessions.
> Done
> Earlier today
> At the event venue
A tall person in a red jacket
> A participant
> No one
> Done
> Skip
> Send report
"""
