"""The report as one form (Slack's modal): the same questions, choices and checks as the
conversation, submitted at once, creating the case exactly as the conversation does.

Adapters build the form from :func:`fields` and check a submission with :func:`problems`, both
through the core (bot/ports/platform.py; :class:`Field` is in bot/ports/forms.py), before they
acknowledge it, so a person sees their mistakes in the form itself.
"""

from __future__ import annotations

from typing import Any

from bot.domain.clean_text import has_words, words
from bot.domain.model import ReportBody
from bot.domain.team import Team
from bot.ports.forms import MAX_FIELD, Field
from bot.text import phrases as texts
from bot.text.reader import _
from bot.text.richtext import rich
from handlers.context import Request
from handlers.participant import intake, report_steps


def _labels(options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The choices with their labels in the reader's language (the values stay as they are)."""
    return [(value, _(label)) for value, label in options]


def fields(team: Team) -> list[Field]:
    """The intake's steps as form fields, in the same order with the very same choices: how
    identifiable and how to be contacted before the account; all but what happened optional."""
    people = [(m.id, m.name) for m in team.handlers()]
    step = report_steps.BY_NAME
    return [
        Field(
            "danger",
            _("Are you in danger right now?"),
            "choice",
            _labels(step["danger"].options),
            False,
        ),
        Field(
            "role", _("Which of these fits best?"), "choice", _labels(step["role"].options), False
        ),
        Field(
            "disclosure",
            _("How identifiable do you want to be? Details you give may still show who you are."),
            "choice",
            _labels(step["disclosure"].options),
            False,
        ),
        Field(
            "contact",
            _(
                'How may the safety team contact you? "Message me here" includes updates when it is'
                " picked up or changes. (Not needed if anonymous.)"
            ),
            "choice",
            _labels(step["contact"].options),
            True,
        ),
        Field("contact_detail", _("Or another way to reach you"), "text", [], True),
        Field("account", _("What happened, in your own words"), "text", [], False, multiline=True),
        Field("when", _("When did it happen? A rough time is fine."), "text", [], True),
        Field("where", _("Where did it happen?"), "choice", _labels(step["where"].options), True),
        Field("where_detail", _("Where, in a few words"), "text", [], True),
        Field(
            "who",
            _(
                "Who was involved? A description is enough; you don't have to name them. If they"
                " are on the safety team, naming them here keeps the report from them."
            ),
            "text",
            [],
            True,
        ),
        Field(
            "affiliation",
            _("Their connection to the event"),
            "choice",
            _labels(step["affiliation"].options),
            True,
        ),
        Field("witnesses", _("Did anyone else see or hear it?"), "text", [], True),
        Field(
            "excluded",
            _("Anyone on the safety team you don't want handling this"),
            "multi_choice",
            people,
            True,
        ),
        Field(
            "outcome", _("Is there an outcome you would like?"), "text", [], True, multiline=True
        ),
    ]


def intro(team: Team) -> str:
    """What the form says before its questions: who reads it, as the chat's greeting says."""
    outside = texts.outside_contacts(team)
    rest = _(
        "The team channel only ever sees a case code. Only what happened must be answered."
        " Nothing is sent until you press Send report."
    )
    return " ".join(part for part in (texts.who_reads(team), outside, rest) if part)


def problems(team: Team, form: dict[str, Any]) -> dict[str, str]:
    """Field name -> a kind explanation, for every answer the conversation would not accept."""
    found: dict[str, str] = {}
    for field in fields(team):
        value = form.get(field.name)
        empty = value in (None, "", []) or (isinstance(value, str) and not has_words(value))
        if empty:
            if not field.optional:
                found[field.name] = _("Please answer this one.")
            continue
        allowed = {value for value, _label in field.options}
        if field.kind == "choice" and value not in allowed:
            found[field.name] = _("Please choose one of the options.")
        elif field.kind == "multi_choice" and (
            not isinstance(value, list) or not set(value) <= allowed
        ):
            found[field.name] = _("Please choose from the list.")
        elif field.kind == "text" and (not isinstance(value, str) or len(value) > MAX_FIELD):
            found[field.name] = _("Please keep this under {count} characters.").format(
                count=MAX_FIELD
            )
    if form.get("disclosure") != "anonymous" and not form.get("contact") and "contact" not in found:
        found["contact"] = _("Please answer this one.")
    return found


def body_from(form: dict[str, Any]) -> ReportBody:
    """The answers as a report; "I'd rather not say" is a field left empty."""

    def text(name: str) -> str:
        value = form.get(name)
        return words(value) if isinstance(value, str) else ""

    body = ReportBody(
        danger=text("danger"),
        role=text("role"),
        account=[text("account")],
        when=text("when"),
        where="" if text("where") == report_steps.SKIP[0] else text("where"),
        where_detail=text("where_detail"),
        who=text("who"),
        affiliation="" if text("affiliation") == report_steps.SKIP[0] else text("affiliation"),
        witnesses=text("witnesses"),
        disclosure=text("disclosure"),
        excluded=list(form.get("excluded") or []),
        outcome=text("outcome"),
    )
    if body.where_detail and not body.where:
        body.where = "other"
    if body.disclosure != "anonymous" and text("contact") in report_steps.CONTACT_OPTIONS:
        report_steps.contact_choice(body, text("contact"))
        detail = text("contact_detail")
        if detail and text("contact") == "none":
            body.notes.append(detail)  # kept, but "don't contact me" stands
        elif detail:
            body.contact = f"{body.contact}; {detail}"
    return body


async def submit(req: Request, form: dict[str, Any]) -> None:
    """Create the case from a form: refused answers change nothing and say why."""
    found = problems(req.uow.team, form)
    if found:
        await req.reply(
            rich(_("Some answers could not be used, so nothing was sent: "))
            + "; ".join(f"{name}: {why}" for name, why in found.items())
        )
        return
    await intake.file_report(req, body_from(form))
