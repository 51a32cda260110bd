"""How much memory does ``fsbot run`` hold while idle, with both adapters (issue 19's targets)?

``python -m bot run`` as a real process with Telegram (polling) and Slack (HTTP mode) against the
local fakes in ``tests/fakes`` (which check every call against the API specs), first on an empty
database, then on one holding ``--cases`` cases (made through the store's own API, as
``bench/history.py`` makes them, but reviewed a year from now so the daily purge leaves them be).
Once the bot polls Telegram and has called Slack, it is left alone for ``--settle`` seconds; then
its resident memory (``VmRSS`` in ``/proc/PID/status``) is read ``--samples`` times over a second
and the largest is printed beside its target, with the peak (``VmHWM``).

    .venv/bin/python bench/idle_memory.py [--cases 100000] [--settle 5]

Figures go to stdout, progress to stderr. Exit status 1 only when the bot did not come up or the
fakes saw a malformed call.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from fakes.slack_api import FakeSlack  # noqa: E402
from fakes.telegram_api import FakeTelegram  # noqa: E402
from history import figure, generate  # noqa: E402

from bot.runtime.crypto import Cipher, generate_key  # noqa: E402
from storage.sqlite.store import SqliteStore  # noqa: E402

TEAM = """\
[team]
name = "Memory team"
timezone = "UTC"

[channels]
telegram = -100500

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]
telegram = 111
slack = "U0ALICE"

[[members]]
id = "bob"
name = "Bob"
roles = ["safety_contact"]
telegram = 222
slack = "U0BOB"

[[members]]
id = "lena"
name = "Lena"
roles = ["lead"]
telegram = 333
slack = "U0LENA"

[[rota]]
member = "alice"
start = {start}
end = {end}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def status_mib(pid: int, field: str) -> float:
    """A ``/proc/PID/status`` memory field (``VmRSS``, ``VmHWM``) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


async def idle_rss(folder: Path, database: Path, key: str, settle: float, samples: int) -> float:
    """Start ``fsbot run`` on ``database`` with both adapters; its idle RSS (MiB)."""
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    team = folder / "team.toml"
    start, end = now - timedelta(hours=1), now + timedelta(days=1)
    team.write_text(TEAM.format(start=start.isoformat(), end=end.isoformat()))
    port = free_port()
    async with FakeTelegram() as tg, FakeSlack() as slack:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FSB_")}
        env.update(
            {
                "FSB_TEAM_FILE": str(team),
                "FSB_DATABASE": f"sqlite:///{database}",
                "FSB_ENCRYPTION_KEY": key,
                "FSB_TELEGRAM_TOKEN": "123:ABC",
                "FSB_TELEGRAM_API_URL": tg.base_url,
                "FSB_SLACK_BOT_TOKEN": "xoxb-test-token",
                "FSB_SLACK_SIGNING_SECRET": "secret",
                "FSB_SLACK_API_URL": slack.api_url,
                "FSB_SLACK_PORT": str(port),
                "FSB_HEALTH_PORT": str(free_port()),
            }
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await tg.wait_for(
                lambda: any(name == "getUpdates" for name, _ in tg.calls), 120, what="a poll"
            )
            await slack.wait_for(lambda: slack.calls, 120, what="a Slack call")
            await asyncio.sleep(settle)
            readings = []
            for _ in range(samples):
                readings.append(status_mib(proc.pid, "VmRSS"))
                await asyncio.sleep(1 / samples)
            peak = status_mib(proc.pid, "VmHWM")
            parts = {f: status_mib(proc.pid, f) for f in ("RssAnon", "RssFile", "RssShmem")}
            threads = len(os.listdir(f"/proc/{proc.pid}/task"))
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), 30)
        if proc.returncode != 0 or tg.violations or slack.violations:
            raise RuntimeError(
                f"exit {proc.returncode}; violations {tg.violations} {slack.violations};"
                f" {err.decode()[-1500:]}"
            )
    split = ", ".join(f"{name} {mib:.1f}" for name, mib in parts.items())
    print(f"  (peak {peak:.1f} MiB; {split}; {threads} threads)", file=sys.stderr)
    return max(readings)


async def bench(args: argparse.Namespace) -> int:
    key = generate_key()
    with tempfile.TemporaryDirectory(prefix="fsb-memory-") as tmp:
        folder = Path(tmp)
        empty = await idle_rss(folder, folder / "empty.db", key, args.settle, args.samples)
        figure("fsbot run idle RSS, empty database", f"{empty:.1f} MiB", "< 80 MiB")
        full = folder / "full.db"
        store = SqliteStore(full, Cipher(key))
        await store.open()
        await generate(store, args.cases, args.open, random.Random(19), due=False)
        await store.close()
        stored = await idle_rss(folder, full, key, args.settle, args.samples)
        figure(f"fsbot run idle RSS, {args.cases} cases", f"{stored:.1f} MiB", "< 100 MiB")
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--open", type=int, default=40)
    parser.add_argument("--settle", type=float, default=5.0, help="idle seconds before reading")
    parser.add_argument("--samples", type=int, default=10)
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(bench(parse_args())))
