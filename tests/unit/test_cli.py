"""The command line as a newcomer and an organizer meet it: demo, init, check-config, run."""

from __future__ import annotations

from pathlib import Path

from subprocesses import REPORT_SCRIPT, fsbot
from test_teamfile import THREE_MISTAKES

from bot.config.teamfile import load_team_file, starter_team_text


def test_demo_files_a_report_and_it_is_acknowledged(tmp_path: Path) -> None:
    script = REPORT_SCRIPT + "@alice > Acknowledge\n@lena #team /summary\n@sam /mycases\n"
    result = fsbot("demo", "--db", str(tmp_path / "demo.db"), stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Members of this team: alice (safety_contact), bob (safety_contact), lena (lead)" in out
    assert "'@lena #team /summary'" in out
    assert "[private chat with alice]\n    A new report needs a safety contact." in out
    assert "acknowledged by Alice Example at" in out
    assert "has picked up your report" in out
    assert "Open cases: 1 (1 acknowledged)" in out
    assert ": picked up by the safety team" in out
    assert "Traceback" not in result.stderr


def test_check_config_names_every_mistake_with_its_line(tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text(THREE_MISTAKES)
    result = fsbot("check-config", str(team))
    assert result.returncode == 1
    err = result.stderr
    assert f"{team}:3: team.timezone:" in err
    assert f"{team}:13: members[1].roles[0]:" in err
    assert f"{team}:26: rota[2].member:" in err
    assert "3 problems" in err


def test_init_writes_a_team_file_that_checks_and_an_env_with_a_key(tmp_path: Path) -> None:
    result = fsbot("init", "--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    env = (tmp_path / ".env").read_text()
    assert "FSB_ENCRYPTION_KEY=" in env
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0
    check = fsbot("check-config", "team.toml", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "OK" in check.stdout
    again = fsbot("init", "--dir", str(tmp_path))
    assert again.returncode != 0
    assert "exists" in again.stderr


def test_run_without_an_encryption_key_is_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "team.toml").write_text(starter_team_text())
    result = fsbot("run", "--console", cwd=tmp_path)
    assert result.returncode != 0
    assert "FSB_ENCRYPTION_KEY is not set" in result.stderr
    assert not (tmp_path / "fsbot.db").exists()


def test_run_with_the_init_files_serves_the_console(tmp_path: Path) -> None:
    fsbot("init", "--dir", str(tmp_path))
    result = fsbot("run", "--console", cwd=tmp_path, stdin="@guest /start\n")
    assert result.returncode == 0, result.stderr
    assert "[private chat with guest]" in result.stdout
    assert (tmp_path / "fsbot.db").exists()
    # the help's examples name someone in this team file, not the demo's people
    team = load_team_file(tmp_path / "team.toml")
    leads = [m.id for m in team.members if "lead" in m.roles]
    example = (leads or [m.id for m in team.members])[0]
    assert f"'@{example} #team /summary'" in result.stdout
    if "lena" not in [m.id for m in team.members]:
        assert "lena" not in result.stdout
