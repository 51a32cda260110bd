"""Tests for the team file: models, cross-checks, problem placement and the line locator."""

import pickle
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.config.teamfile import (
    Escalation,
    Member,
    Problem,
    TeamFile,
    TeamFileError,
    TeamInfo,
    format_loc,
    load_team_file,
    parse_notify_target,
    parse_team_text,
    starter_team_text,
)
from bot.config.teamfile_lines import Loc, build_line_index, locate_line

MINIMAL = """\
[team]
name = "Test team"
timezone = "Europe/Vienna"

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]
"""


def write(tmp_path: Path, text: str, name: str = "team.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[Problem]:
    with pytest.raises(TeamFileError) as info:
        load_team_file(write(tmp_path, text))
    return info.value.problems


def placed(problems: list[Problem]) -> list[tuple[int | None, str]]:
    return [(p.line, p.field) for p in problems]


# -- loading good files ---------------------------------------------------------------------


def test_starter_template_loads(tmp_path: Path) -> None:
    team = load_team_file(write(tmp_path, starter_team_text()))
    assert team.team.name
    assert team.tz.key == "Europe/Vienna"
    assert [m.id for m in team.members] == ["alice", "bob", "carol"]
    assert team.rota and team.external
    assert team.escalation.steps[2].notify == ["leads", "external:emergency"]
    assert team.escalation.steps[2].wait == timedelta(minutes=10)


def test_starter_template_documents_every_field() -> None:
    text = starter_team_text()
    for model in (TeamInfo, Member, Escalation):
        for field in model.model_fields:
            assert f"{field} =" in text, field


def test_minimal_file_gets_defaults(tmp_path: Path) -> None:
    team = load_team_file(write(tmp_path, MINIMAL))
    assert team.channels.telegram is None and team.channels.slack is None
    assert team.rota == [] and team.external == []
    assert team.team.show_handler_names is False and team.team.emergency_info == ""
    esc = team.escalation
    assert [s.notify for s in esc.steps] == [["on_duty"], ["safety_contacts"], ["leads"]]
    assert [s.wait for s in esc.steps] == [timedelta(minutes=5)] * 2 + [timedelta(minutes=10)]
    assert esc.repeat == 2
    assert esc.critical_repeat == timedelta(minutes=2)
    assert esc.idle_reminder == timedelta(hours=2)
    assert esc.shift_confirm == timedelta(minutes=10)


def test_load_accepts_str_path_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_team_file(str(path)).team.name == "Test team"


def test_helpers(tmp_path: Path) -> None:
    team = load_team_file(write(tmp_path, starter_team_text()))
    alice = team.member("alice")
    assert alice is not None and alice.has_role("lead")
    assert team.member("nobody") is None
    assert team.external_contact("emergency") is not None
    assert team.external_contact("nobody") is None
    # Summer time in Vienna is UTC+2, winter time UTC+1.
    assert team.to_utc(datetime(2027, 8, 10, 8, 0)) == datetime(2027, 8, 10, 6, 0, tzinfo=UTC)
    assert team.to_utc(datetime(2027, 1, 10, 8, 0)) == datetime(2027, 1, 10, 7, 0, tzinfo=UTC)
    aware = datetime(2027, 1, 10, 8, 0, tzinfo=UTC)
    assert team.to_utc(aware) == aware


def test_escalation_json_round_trip(tmp_path: Path) -> None:
    """A policy copied into a case as JSON must validate again to the same policy."""
    team = load_team_file(write(tmp_path, starter_team_text()))
    dumped = team.escalation.model_dump_json()
    assert '"5m"' in dumped
    assert Escalation.model_validate_json(dumped) == team.escalation


def test_parse_notify_target() -> None:
    assert parse_notify_target("on_duty") == ("on_duty", None)
    assert parse_notify_target("channel") == ("channel", None)
    assert parse_notify_target("member:alice") == ("member", "alice")
    assert parse_notify_target("external:emergency") == ("external", "emergency")
    for bad in ("member:", "boss", "group:x", ""):
        with pytest.raises(ValueError, match="unknown notify target"):
            parse_notify_target(bad)


# -- reporting mistakes ---------------------------------------------------------------------

THREE_MISTAKES = """\
[team]
name = "Test team"
timezone = "Mars/Olympus_Mons"

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]

[[members]]
id = "bob"
name = "Bob"
roles = ["organiser"]

[[rota]]
member = "alice"
start = 2027-08-10T08:00:00
end = 2027-08-10T14:00:00

[[rota]]
member = "alice"
start = 2027-08-10T14:00:00
end = 2027-08-10T20:00:00

[[rota]]
member = "zoe"
start = 2027-08-10T20:00:00
end = 2027-08-10T23:00:00
"""


def test_three_mistakes_all_reported_with_lines(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, THREE_MISTAKES)
    assert placed(problems) == [
        (3, "team.timezone"),
        (13, "members[1].roles[0]"),
        (26, "rota[2].member"),
    ]
    timezone, role, rota = problems
    assert "unknown time zone 'Mars/Olympus_Mons'" in timezone.message
    assert role.message.startswith("Input should be 'safety_contact', 'organizer' or 'lead'")
    assert "did you mean 'organizer'" in role.message
    assert "unknown member 'zoe'" in rota.message
    path = str(tmp_path / "team.toml")
    assert str(role) == f"{path}:13: members[1].roles[0]: {role.message}"


def test_error_str_lists_every_problem(tmp_path: Path) -> None:
    with pytest.raises(TeamFileError) as info:
        parse_team_text(THREE_MISTAKES, "team.toml")
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("team.toml:3: team.timezone: unknown time zone")
    assert lines[1].startswith(
        "team.toml:13: members[1].roles[0]: Input should be 'safety_contact', 'organizer' or 'lead'"
    )
    assert lines[2].startswith("team.toml:26: rota[2].member: unknown member 'zoe'")


def test_error_is_picklable() -> None:
    """Errors may cross process boundaries (e.g. a config check in a subprocess)."""
    err = TeamFileError([Problem("t.toml", 1, "team", "x")])
    assert pickle.loads(pickle.dumps(err)).problems == err.problems


def test_toml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    text = MINIMAL.replace('name = "Alice"', "name = Alice")
    (problem,) = problems_of(tmp_path, text)
    assert problem.line == 7
    assert problem.field == ""
    assert problem.message.startswith("TOML syntax error: Invalid value")
    assert "quotes" in problem.message
    assert str(problem).startswith(f"{tmp_path / 'team.toml'}:7: TOML syntax error")


def test_toml_syntax_error_at_end_of_document() -> None:
    with pytest.raises(TeamFileError) as info:
        parse_team_text(MINIMAL + 'usernames = ["x"', "t.toml")
    (problem,) = info.value.problems
    assert problem.line is not None and problem.line >= 9


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TeamFileError) as info:
        load_team_file(tmp_path / "nope.toml")
    (problem,) = info.value.problems
    assert problem.line is None
    assert "not found" in problem.message
    assert str(problem).startswith(f"{tmp_path / 'nope.toml'}: team file not found")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(TeamFileError, match="directory"):
        load_team_file(tmp_path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_bytes(MINIMAL.encode() + b'emergency_info = "\xff"\n')
    with pytest.raises(TeamFileError) as info:
        load_team_file(path)
    assert info.value.problems[0].line == 9
    assert "UTF-8" in info.value.problems[0].message


def test_duplicate_member_ids(tmp_path: Path) -> None:
    text = MINIMAL + '\n[[members]]\nid = "alice"\nname = "Alice Two"\nroles = ["lead"]\n'
    (problem,) = problems_of(tmp_path, text)
    assert (problem.line, problem.field) == (11, "members[1].id")
    assert "duplicate member id 'alice'" in problem.message
    assert "members[0]" in problem.message


def test_duplicate_external_ids(tmp_path: Path) -> None:
    text = MINIMAL + (
        '\n[[external]]\nid = "ext"\nname = "One"\n\n[[external]]\nid = "ext"\nname = "Two"\n'
    )
    (problem,) = problems_of(tmp_path, text)
    assert (problem.line, problem.field) == (15, "external[1].id")
    assert "duplicate external id 'ext'" in problem.message


ESCALATION_BASE = (
    MINIMAL
    + """
[[external]]
id = "hotline"
name = "Hotline"

[escalation]
steps = [
  { notify = ["on_duty"], wait = "5m" },
  { wait = "%s", notify = ["safety_contacts",
                          "%s"] },
]
"""
)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("safety_contact", "did you mean 'safety_contacts'?"),
        ("alice", "did you mean 'member:alice'?"),
        ("hotline", "did you mean 'external:hotline'?"),
        ("member:bob", "unknown member 'bob'"),
        ("external:police", "unknown external contact 'police'"),
        ("everyone", "use one of on_duty, safety_contacts, leads, channel"),
    ],
)
def test_bad_notify_target(tmp_path: Path, target: str, expected: str) -> None:
    (problem,) = problems_of(tmp_path, ESCALATION_BASE % ("5m", target))
    assert (problem.line, problem.field) == (18, "escalation.steps[1].notify[1]")
    assert expected in problem.message


@pytest.mark.parametrize(
    "target", ["on_duty", "leads", "channel", "member:alice", "external:hotline"]
)
def test_good_notify_targets(tmp_path: Path, target: str) -> None:
    load_team_file(write(tmp_path, ESCALATION_BASE % ("5m", target)))


def test_bad_duration(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, ESCALATION_BASE % ("5 minutes", "leads"))
    assert (problem.line, problem.field) == (17, "escalation.steps[1].wait")
    assert "'5 minutes' is not a duration" in problem.message
    assert not problem.message.startswith("Value error")


def test_duration_must_be_quoted(tmp_path: Path) -> None:
    text = MINIMAL + "\n[escalation]\nidle_reminder = 5\n"
    (problem,) = problems_of(tmp_path, text)
    assert (problem.line, problem.field) == (11, "escalation.idle_reminder")
    assert "in quotes" in problem.message


def test_missing_required_field_points_at_table_header(tmp_path: Path) -> None:
    text = """\
[team]
name = "Test team"

[[members]]
id = "alice"
name = "Alice"
roles = ["lead"]

[[members]]
id = "bob"
roles = ["lead"]
"""
    problems = problems_of(tmp_path, text)
    assert placed(problems) == [(1, "team.timezone"), (9, "members[1].name")]
    assert all(p.message == "missing required field" for p in problems)


def test_missing_table_has_no_line(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, MINIMAL.split("[[members]]")[0])
    assert (problem.line, problem.field) == (None, "members")
    assert str(problem) == f"{tmp_path / 'team.toml'}: members: missing required field"


def test_misspelt_field_is_an_error_with_a_hint(tmp_path: Path) -> None:
    text = MINIMAL.replace("roles =", "rols =")
    problems = problems_of(tmp_path, text)
    assert placed(problems) == [(5, "members[0].roles"), (8, "members[0].rols")]
    assert problems[1].message == "unknown field; did you mean 'roles'?"


def test_unknown_table_lists_allowed_names(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, MINIMAL + "\n[bogus]\nx = 1\n")
    assert (problem.line, problem.field) == (10, "bogus")
    assert "allowed here: team, channels, members" in problem.message


def test_single_bracket_members_gets_a_hint(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, MINIMAL.replace("[[members]]", "[members]"))
    assert (problem.line, problem.field) == (5, "members")
    assert "[[members]] (double brackets)" in problem.message


def test_rota_member_needs_an_on_call_role(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + '\n[[members]]\nid = "carol"\nname = "Carol"\nroles = ["organizer"]\n'
        + '\n[[rota]]\nmember = "carol"\nstart = 2027-08-10T08:00:00\nend = 2027-08-10T09:00:00\n'
    )
    (problem,) = problems_of(tmp_path, text)
    assert (problem.line, problem.field) == (16, "rota[0].member")
    assert "no 'safety_contact' or 'lead' role" in problem.message


def test_rota_end_before_start(tmp_path: Path) -> None:
    text = MINIMAL + '\n[[rota]]\nmember = "alice"\nstart = 2027-08-10T08:00:00\n'
    text += "end = 2027-08-10T07:00:00\n"
    (problem,) = problems_of(tmp_path, text)
    assert (problem.line, problem.field) == (13, "rota[0].end")
    assert "must be after start" in problem.message


def test_event_times(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        'timezone = "Europe/Vienna"\n',
        'timezone = "Europe/Vienna"\nevent_start = 2027-08-10\n'
        "event_end = 2027-08-14T22:00:00+02:00\n",
    )
    problems = problems_of(tmp_path, text)
    assert placed(problems) == [(4, "team.event_start"), (5, "team.event_end")]
    assert "give a time as well as the date" in problems[0].message
    assert "without a UTC offset" in problems[1].message


def test_event_end_after_start(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        'timezone = "Europe/Vienna"\n',
        'timezone = "Europe/Vienna"\nevent_start = 2027-08-10T08:00:00\n'
        "event_end = 2027-08-10T08:00:00\n",
    )
    (problem,) = problems_of(tmp_path, text)
    assert (problem.line, problem.field) == (5, "team.event_end")


def test_field_errors_and_cross_checks_together(tmp_path: Path) -> None:
    """Cross-checks run even when field validation fails, so nothing waits for a second run."""
    text = """\
[team]
name = ""
timezone = "UTC"

[[members]]
id = "Alice"
name = "Alice"
roles = []
position = "chair"

[[members]]
id = "bob"
name = "Bob"
roles = ["lead"]
telegram = "not a number"

[[members]]
id = "bob"
name = "Bob again"
roles = ["lead"]

[[rota]]
member = "nobody"
start = 2027-08-10T08:00:00
end = 2027-08-10T09:00:00
level = "tertiary"

[escalation]
repeat = -1
steps = [{ notify = [], wait = "5m" }, { notify = ["boss"], wait = "soon" }]
"""
    problems = problems_of(tmp_path, text)
    assert placed(problems) == [
        (2, "team.name"),
        (6, "members[0].id"),
        (8, "members[0].roles"),
        (9, "members[0].position"),
        (15, "members[1].telegram"),
        (18, "members[2].id"),
        (23, "rota[0].member"),
        (26, "rota[0].level"),
        (29, "escalation.repeat"),
        (30, "escalation.steps[0].notify"),
        (30, "escalation.steps[1].wait"),
        (30, "escalation.steps[1].notify[0]"),
    ]
    by_field = {p.field: p.message for p in problems}
    assert by_field["members[0].id"].startswith("use only lowercase letters")
    assert by_field["members[1].telegram"].endswith("(got 'not a number')")
    assert by_field["team.name"] == "must not be empty"


def test_cross_checks_apply_to_models_built_in_python() -> None:
    info = TeamInfo(name="T", timezone="UTC")
    alice = Member(id="alice", name="A", roles=["lead"])
    with pytest.raises(ValidationError) as exc:
        TeamFile(team=info, members=[alice, alice])
    assert [e["loc"] for e in exc.value.errors()] == [("members", 1, "id")]


def test_format_loc() -> None:
    assert format_loc(("members", 1, "roles", 0)) == "members[1].roles[0]"
    assert format_loc(("team", "timezone")) == "team.timezone"
    assert format_loc(("escalation", "steps", 1, "wait")) == "escalation.steps[1].wait"
    assert format_loc(("a b",)) == '"a b"'
    assert format_loc(()) == ""


# -- the line locator -----------------------------------------------------------------------

LOCATOR_TEXT = """\
# A comment with [brackets] and key = "value"
title = "top"   # trailing comment
[team]
name = "a # not a comment"
"quoted key" = 1
dotted.inner = 2
notes = \"\"\"
[not_a_header]
fake = 1
\"\"\"
raw = '''c:\\path [x]'''

[[members]]
id = "a"
roles = [
  "lead",   # first
  "organizer",
]

[[members]]
id = "b"
  [[members.shifts]]
  at = 1979-05-27 07:32:00
  [[members.shifts]]
  at = 2

[[members]]
id = "c"
[members.extra]
k = "v"

[escalation]
steps = [
  { notify = ["on_duty"], wait = "5m" },
  { notify = ["safety_contacts",
              "leads"], wait = "10m" },
  {wait="1m",notify=["channel"]},
]
[a.b.c]
d = { e = { f = [1, [2, 3]] } }
"""


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("title",), 2),
        (("team",), 3),
        (("team", "name"), 4),
        (("team", "quoted key"), 5),
        (("team", "dotted"), 6),
        (("team", "dotted", "inner"), 6),
        (("team", "notes"), 7),
        (("team", "raw"), 11),
        (("members",), 13),
        (("members", 0), 13),
        (("members", 0, "roles"), 15),
        (("members", 0, "roles", 0), 16),
        (("members", 0, "roles", 1), 17),
        (("members", 1), 20),
        (("members", 1, "id"), 21),
        (("members", 1, "shifts", 0), 22),
        (("members", 1, "shifts", 0, "at"), 23),
        (("members", 1, "shifts", 1, "at"), 25),
        (("members", 2, "id"), 28),
        (("members", 2, "extra", "k"), 30),
        (("escalation", "steps", 0), 34),
        (("escalation", "steps", 0, "wait"), 34),
        (("escalation", "steps", 1), 35),
        (("escalation", "steps", 1, "notify", 1), 36),
        (("escalation", "steps", 1, "wait"), 36),
        (("escalation", "steps", 2, "notify", 0), 37),
        (("a", "b"), 39),
        (("a", "b", "c", "d", "e", "f", 1, 0), 40),
    ],
)
def test_locator_finds_lines(loc: Loc, line: int) -> None:
    assert tomllib.loads(LOCATOR_TEXT)  # the locator only ever sees valid TOML
    assert locate_line(LOCATOR_TEXT, loc) == line


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("team", "timezone"), 3),  # missing key: its table's header
        (("members", 1, "name"), 20),  # missing key in an array of tables: that entry's header
        (("members", 2, "extra", "missing"), 29),
        (("escalation", "steps", 2, "missing"), 37),
        (("escalation", "repeat"), 32),
        (("not_a_header",), None),  # inside a multi-line string, so not a table
        (("nowhere", "at", "all"), None),
        ((), None),
    ],
)
def test_locator_falls_back_to_enclosing_table(loc: Loc, line: int | None) -> None:
    assert locate_line(LOCATOR_TEXT, loc) == line


def _leaves(value: Any, path: Loc = ()) -> list[Loc]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*path, i))]
    return [path]


@pytest.mark.parametrize("text", [starter_team_text(), LOCATOR_TEXT, THREE_MISTAKES])
def test_every_key_in_a_file_is_located_on_a_line_naming_it(text: str) -> None:
    index = build_line_index(text)
    lines = text.splitlines()
    for leaf in _leaves(tomllib.loads(text)):
        key = next(str(p) for p in reversed(leaf) if isinstance(p, str))
        line = locate_line(index, leaf)
        assert line is not None, leaf
        # The value's line, or for an array element a line after its key.
        key_line = locate_line(
            index, tuple(leaf[: max(i for i, p in enumerate(leaf) if p == key) + 1])
        )
        assert key_line is not None and key in lines[key_line - 1], leaf
        assert line >= key_line, leaf


def test_locator_never_raises_on_odd_input() -> None:
    for text in ["", "[", "a = ", "[[x]]\n= 1", 'k = "unterminated', "x = [1, 2", "{"]:
        build_line_index(text)
