"""``fsbot check-config`` warns, without failing, about what would surprise the team (issue 18),
and reads ``.env`` and the FSB_ environment for it. Each input on its own; the command runs
in-process through click's runner, in a temporary working directory with its own ``.env``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.config.teamfile import starter_team_text
from bot.main.cli import main

GOOD = """\
[team]
name = "Test team"
timezone = "Europe/Vienna"
event_start = 2027-03-26T08:00:00
event_end = 2027-03-28T22:00:00

[channels]
telegram = -1009990001
slack = "C0REAL001"

[[members]]
id = "lena"
name = "Lena Lead"
roles = ["safety_contact", "lead"]
telegram = 4242
slack = "U0LENA001"

[[members]]
id = "sam"
name = "Sam Safety"
roles = ["safety_contact"]
telegram = 4343
slack = "U0SAM0001"

[[rota]]
member = "lena"
start = 2027-03-26T08:00:00
end = 2027-03-27T08:00:00

[[rota]]
member = "sam"
start = 2027-03-27T08:00:00
end = 2027-03-28T22:00:00
"""
TOKENS = "FSB_TELEGRAM_TOKEN=123:abc\nFSB_SLACK_BOT_TOKEN=xoxb-1\nFSB_ENCRYPTION_KEY=k\n"


def check(tmp_path: Path, team: str, env: str = TOKENS) -> Result:
    (tmp_path / "team.toml").write_text(team)
    (tmp_path / ".env").write_text(env)
    return CliRunner().invoke(main, ["check-config"], catch_exceptions=False)


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in (
        "FSB_TELEGRAM_TOKEN",
        "FSB_SLACK_BOT_TOKEN",
        "FSB_ENCRYPTION_KEY",
        "FSB_TEAM_FILE",
    ):
        monkeypatch.delenv(name, raising=False)


def warnings(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    assert "OK." in result.output
    return [line for line in result.output.splitlines() if line.startswith("warning:")]


def test_a_good_team_file_with_tokens_in_env_has_no_warnings(tmp_path: Path) -> None:
    assert warnings(check(tmp_path, GOOD)) == []


def test_the_untouched_starter_file_warns_about_every_placeholder_id(tmp_path: Path) -> None:
    found = warnings(check(tmp_path, starter_team_text()))
    placeholders = [w for w in found if "still the example from `fsbot init`" in w]
    # two channels, Alice's two ids, Bob's, Carol's and the external contact's
    assert len(placeholders) == 7
    assert any("members[0].telegram" in w and "Alice Example" in w for w in placeholders)


def test_a_safety_contact_with_no_platform_id_is_never_paged(tmp_path: Path) -> None:
    team = GOOD.replace('telegram = 4343\nslack = "U0SAM0001"\n', "")
    (found,) = warnings(check(tmp_path, team))
    assert "Sam Safety has no Telegram or Slack id" in found
    assert "members[1]" in found


def test_a_positive_telegram_group_id(tmp_path: Path) -> None:
    (found,) = warnings(check(tmp_path, GOOD.replace("-1009990001", "1009990001")))
    assert "channels.telegram is 1009990001" in found
    assert "minus sign" in found


def test_a_slack_channel_given_by_its_name(tmp_path: Path) -> None:
    (found,) = warnings(check(tmp_path, GOOD.replace('"C0REAL001"', '"#safety-team"')))
    assert "channels.slack is #safety-team, a channel name" in found


def test_a_shift_outside_the_event_s_dates(tmp_path: Path) -> None:
    head, tail = GOOD.rsplit("end = 2027-03-28T22:00:00", 1)  # the last shift's end
    team = head + "end = 2027-03-29T22:00:00" + tail
    (found,) = warnings(check(tmp_path, team))
    assert "rota[1]" in found and "outside the event's dates" in found


def test_a_shift_starting_at_a_time_the_clocks_skip(tmp_path: Path) -> None:
    # Vienna: on 28 March 2027 the clocks go from 02:00 to 03:00.
    team = GOOD.replace("start = 2027-03-27T08:00:00", "start = 2027-03-28T02:30:00").replace(
        "end = 2027-03-27T08:00:00", "end = 2027-03-28T02:30:00"
    )
    found = warnings(check(tmp_path, team))
    skipped = [w for w in found if "a time the clocks skip" in w]
    assert len(skipped) == 1 and "rota[1]" in skipped[0] and "2027-03-28 02:30" in skipped[0]


def test_a_gap_in_the_rota_during_the_event(tmp_path: Path) -> None:
    team = GOOD.replace("start = 2027-03-27T08:00:00", "start = 2027-03-27T12:00:00")
    (found,) = warnings(check(tmp_path, team))
    assert "Nobody is on the rota from 2027-03-27 08:00 to 2027-03-27 12:00" in found


def test_two_primaries_at_once(tmp_path: Path) -> None:
    team = GOOD.replace("start = 2027-03-27T08:00:00", "start = 2027-03-27T06:00:00")
    (found,) = warnings(check(tmp_path, team))
    assert "both primary at the same time" in found


def test_an_escalation_chain_that_never_reaches_a_lead(tmp_path: Path) -> None:
    team = GOOD.replace('roles = ["safety_contact", "lead"]', 'roles = ["safety_contact"]', 1)
    team += '\n[[members]]\nid = "lee"\nname = "Lee"\nroles = ["lead"]\ntelegram = 4444\n'
    team += 'slack = "U0LEE0001"\n\n[escalation]\nsteps = [{ notify = ["on_duty"], wait = "5m" }]\n'
    (found,) = warnings(check(tmp_path, team))
    assert "never reaches a lead" in found


def test_env_is_read_no_token_at_all_means_the_console(tmp_path: Path) -> None:
    (found,) = warnings(check(tmp_path, GOOD, env="FSB_ENCRYPTION_KEY=k\n"))
    assert "No platform token is set" in found


def test_env_is_read_a_channel_on_a_platform_with_no_token(tmp_path: Path) -> None:
    result = check(tmp_path, GOOD, env="FSB_TELEGRAM_TOKEN=123:abc\nFSB_ENCRYPTION_KEY=k\n")
    (found,) = warnings(result)
    assert "names a Slack team channel, but FSB_SLACK_BOT_TOKEN is not set" in found


def test_env_names_the_team_file(tmp_path: Path) -> None:
    (tmp_path / "ours.toml").write_text(GOOD.replace("-1009990001", "1009990001"))
    result = check(tmp_path, "not toml at all", env=TOKENS + "FSB_TEAM_FILE=ours.toml\n")
    (found,) = warnings(result)
    assert "ours.toml: OK." in result.output and "positive number" in found
