"""Only one ``fsbot run`` per SQLite database: a second one refuses in one line, and a first one
killed with SIGKILL leaves nothing that keeps the next one out."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from subprocesses import REPO, fsb_env, fsbot

from bot.config.teamfile import starter_team_text
from bot.runtime.crypto import generate_key


def environment(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "team.toml").write_text(starter_team_text())
    return {
        "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
        "FSB_DATABASE": f"sqlite:///{tmp_path / 'bot.db'}",
        "FSB_ENCRYPTION_KEY": generate_key(),
    }


def running_console(env: dict[str, str]) -> subprocess.Popen[str]:
    """``fsbot run --console`` waiting on its input, once it has shown its first prompt."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=fsb_env(env),
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("@guest /start\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    seen = ""
    while "[private chat with guest]" not in seen:
        assert time.monotonic() < deadline, seen
        line = proc.stdout.readline()
        assert line, f"the first bot ended: {proc.stderr.read() if proc.stderr else ''}"
        seen += line
    return proc


def test_a_second_run_on_the_same_database_is_refused_until_the_first_is_killed(
    tmp_path: Path,
) -> None:
    env = environment(tmp_path)
    first = running_console(env)
    try:
        second = fsbot("run", "--console", stdin="@sam /start\n", env=env)
        assert second.returncode != 0
        lines = [line for line in second.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, lines
        assert "Another fsbot is already running on" in lines[0]
        assert f"(process {first.pid})" in lines[0]
        assert "Stop the other one first" in lines[0]
        assert "[private chat with sam]" not in second.stdout
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate()
    # the kernel let the lock go with the killed process: the next one starts
    third = fsbot("run", "--console", stdin="@sam /start\n", env=env)
    assert third.returncode == 0, third.stderr
    assert "[private chat with sam]" in third.stdout
    assert not (tmp_path / "bot.db.lock").exists()  # an orderly end removes the lock file


def test_another_database_is_not_held_up(tmp_path: Path) -> None:
    env = environment(tmp_path)
    first = running_console(env)
    try:
        other = {**env, "FSB_DATABASE": f"sqlite:///{tmp_path / 'other.db'}"}
        result = fsbot("run", "--console", stdin="@sam /start\n", env=other)
        assert result.returncode == 0, result.stderr
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate()
