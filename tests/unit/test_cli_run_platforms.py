"""``fsbot --version``, and ``fsbot run`` with no platform: a service that would reach nobody
refuses to start, saying which variables to set, unless --console is asked for."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from subprocesses import fsbot

from bot.config.teamfile import starter_team_text
from bot.runtime.crypto import generate_key


def test_version_names_the_installed_release() -> None:
    result = fsbot("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"fsbot, version {version('friendly-space-bot')}"


def _env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "team.toml").write_text(starter_team_text())
    return {
        "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
        "FSB_DATABASE": f"sqlite:///{tmp_path / 'bot.db'}",
        "FSB_ENCRYPTION_KEY": generate_key(),
    }


def test_run_without_a_platform_refuses_and_names_what_to_set(tmp_path: Path) -> None:
    # no input at all, as under a service manager: it must not exit 0 having done nothing
    result = fsbot("run", env=_env(tmp_path), cwd=tmp_path)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for name in (
        "FSB_TELEGRAM_TOKEN",
        "FSB_SLACK_BOT_TOKEN",
        "FSB_SLACK_APP_TOKEN",
        "FSB_SLACK_SIGNING_SECRET",
        "--console",
    ):
        assert name in lines[0]
    assert result.stdout == ""
    assert not (tmp_path / "bot.db").exists()  # nothing was started


def test_run_with_console_serves_the_terminal(tmp_path: Path) -> None:
    result = fsbot("run", "--console", env=_env(tmp_path), cwd=tmp_path, stdin="@guest /start\n")
    assert result.returncode == 0, result.stderr
    assert "[private chat with guest]" in result.stdout


def test_console_is_used_even_with_a_token_set(tmp_path: Path) -> None:
    """--console never reaches a platform, so a token left in .env does not matter."""
    env = {
        **_env(tmp_path),
        "FSB_TELEGRAM_TOKEN": "123:ABC",
        "FSB_TELEGRAM_API_URL": "http://127.0.0.1:9/bot",
    }
    result = fsbot("run", "--console", env=env, cwd=tmp_path, stdin="@guest /start\n")
    assert result.returncode == 0, result.stderr
    assert "[private chat with guest]" in result.stdout
