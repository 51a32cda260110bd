"""The report as one form (Slack's modal): the same questions, choices and checks as the
conversation, submitted at once, creating the case exactly as the conversation does.

Adapters build the form from :func:`fields` and check a submission with :func:`problems` before
they acknowledge it, so a person sees their mistakes in the form itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain import ReportBody
from bot.richtext import rich
from bot.team import Team
from handlers import intake
from handlers.context import Request

MAX_FIELD = 3000  # Slack's plain-text input limit; also plenty for one answer


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # choice | text | multi_choice
    options: list[tuple[str, str]]  # (value, label) for choices
    optional: bool
    multiline: bool = False


def fields(team: Team) -> list[Field]:
    """The intake's steps as form fields, with the very same choices."""
    people = [(m.id, m.name) for m in team.handlers()]
    step = intake.BY_NAME
    return [
        Field("danger", "Are you in danger right now?", "choice", step["danger"].options, False),
        Field("role", "Which of these fits best?", "choice", step["role"].options, False),
        Field("account", "What happened, in your own words", "text", [], False, multiline=True),
        Field("when", "When did it happen? A rough time is fine.", "text", [], True),
        Field("where", "Where did it happen?", "choice", step["where"].options, True),
        Field("where_detail", "Where, in a few words (optional)", "text", [], True),
        Field("who", "Who was involved? A description is enough.", "text", [], True),
        Field(
            "affiliation",
            "Their connection to the event",
            "choice",
            step["affiliation"].options,
            True,
        ),
        Field("witnesses", "Did anyone else see or hear it?", "text", [], True),
        Field(
            "disclosure",
            "How identifiable do you want to be?",
            "choice",
            step["disclosure"].options,
            False,
        ),
        Field(
            "contact",
            "How may the safety team contact you? (not asked if anonymous)",
            "text",
            [],
            True,
        ),
        Field(
            "excluded",
            "Anyone on the safety team you don't want handling this",
            "multi_choice",
            people,
            True,
        ),
        Field(
            "outcome",
            "Is there an outcome you would like? (optional)",
            "text",
            [],
            True,
            multiline=True,
        ),
    ]


def problems(team: Team, form: dict[str, Any]) -> dict[str, str]:
    """Field name -> a kind explanation, for every answer the conversation would not accept."""
    found: dict[str, str] = {}
    for field in fields(team):
        value = form.get(field.name)
        empty = value in (None, "", [])
        if empty:
            if not field.optional:
                found[field.name] = "Please answer this one."
            continue
        allowed = {v for v, _ in field.options}
        if field.kind == "choice" and value not in allowed:
            found[field.name] = "Please choose one of the options."
        elif field.kind == "multi_choice" and (
            not isinstance(value, list) or not set(value) <= allowed
        ):
            found[field.name] = "Please choose from the list."
        elif field.kind == "text" and (not isinstance(value, str) or len(value) > MAX_FIELD):
            found[field.name] = f"Please keep this under {MAX_FIELD} characters."
    return found


def body_from(form: dict[str, Any]) -> ReportBody:
    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    anonymous = form.get("disclosure") == "anonymous"
    return ReportBody(
        danger=text("danger"),
        role=text("role"),
        account=[text("account")],
        when=text("when"),
        where=text("where") or ("other" if text("where_detail") else ""),
        where_detail=text("where_detail"),
        who=text("who"),
        affiliation=text("affiliation"),
        witnesses=text("witnesses"),
        disclosure=text("disclosure"),
        contact="" if anonymous else (text("contact") or "Message me here"),
        excluded=list(form.get("excluded") or []),
        outcome=text("outcome"),
    )


async def submit(req: Request, form: dict[str, Any]) -> None:
    """Create the case from a form: refused answers change nothing and say why."""
    found = problems(req.uow.team, form)
    if found:
        await req.reply(
            rich("Some answers could not be used, so nothing was sent: ")
            + "; ".join(f"{name}: {why}" for name, why in found.items())
        )
        return
    await intake.file_report(req, body_from(form))
