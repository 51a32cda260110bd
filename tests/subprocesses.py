"""Running ``fsbot`` as a real process, the way a person or a crash would meet it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def fsbot(
    *args: str,
    stdin: str = "",
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` with a clean FSB_ environment plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FSB_")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        env=clean,
        timeout=timeout,
    )


REPORT_SCRIPT = """\
# sam files a report through the whole intake
@sam /start
> Report something
> No
> It happened to me
Someone kept following me between sessions.
> Done
> Earlier today
> At the event venue
A tall person in a red jacket
> A participant
> No one
> Pseudonymous
> Message me here
> Done
> Skip
> Send report
"""
