"""The team file's mistakes in plain words: each placed at its file, line and field
(``team.toml:14: members[1].roles[0]: ...``) and said for someone editing TOML, not Python."""

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any, get_args

from pydantic import (
    BaseModel,
    ValidationError,
)
from pydantic_core import ErrorDetails

from bot.config.team_cross_checks import KNOWN_ERROR_TYPES
from bot.config.team_fields import DATETIME_EXAMPLE, ID_PATTERN, did_you_mean
from bot.config.team_schema import TeamFile
from bot.config.teamfile_checks import shown
from bot.config.teamfile_lines import build_line_index, locate_line


@dataclass(frozen=True)
class Problem:
    """One mistake in a team file, placed as precisely as we can (line may be unknown)."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        """``file:line: field: message``, the shape editors and terminals make clickable."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class TeamFileError(Exception):
    """The team file could not be used; ``problems`` lists every mistake found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        """One problem per line, ready to print as-is."""
        return "\n".join(str(p) for p in self.problems)


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def format_loc(loc: Sequence[str | int]) -> str:
    """``("members", 1, "roles", 0)`` -> ``"members[1].roles[0]"``, as people write it."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = part if _BARE_KEY.match(part) else f'"{part}"'
            out += f".{key}" if out else key
    return out


def _model_at(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that holds the last key of ``loc`` (for "allowed fields" hints)."""
    model: type[BaseModel] = TeamFile
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = _inner_model(field.annotation) if field is not None else None
        if inner is None:
            return None
        model = inner
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | date | time)


def _friendly_message(err: ErrorDetails) -> str:
    """Rephrase pydantic's message for someone editing a TOML file, not writing Python."""
    kind = err["type"]
    if kind not in KNOWN_ERROR_TYPES:
        return err["msg"]  # our own cross-check messages already name the value
    value = err.get("input")
    got = f" (got {shown(value)})" if _is_scalar(value) else ""
    if kind.startswith(("datetime_", "date_")):
        return f"not a date and time; write it like {DATETIME_EXAMPLE} (no quotes){got}"
    phrase = _PHRASES.get(kind)
    said = phrase(err, got) if phrase is not None else None
    return said if said is not None else f"{err['msg']}{got}"


Phrase = Callable[[ErrorDetails, str], "str | None"]
"""(pydantic's error, " (got <value>)" or "") -> our words, or None for pydantic's own."""


def _unknown_field(err: ErrorDetails, _got: str) -> str:
    loc = err["loc"]
    name = str(loc[-1]) if loc else ""
    model = _model_at(loc)
    allowed = list(model.model_fields) if model is not None else []
    hint = did_you_mean(name, allowed)
    if hint:
        return f"unknown field{hint}"
    return "unknown field" + (f"; allowed here: {', '.join(allowed)}" if allowed else "")


def _value_error(err: ErrorDetails, _got: str) -> str | None:
    ctx = err.get("ctx") or {}
    return str(ctx["error"]) if "error" in ctx else None


def _literal(err: ErrorDetails, got: str) -> str:
    value = err.get("input")
    if not isinstance(value, str):
        return f"{err['msg']}{got}"
    options = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
    return f"{err['msg']} (got {value!r}{did_you_mean(value, options)})"


def _pattern(err: ErrorDetails, got: str) -> str | None:
    if (err.get("ctx") or {}).get("pattern") != ID_PATTERN:
        return None
    return f"use only lowercase letters, digits, '_' and '-'{got}"


def _bound(err: ErrorDetails, got: str) -> str:
    ctx = err.get("ctx") or {}
    bound = ctx.get("le", ctx.get("ge"))
    return f"must be at {'most' if err['type'] == 'less_than_equal' else 'least'} {bound}{got}"


def _too_short(err: ErrorDetails, _got: str) -> str:
    minimum = (err.get("ctx") or {}).get("min_length", 1)
    return f"must list at least {minimum} item{'' if minimum == 1 else 's'}"


def _list_type(err: ErrorDetails, got: str) -> str:
    if isinstance(err.get("input"), Mapping):
        name = next((p for p in reversed(err["loc"]) if isinstance(p, str)), "name")
        return f"should be a list; write [[{name}]] (double brackets) once per entry"
    return f'should be a list, like ["a", "b"]{got}'


def _table(_err: ErrorDetails, got: str) -> str:
    return f"should be a table (a [section] or {{ key = value }}){got}"


_PHRASES: dict[str, Phrase] = {
    "missing": lambda _err, _got: "missing required field",
    "extra_forbidden": _unknown_field,
    "value_error": _value_error,
    "literal_error": _literal,
    "string_pattern_mismatch": _pattern,
    "string_too_short": lambda _err, _got: "must not be empty",
    "less_than_equal": _bound,
    "greater_than_equal": _bound,
    "too_short": _too_short,
    "list_type": _list_type,
    "model_type": _table,
    "dict_type": _table,
    "model_attributes_type": _table,
}


_MAX_MESSAGE = 400  # characters of one problem: its line, not a copy of the file


def problems_from_validation(exc: ValidationError, text: str, filename: str) -> list[Problem]:
    index = build_line_index(text)
    problems: dict[Problem, None] = {}  # in order, each once (a set would lose the order)
    for err in exc.errors(include_url=False):
        message = _friendly_message(err)
        problem = Problem(
            file=filename,
            line=locate_line(index, err["loc"]),
            field=format_loc(err["loc"])[:_MAX_MESSAGE],
            message=message if len(message) <= _MAX_MESSAGE else message[:_MAX_MESSAGE] + "...",
        )
        problems[problem] = None
    # Reading order is fixing order; problems without a line (whole file) go last.
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def syntax_problem(exc: tomllib.TOMLDecodeError, text: str, filename: str) -> Problem:
    """Turn tomllib's "Invalid value (at line 3, column 9)" into a placed Problem."""
    message = str(exc)
    match = _TOML_POSITION.search(message)
    line: int | None = None
    column = ""
    if match:
        message = message[: match.start()]
        if match.group(1):
            line = int(match.group(1))
            column = f" (column {match.group(2)})"
        else:
            line = max(1, len(text.splitlines()))
    hint = ""
    if message.startswith("Invalid value"):
        hint = '; text values need quotes, like name = "Alice"'
    return Problem(filename, line, "", f"TOML syntax error: {message}{column}{hint}")
