"""The team file's checks that need more than one table to decide (ids, rota members, notify
targets), run on the raw TOML data even when some fields are invalid, so that every problem is
reported at once; and pydantic's own errors turned back into raisable form, to merge with them.
"""

from collections.abc import Callable, Mapping
from typing import Any, get_args

from pydantic import (
    BaseModel,
    ValidationError,
)
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ErrorType

from bot.config.team_fields import (
    NOTIFY_KEYWORDS,
    ON_CALL_ROLES,
    Hints,
    Role,
    parse_notify_target,
    some_ids,
    suggest,
)
from bot.config.teamfile_checks import same_member_problems, shown
from bot.config.teamfile_lines import Loc


def _get(obj: Any, key: str) -> Any:
    """Read ``key`` from raw TOML data or from an already-built model, else None."""
    if isinstance(obj, Mapping):
        return obj.get(key)
    if isinstance(obj, BaseModel):
        return getattr(obj, key, None)
    return None


def _items(value: Any) -> list[Any]:
    """The elements of a list-like value; anything else counts as empty (pydantic reports it)."""
    return list(value) if isinstance(value, list | tuple) else []


Fail = Callable[[str, Loc, str, Any], None]
"""Record one problem: (error kind, location, message, the value)."""


def cross_check_errors(data: Mapping[str, Any]) -> list[InitErrorDetails]:
    """Check ids, rota members and notify targets on raw data, collecting every problem.

    Works on values that may not have passed field validation yet, so each check only looks
    at values of the expected type and leaves the rest to pydantic's own errors.
    """
    errors: list[InitErrorDetails] = []
    hints = Hints()

    def fail(kind: str, loc: Loc, message: str, value: Any) -> None:
        errors.append({"type": PydanticCustomError(kind, message), "loc": loc, "input": value})

    member_index = _unique_ids(data, "members", "member", fail)
    members = _items(_get(data, "members"))
    member_roles = {ident: _get(members[i], "roles") for ident, i in member_index.items()}
    external_index = _unique_ids(data, "external", "external", fail)
    above = _get(_get(data, "escalation"), "above_team")
    if isinstance(above, str) and above not in external_index:
        fail(
            "unknown_external",
            ("escalation", "above_team"),
            f"unknown external contact {shown(above)}; add it as an [[external]] entry",
            above,
        )
    _check_rota(data, member_index, member_roles, hints, fail)
    steps = _items(_get(_get(data, "escalation"), "steps"))
    for i, step in enumerate(steps):
        for j, target in enumerate(_items(_get(step, "notify"))):
            if not isinstance(target, str):
                continue
            message = _notify_target_problem(target, member_index, external_index, hints)
            if message:
                fail("bad_notify_target", ("escalation", "steps", i, "notify", j), message, target)
    for loc, kind, message, value in same_member_problems(data):
        fail(kind, loc, message, value)
    return errors


def _unique_ids(data: Mapping[str, Any], table: str, what: str, fail: Fail) -> dict[str, int]:
    """Id -> index of its first entry in ``[[table]]``; each later entry with the same id fails."""
    index: dict[str, int] = {}
    for i, entry in enumerate(_items(_get(data, table))):
        ident = _get(entry, "id")
        if not isinstance(ident, str):
            continue
        if ident in index:
            fail(
                "duplicate_id",
                (table, i, "id"),
                f"duplicate {what} id {shown(ident)}; {table}[{index[ident]}] already uses it",
                ident,
            )
        else:
            index[ident] = i
    return index


def _check_rota(
    data: Mapping[str, Any],
    member_index: Mapping[str, int],
    member_roles: Mapping[str, Any],
    hints: Hints,
    fail: Fail,
) -> None:
    """Every shift names a known member who may be on call."""
    valid_roles = set(get_args(Role))
    for i, shift in enumerate(_items(_get(data, "rota"))):
        who = _get(shift, "member")
        if not isinstance(who, str):
            continue
        if who not in member_index:
            known = some_ids(member_index)
            hint = hints(who, member_index)
            fail(
                "unknown_member",
                ("rota", i, "member"),
                f"unknown member {shown(who)}{hint or f' (known member ids: {known})'}",
                who,
            )
            continue
        roles = member_roles[who]
        # Only judge roles that are themselves valid; a misspelt role is reported on its own.
        if (
            isinstance(roles, list)
            and roles
            and all(r in valid_roles for r in roles)
            and not ON_CALL_ROLES.intersection(roles)
        ):
            fail(
                "not_on_call",
                ("rota", i, "member"),
                f"{shown(who)} is on the rota but has no 'safety_contact' or 'lead' role "
                f"(roles: {', '.join(roles)}); add one of those roles or take them off the rota",
                who,
            )


def _notify_target_problem(
    target: str, members: Mapping[str, int], externals: Mapping[str, int], hints: Hints
) -> str | None:
    """Explain what is wrong with a notify target, or return None if it is fine."""
    try:
        kind, ident = parse_notify_target(target)
    except ValueError as exc:
        if target in members:
            return f"{exc}; did you mean 'member:{target}'?"
        if target in externals:
            return f"{exc}; did you mean 'external:{target}'?"
        guess = suggest(target, NOTIFY_KEYWORDS)
        return f"{exc}; did you mean {guess!r}?" if guess else str(exc)
    if kind == "member" and ident not in members:
        hint = hints(ident or "", members)
        return f"{shown(target)} names an unknown member {shown(ident)}{hint}"
    if kind == "external" and ident not in externals:
        defined = some_ids(externals)
        return (
            f"{shown(target)} names an unknown external contact {shown(ident)}; add an"
            f" [[external]] entry with id = {shown(ident)} (defined external ids: {defined})"
        )
    return None


KNOWN_ERROR_TYPES: frozenset[str] = frozenset(get_args(ErrorType))


def as_init_errors(exc: ValidationError) -> list[InitErrorDetails]:
    """Turn a ValidationError's errors back into a form that can be raised again."""
    out: list[InitErrorDetails] = []
    for err in exc.errors():
        if err["type"] in KNOWN_ERROR_TYPES:
            detail: InitErrorDetails = {
                "type": err["type"],
                "loc": err["loc"],
                "input": err["input"],
            }
            if "ctx" in err:
                detail["ctx"] = err["ctx"]
        else:
            detail = {
                "type": PydanticCustomError(err["type"], err["msg"]),
                "loc": err["loc"],
                "input": err["input"],
            }
        out.append(detail)
    return out
