"""``fsbot check-config`` never crashes or hangs: every hostile or absurd input gets a message
naming the file, line and field (or a size limit), within a bound that a subprocess timeout
enforces. And whatever it accepts, the running bot can use.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from subprocesses import fsbot

from bot.config.durations import MAX_DURATION
from bot.config.teamfile import TeamFileError, parse_team_text
from bot.domain.team import Team

LIMIT = 30  # seconds for one check-config run, start-up included; it takes about one

BASE = """\
[team]
name = "Limits team"
timezone = "America/New_York"

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

[[rota]]
member = "alice"
start = 2027-08-10T08:00:00
end = 2027-08-10T14:00:00

[[rota]]
member = "bob"
start = 2027-08-10T14:00:00
end = 2027-08-10T22:00:00

[escalation]
steps = [
  { notify = ["on_duty"], wait = "5m" },
  { notify = ["safety_contacts"], wait = "6m" },
]
repeat = 2
"""


def line_of(text: str, fragment: str) -> int:
    """The line of the last occurrence of ``fragment`` in ``text``."""
    return text.count("\n", 0, text.rindex(fragment)) + 1


def check(path: Path) -> str:
    """Run ``fsbot check-config PATH`` as a process; it must refuse, in words, in time."""
    result = fsbot("check-config", str(path), timeout=LIMIT)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


# Each case: a change to BASE, and the (fragment to find the line by, field, words) expected.
Case = tuple[Callable[[str], str], str, str, str]

CASES: dict[str, Case] = {
    "a wait of 99999999999d": (
        lambda t: t.replace(
            'wait = "5m" },\n  { notify = ["safety',
            'wait = "99999999999d" },\n  { notify = ["safety',
        ),
        "99999999999d",
        "escalation.steps[0].wait",
        "longer than 36500d",
    ),
    "a wait of five thousand digits": (
        lambda t: t.replace('wait = "6m"', 'wait = "' + "9" * 5000 + 's"'),
        "99999",
        "escalation.steps[1].wait",
        "longer than 36500d",
    ),
    "deeply nested arrays": (
        lambda t: t + "[extra]\ndeep = " + "[" * 100_000 + "]" * 100_000 + "\n",
        "deep =",
        "deep",
        "nested more than 16 levels deep",
    ),
    "deeply nested inline tables": (
        lambda t: t + "[extra]\ndeep = " + "{a = " * 20_000 + "1" + "}" * 20_000 + "\n",
        "deep =",
        "deep",
        "nested more than 16 levels deep",
    ),
    "a dotted key fifty thousand parts long": (
        lambda t: t + "[extra]\n" + ".".join(["a"] * 50_000) + " = 1\n",
        "a.a.a",
        "a.a.a.a",
        "nested more than 16 levels deep",
    ),
    "a table header fifty thousand parts long": (
        lambda t: t + "[" + ".".join(["a"] * 50_000) + "]\nx = 1\n",
        "[a.a.a",
        "[a.a.a",
        "nested more than 16 levels deep",
    ),
    "two members with the same Telegram id": (
        lambda t: t.replace("telegram = 222", "telegram = 111"),
        "telegram = 111",
        "members[1].telegram",
        "members[0] has the same telegram id '111'",
    ),
    "two members with the same Slack id": (
        lambda t: t.replace('slack = "U0BOB"', 'slack = "U0ALICE"'),
        'slack = "U0ALICE"',
        "members[1].slack",
        "members[0] has the same slack id 'U0ALICE'",
    ),
    "overlapping shifts": (
        lambda t: (
            t + '\n[[rota]]\nmember = "alice"\nstart = 2027-08-10T13:00:00\n'
            "end = 2027-08-10T15:00:00\n"
        ),
        "start = 2027-08-10T13",
        "rota[2].start",
        "overlaps rota[0]",
    ),
    "the same shift twice": (
        lambda t: (
            t + '\n[[rota]]\nmember = "bob"\nstart = 2027-08-10T14:00:00\n'
            "end = 2027-08-10T22:00:00\n"
        ),
        "start = 2027-08-10T14",
        "rota[2].start",
        "overlaps rota[1]",
    ),
    "repeat absurdly large": (
        lambda t: t.replace("repeat = 2", "repeat = 9223372036854775807"),
        "repeat =",
        "escalation.repeat",
        "must be at most 100",
    ),
    "a terminal escape in a name": (
        lambda t: t.replace('name = "Bob"', 'name = "Bob\\u001b[2J"'),
        'name = "Bob',
        "members[1].name",
        "control character (U+001B)",
    ),
    "a right-to-left override in a username": (
        lambda t: t.replace('name = "Bob"', 'name = "Bob"\nusernames = ["bob", "\\u202eboB"]'),
        "usernames",
        "members[1].usernames[1]",
        "control character (U+202E)",
    ),
    "a newline in a team name": (
        lambda t: t.replace('name = "Limits team"', 'name = "Limits\\nteam"'),
        'name = "Limits',
        "team.name",
        "control character (U+000A)",
    ),
    "a name a megabyte long": (
        lambda t: t.replace('name = "Bob"', 'name = "' + "B" * 900_000 + '"'),
        'name = "BBB',
        "members[1].name",
        "keep it under 100",
    ),
    "a shift in the year 9999": (
        lambda t: t.replace("end = 2027-08-10T22:00:00", "end = 9999-12-31T23:00:00"),
        "end = 9999",
        "rota[1].end",
        "between the years 1970 and 2999",
    ),
    "thousands of unknown members among thousands of members": (
        lambda t: (
            t
            + "".join(
                f'[[members]]\nid = "m{i}"\nname = "M"\nroles = ["lead"]\n' for i in range(3000)
            )
            + "".join(
                f'[[rota]]\nmember = "x{i}"\n'
                "start = 2027-08-11T01:00:00\nend = 2027-08-11T02:00:00\n"
                for i in range(6000)
            )
        ),
        'member = "x5999"',
        "rota[6001].member",
        "unknown member 'x5999' (known member ids: alice, bob, m0, m1, m10",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_check_config_names_file_line_and_field(tmp_path: Path, name: str) -> None:
    change, fragment, field, words = CASES[name]
    text = change(BASE)
    path = tmp_path / "team.toml"
    path.write_text(text, encoding="utf-8")
    err = check(path)
    line = line_of(text, fragment)
    expected = f"{path}:{line}: {field}"
    problem = next((p for p in err.splitlines() if p.startswith(expected)), None)
    assert problem is not None, err[:2000]
    assert words in problem, problem
    assert len(problem) < 600  # one line for a person, not a copy of the file


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "team.toml"
    os.mkfifo(fifo)
    assert f"{fifo}: this is a named pipe (FIFO)" in check(fifo)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused_without_reading_it(device: str) -> None:
    assert f"{device}: this is a character device" in check(Path(device))


def test_a_symlink_to_a_device_is_refused_too(tmp_path: Path) -> None:
    link = tmp_path / "team.toml"
    link.symlink_to("/dev/zero")
    assert f"{link}: this is a character device" in check(link)


def test_a_huge_file_is_refused_at_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text(BASE + "# padding\n" * 200_000)
    assert f"{path}: the file is larger than 1 MB" in check(path)


def test_a_huge_file_that_reports_a_small_size_is_read_only_up_to_the_limit() -> None:
    proc = Path("/proc/self/status")  # "regular", size 0: how /proc and pipes look
    from bot.config.teamfile_read import MAX_BYTES, read_limited

    assert len(read_limited(proc)) <= MAX_BYTES


# -- whatever check-config accepts, the bot can use -------------------------------------------

FIELDS = {
    "wait": 'wait = "6m"',
    "repeat": "repeat = 2",
    "name": 'name = "Bob"',
    "telegram": "telegram = 222",
    "slack": 'slack = "U0BOB"',
    "end": "end = 2027-08-10T22:00:00",
    "timezone": 'timezone = "America/New_York"',
}

_values = st.recursive(
    st.one_of(
        st.text(max_size=30),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.booleans(),
        st.datetimes(timezones=st.none() | st.just(UTC)),
        st.from_regex(r"\A\d{1,15}[dhms]\Z"),
    ),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=8,
)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, str):  # a TOML basic string: JSON's escapes, but never a surrogate
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(list(FIELDS)), value=_values)
def test_any_value_is_refused_in_words_or_works_at_runtime(field: str, value: Any) -> None:
    original = FIELDS[field]
    key = original.split("=")[0].strip()
    assert original in BASE
    text = BASE.replace(original, f"{key} = {toml_value(value)}")
    try:
        config = parse_team_text(text, "team.toml")
    except TeamFileError as error:
        assert error.problems and all(p.file == "team.toml" for p in error.problems)
        assert all(len(str(p)) < 600 for p in error.problems)
        return
    # accepted: then every time and wait in it can be computed with
    team = Team(config, ["telegram", "slack"])
    now = datetime.now(UTC)
    for shift in config.rota:
        config.to_utc(shift.start), config.to_utc(shift.end)
    for step in config.escalation.steps:
        assert step.wait <= MAX_DURATION
        assert now + step.wait > now
    team.scheduled_duty(now)
    config.escalation.model_dump_json()
