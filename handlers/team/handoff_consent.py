"""The reporter's agreement before parts of their report go outside the team (``/handoff``).

Nothing from the account, and not the reporter's identity, goes to an outside contact unless the
reporter says yes, asked through the bot; a report taken in person is asked through the member
who took it, who answers for the person. The handler hears the answer. Only a handler's recorded
"someone is in danger" sends without it, and then the reporter is told what went to whom. A case
the team opened has no reporter to ask: it goes at once. The code, the severity and what the team
needs never wait: they say nothing of the account or the reporter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.config.teamfile import External, Member
from bot.domain.model import Case, Report
from bot.services import cases
from bot.text import phrases as texts
from bot.text.reader import N_, _
from bot.text.richtext import Rich, bold, fill, lines, rich
from bot.uow import Button, button
from handlers.context import Request
from handlers.team.handoff import (
    FIELDS,
    _case_for,
    already_sent,
    deliver,
    parts,
    send,
    toggle,
    what_went,
)

# The parts of the report as the reporter reads them.
PART_WORDS = {
    "when": N_("when it happened"),
    "where": N_("where"),
    "who": N_("who was involved"),
    "account": N_("what happened"),
    "witnesses": N_("witnesses"),
    "reporter": N_("your name and how to reach you"),
}


def needed(report: Report, chosen: list[str]) -> bool:
    """Whether these parts may go only with the reporter's yes."""
    return report.body.source != "team" and any(f in FIELDS for f in chosen)


def _taker(req: Request, report: Report) -> Member | None:
    body = report.body
    return req.uow.team.member(body.taken_by) if body.source == "in_person" else None


def _cannot_ask(case: Case, report: Report, told: bool = False) -> str:
    if case.disclosure == "anonymous" or report.reporter is None:
        if told:
            return _("The reporter chose to stay anonymous, so they can't be told")
        return _("The reporter chose to stay anonymous, so they can't be asked")
    if told:
        return _("The reporter asked not to be contacted, so they can't be told")
    return _("The reporter asked not to be contacted, so they can't be asked")


def _danger(args: dict[str, Any]) -> Button:
    return button(_("Someone is in danger: send now"), "handoff.danger", **args)


def _shared(args: dict[str, Any]) -> str:
    return ", ".join(_(PART_WORDS[f]) for f in args["fields"] if f in PART_WORDS)


def _question(case: Case, contact: External, args: dict[str, Any], own: bool) -> Rich:
    """The question to the reporter (``own``: their report) or the member who took it."""
    template = (
        _(
            "The safety team would like to share part of your report {code} with {name}, so"
            " that they can help: {need}"
        )
        if own
        else _(
            "The safety team would like to share part of the report {code} with {name}, so"
            " that they can help: {need}"
        )
    )
    return lines(
        fill(template, code=bold(case.code), name=contact.name, need=str(args["need"])),
        _("They would get: {parts}.").format(parts=_shared(args)),
        _("Is that OK? Nothing is shared unless you say yes."),
    )


def _answers(args: dict[str, Any]) -> list[Button]:
    return [
        button(_("Yes, share it"), "handoff.agree", **args),
        button(_("No, don't share it"), "handoff.decline", **args),
    ]


async def ask(
    req: Request, case: Case, report: Report, contact: External, args: dict[str, Any]
) -> None:
    """Ask the reporter (or the member who took it in person); the handler is told it waits."""
    assert req.member is not None
    trail = await req.uow.tx.audit_for(case.id)
    if any(e.kind == "handoff_asked" and e.detail.get("hid") == args["hid"] for e in trail):
        await req.reply(rich(_("They were already asked; it goes when they say yes.")))
        return
    args = {**args, "by": req.member.id}
    taker = _taker(req, report)
    if taker is not None:
        asked = bool(
            await req.uow.send_member(
                taker,
                lambda: lines(
                    _question(case, contact, args, own=False),
                    _("Please ask the person who told you, and answer for them."),
                ),
                lambda: _answers(args),
                case_id=case.id,
            )
        )
        whom = _("{name}, who took it in person, to ask the person").format(name=taker.name)
    elif report.body.contactable:
        asked = await cases.tell_reporter(
            req.uow,
            case,
            report,
            lambda: _question(case, contact, args, own=True),
            lambda: _answers(args),
        )
        whom = _("the reporter")
    else:
        asked, whom = False, ""
    if not asked:
        reason = (
            _("{name} can't be reached").format(name=taker.name)
            if taker
            else _cannot_ask(case, report)
        )
        await req.reply(
            rich(
                _(
                    "{reason}. Parts of the report can't go without their agreement: untick them"
                    " to send the code and what you need or, if someone is in danger, send now."
                ).format(reason=reason),
            ),
            [_danger(args)],
        )
        return
    await req.uow.audit(
        case,
        f"member:{req.member.id}",
        "handoff_asked",
        to=contact.id,
        fields=args["fields"],
        hid=args["hid"],
    )
    await req.reply(
        rich(
            _(
                "I've asked {whom} whether {name} may have: {parts}. It goes when they say yes,"
                " and you will hear their answer. If someone is in danger, you can send it now;"
                " that is recorded and the reporter is told."
            ).format(whom=whom, name=contact.name, parts=parts(args["fields"])),
        ),
        [_danger(args)],
    )


async def _answered(req: Request, args: dict[str, Any]) -> tuple[Case, Report] | None:
    case = await req.uow.tx.get_case(int(args["case"]))
    if case is None or req.uow.team.config.external_contact(str(args["to"])) is None:
        await req.reply(texts.STALE_BUTTON)
        return None
    if await already_sent(req, case, str(args["hid"])):
        return None
    return case, await req.uow.tx.get_report(case.report_id)


async def agree(req: Request, args: dict[str, Any]) -> None:
    """The reporter said yes: it goes, and the handler hears so."""
    found = await _answered(req, args)
    if found is None:
        return
    case, report = found
    await deliver(req, str(args["by"]), case, report, args, agreed=True)
    contact = req.uow.team.config.external_contact(str(args["to"]))
    assert contact is not None
    await req.reply(rich(_("Thank you. It has been shared with {name}.").format(name=contact.name)))
    chosen = list(args["fields"])
    await _tell_handler(
        req,
        case,
        args,
        lambda: _("Agreed: sent to {name}: {sent}.").format(
            name=contact.name, sent=what_went(chosen)
        ),
    )


async def decline(req: Request, args: dict[str, Any]) -> None:
    """The reporter said no: nothing goes, and the handler hears so."""
    found = await _answered(req, args)
    if found is None:
        return
    case = found[0]
    await req.uow.audit(case, "reporter", "handoff_declined", to=args["to"], hid=args["hid"])
    await req.reply(rich(_("Understood. Nothing was shared.")))
    contact = req.uow.team.config.external_contact(str(args["to"]))
    assert contact is not None
    await _tell_handler(
        req,
        case,
        args,
        lambda: _(
            "The answer is no, so nothing was sent to {name}. If someone is in danger,"
            " you can still send it now."
        ).format(name=contact.name),
        danger_button=True,
    )


async def _tell_handler(
    req: Request,
    case: Case,
    args: dict[str, Any],
    text: Callable[[], str],
    danger_button: bool = False,
) -> None:
    """The handler who asked hears the answer, in their own language."""
    member = req.uow.team.member(str(args["by"]))
    if member is not None:
        await req.uow.send_member(
            member,
            lambda: fill(_("{code} · handoff: {text}"), code=bold(case.code), text=text()),
            lambda: [_danger(args)] if danger_button else [],
            case_id=case.id,
        )


async def danger(req: Request, args: dict[str, Any]) -> None:
    """A handler records that someone is in danger: it goes without the reporter's yes, and the
    reporter is told what went to whom."""
    found = await _case_for(req, args)
    if found is None or req.member is None:
        return
    case, report = found
    contact = req.uow.team.config.external_contact(str(args["to"]))
    if contact is None:
        await req.reply(rich(_("That contact is no longer in the team file; nothing was sent.")))
        return
    if await already_sent(req, case, str(args["hid"])):
        return
    sent = await deliver(req, req.member.id, case, report, args, danger=True)
    told = await _tell_reporter(req, case, report, contact, args)
    await req.reply(
        rich(
            _("Sent to {name}: {sent}. Recorded as someone being in danger; {told}.").format(
                name=contact.name, sent=sent, told=told
            )
        )
    )


def _danger_note(case: Case, contact: External, args: dict[str, Any], own: bool) -> Rich:
    template = (
        _(
            "Because someone may be in danger, the safety team shared part of your report"
            " {code} with {name}: {parts}."
        )
        if own
        else _(
            "Because someone may be in danger, the safety team shared part of the report"
            " {code} with {name}: {parts}."
        )
    )
    return fill(template, code=bold(case.code), name=contact.name, parts=_shared(args))


async def _tell_reporter(
    req: Request, case: Case, report: Report, contact: External, args: dict[str, Any]
) -> str:
    own = not report.body.source
    taker = _taker(req, report)
    if taker is not None:
        if await req.uow.send_member(
            taker,
            lambda: lines(_danger_note(case, contact, args, own), _("Please let the person know.")),
            case_id=case.id,
        ):
            return _("{name} was asked to tell the person").format(name=taker.name)
        return _("{name}, who took it in person, could not be reached").format(name=taker.name)
    if report.body.contactable and await cases.tell_reporter(
        req.uow, case, report, lambda: _danger_note(case, contact, args, own)
    ):
        return _("the reporter has been told")
    return _cannot_ask(case, report, told=True)


async def cancel(req: Request, args: dict[str, Any]) -> None:
    await req.reply(rich(_("Handoff cancelled; nothing was sent.")))


BUTTONS = {
    "handoff.toggle": toggle,
    "handoff.send": send,
    "handoff.cancel": cancel,
    "handoff.agree": agree,
    "handoff.decline": decline,
    "handoff.danger": danger,
}


async def on_button(req: Request, action: str, args: dict[str, Any]) -> None:
    """Every button of a handoff: the handler's (tick, send, cancel, send now) and the
    reporter's answer."""
    handler = BUTTONS.get(action)
    if handler is None:
        await req.reply(texts.STALE_BUTTON)
    else:
        await handler(req, args)
