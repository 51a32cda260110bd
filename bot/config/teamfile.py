"""The team file: the safety team's own description of itself (TOML), and its loader.

The file is edited by hand by people who are not programmers, often in a hurry before an event.
So every model forbids unknown fields (a misspelt ``rols`` must not silently mean "no roles"),
the loader reports *every* mistake at once rather than one per run, and each mistake names the
file, the line and the field (``team.toml:14: members[1].roles[0]: ...``) in plain words.

Times in the file are local to ``team.timezone`` and written without an offset; durations are
short strings such as ``"5m"`` (see :mod:`bot.config.durations`).

Its parts, each in a module named for what it does: field types and names (team_fields.py), the
TOML schema (team_schema.py), the checks across tables (team_cross_checks.py), mistakes in plain
words (team_errors.py), reading a file safely (teamfile_read.py), finding a mistake's line
(teamfile_lines.py). The names the rest of the bot uses are all importable from here.
"""

import tomllib
from importlib import resources
from pathlib import Path

from pydantic import (
    ValidationError,
)

from bot.config.teamfile_read import MAX_DEPTH, UnreadableTeamFile, nesting_problem, read_limited

__all__ = [
    "NOTIFY_KEYWORDS",
    "Channels",
    "Duration",
    "Escalation",
    "External",
    "LocalDateTime",
    "Member",
    "Problem",
    "ResponseTarget",
    "Retention",
    "Role",
    "Shift",
    "Step",
    "SupportResource",
    "TeamFile",
    "TeamFileError",
    "TeamInfo",
    "format_loc",
    "load_team_file",
    "parse_notify_target",
    "parse_team_text",
    "starter_team_text",
]
from bot.config.team_errors import (
    Problem,
    TeamFileError,
    format_loc,
    problems_from_validation,
    syntax_problem,
)
from bot.config.team_fields import (
    NOTIFY_KEYWORDS,
    Duration,
    LocalDateTime,
    Role,
    parse_notify_target,
)
from bot.config.team_schema import (
    Channels,
    Escalation,
    External,
    Member,
    ResponseTarget,
    Retention,
    Shift,
    Step,
    SupportResource,
    TeamFile,
    TeamInfo,
)


def parse_team_text(text: str, filename: str = "team.toml") -> TeamFile:
    """Parse and validate team-file text; ``filename`` only labels the problems.

    Raises:
        TeamFileError: listing every problem found (one for a TOML syntax error, since
            nothing after it can be trusted).
    """
    deep = nesting_problem(text)
    if deep is not None:
        line, key = deep
        message = f"nested more than {MAX_DEPTH} levels deep; a team file needs 3 at most"
        raise TeamFileError([Problem(filename, line, key, message)])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TeamFileError([syntax_problem(exc, text, filename)]) from exc
    except RecursionError as exc:  # the check above should make this unreachable
        message = "nested too deeply to read"
        raise TeamFileError([Problem(filename, None, "", message)]) from exc
    try:
        return TeamFile.model_validate(data)
    except ValidationError as exc:
        raise TeamFileError(problems_from_validation(exc, text, filename)) from exc


def load_team_file(path: Path | str) -> TeamFile:
    """Read, parse and validate the team file at ``path``.

    Raises:
        TeamFileError: for a missing or unreadable file too, so callers (``fsbot check-config``,
            start-up) have a single error type to print.
    """
    path = Path(path)
    filename = str(path)
    try:
        raw = read_limited(path)
    except UnreadableTeamFile as exc:
        raise TeamFileError([Problem(filename, None, "", str(exc))]) from None
    except FileNotFoundError:
        raise TeamFileError(
            [
                Problem(
                    filename,
                    None,
                    "",
                    "team file not found; create it (a commented template ships with the bot) "
                    "or point FSB_TEAM_FILE at it",
                )
            ]
        ) from None
    except IsADirectoryError:
        raise TeamFileError(
            [Problem(filename, None, "", "this is a directory; FSB_TEAM_FILE must name a file")]
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise TeamFileError(
            [Problem(filename, None, "", f"cannot read the team file: {reason}")]
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TeamFileError(
            [Problem(filename, line, "", "the file is not UTF-8 text; save it as UTF-8")]
        ) from exc
    return parse_team_text(text, filename)


def starter_team_text() -> str:
    """The commented template team file shipped with the bot, as text.

    Read through importlib.resources so it works from a wheel or zip, not only a checkout.
    """
    return resources.files("bot.config").joinpath("team_template.toml").read_text(encoding="utf-8")
