"""``/handoff CODE CONTACT what is needed``: hand a case to someone outside the team (the other
event's organizers, venue security) with only what they need.

The handler ticks which parts of the report go; code, severity and "what we need from you" always
go, the reporter's identity only if they chose to be named and the handler ticks it. The choice is
carried in the buttons' server-side arguments, so composing a handoff leaves nothing behind but
the audit entry of what was sent. Asking the outside contact to speak to the reported person is
contact with that person, so it needs two named people on the case, as statements do.
"""

from __future__ import annotations

import secrets
from typing import Any

from bot.config.teamfile import External
from bot.domain.clean_text import words
from bot.domain.model import Case, Report
from bot.domain.team import Team
from bot.services import case_changes
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import WHERE_WORDS, account_lines
from bot.uow import Button, button
from handlers.context import Request
from handlers.team.case_commands import two_people, working_case

USAGE = "/handoff FS-7K3Q venue what you need from them"
SPEAK = "speak"  # "please speak to the reported person"

# field -> its button label, and its heading in the packet
FIELDS: dict[str, str] = {
    "when": "When",
    "where": "Where",
    "who": "Who was involved",
    "account": "What happened",
    "witnesses": "Witnesses",
    "reporter": "Reporter's name and contact",
}


def _available(case: Case, report: Report) -> list[str]:
    """What may be offered: the reporter only if they chose to be named."""
    named = case.disclosure == "named" and report.reporter is not None and not report.body.source
    return [f for f in FIELDS if f != "reporter" or named]


def packet(case: Case, report: Report, team: Team, need: str, chosen: list[str]) -> Rich:
    """Exactly what the outside contact receives; a forwarded message says where it came from."""
    body = report.body
    values = {
        "when": body.when,
        "where": WHERE_WORDS.get(body.where, body.where)
        + (f": {body.where_detail}" if body.where_detail else ""),
        "who": body.who,
        "account": " / ".join(
            line.plain.strip() for line in account_lines(team, body, corrections=False)
        ),
        "witnesses": body.witnesses,
        "reporter": (f"{report.reporter.display_name} ({body.contact})" if report.reporter else ""),
    }
    parts: list[Rich | str] = [
        bold(f"From the {team.name}: case {case.code} · {case.severity.value}"),
        rich(bold("What we need from you: "), need),
    ]
    if SPEAK in chosen:
        parts.append("We ask you to speak to the person this is about, with two people present.")
    parts += [rich(bold(f"{FIELDS[f]}: "), values[f] or "not given") for f in chosen if f in FIELDS]
    parts.append("Please reply to the safety team directly; don't forward this message.")
    return lines(*parts)


def _buttons(args: dict[str, Any], available: list[str], contact: External) -> list[Button]:
    chosen: list[str] = args["fields"]
    toggles = [
        button(("✓ " if f in chosen else "") + FIELDS[f], "handoff.toggle", **args, field=f)
        for f in available
    ]
    speak = ("✓ " if SPEAK in chosen else "") + "Ask them to speak to the reported person"
    return [
        *toggles,
        button(speak, "handoff.toggle", **args, field=SPEAK),
        button(f"Send to {contact.name}"[:60], "handoff.send", **args),
        button("Cancel", "handoff.cancel"),
    ]


async def _preview(req: Request, case: Case, report: Report, args: dict[str, Any]) -> None:
    contact = req.uow.team.config.external_contact(str(args["to"]))
    assert contact is not None
    text = packet(case, report, req.uow.team, str(args["need"]), list(args["fields"]))
    await req.reply(
        lines(
            bold(f"Handoff to {contact.name}: tick what they need, then send. They will read:"),
            text,
        ),
        _buttons(args, _available(case, report), contact),
    )


async def handoff(req: Request, args: list[str]) -> None:
    found = await working_case(req, args, USAGE)
    if found is None:
        return
    _, case = found
    contacts = req.uow.team.config.external
    contact = req.uow.team.config.external_contact(args[1].lower()) if len(args) > 1 else None
    need = words(" ".join(args[2:]))
    if contact is None or not need:
        known = ", ".join(f"{c.id} ({c.name})" for c in contacts) or "none in the team file"
        await req.reply(rich(f"Use {USAGE}. External contacts: {known}."))
        return
    if not await req.uow.reachable_external(contact):
        await req.reply(rich(f"I have no way to reach {contact.name} on a running platform."))
        return
    report = await req.uow.tx.get_report(case.report_id)
    hid = secrets.token_hex(4)
    state = {"case": case.id, "to": contact.id, "need": need, "fields": [], "hid": hid}
    await _preview(req, case, report, state)


async def _case_for(req: Request, args: dict[str, Any]) -> tuple[Case, Report] | None:
    """Re-check the presser's rights, exactly as for the typed command."""
    case = await req.uow.tx.get_case(int(args["case"]))
    if case is None:
        return None
    found = await working_case(req, [case.code], USAGE)
    if found is None:
        return None
    return case, await req.uow.tx.get_report(case.report_id)


async def toggle(req: Request, args: dict[str, Any]) -> None:
    found = await _case_for(req, args)
    if found is None:
        return
    case, report = found
    field = str(args["field"])
    chosen = [f for f in args["fields"] if f != field]
    if field not in args["fields"]:
        chosen.append(field)
    state = {k: v for k, v in args.items() if k != "field"}
    await _preview(req, case, report, {**state, "fields": chosen})


async def already_sent(req: Request, case: Case, hid: str) -> bool:
    """Whether this handoff (its id) went out already; if so, the presser is told."""
    trail = await req.uow.tx.audit_for(case.id)
    if any(e.kind == "handoff" and e.detail.get("hid") == hid for e in trail):
        await req.reply(rich("This handoff was already sent; nothing was sent again."))
        return True
    return False


async def send(req: Request, args: dict[str, Any]) -> None:
    """ "Send to ...": at once when only the code, severity and need go; with parts of the
    report, only once the reporter agrees (handlers.handoff_consent)."""
    from handlers.team import handoff_consent

    found = await _case_for(req, args)
    if found is None or req.member is None:
        return
    case, report = found
    member = req.member
    contact = req.uow.team.config.external_contact(str(args["to"]))
    if contact is None:
        await req.reply(rich("That contact is no longer in the team file; nothing was sent."))
        return
    if await already_sent(req, case, str(args["hid"])):
        return
    chosen = [f for f in args["fields"] if f in _available(case, report) or f == SPEAK]
    if SPEAK in chosen and not await two_people(
        req, member, case, "handoff", "Asking someone to speak to the reported person"
    ):
        return
    if handoff_consent.needed(report, chosen):
        await handoff_consent.ask(req, case, report, contact, {**args, "fields": chosen})
        return
    sent = await deliver(req, member.id, case, report, {**args, "fields": chosen})
    await req.reply(rich(f"Sent to {contact.name}: {sent}. It is recorded in the case."))


async def deliver(
    req: Request, by: str, case: Case, report: Report, args: dict[str, Any], **why: Any
) -> str:
    """Send the packet of handoff ``args`` (made by member ``by``) and record it, with ``why``
    it may go (the reporter agreed, or someone is in danger). Returns what went, in words."""
    contact = req.uow.team.config.external_contact(str(args["to"]))
    assert contact is not None
    chosen: list[str] = list(args["fields"])
    text = packet(case, report, req.uow.team, str(args["need"]), chosen)
    await req.uow.send_external(contact, text, case_id=case.id)
    await case_changes.record(
        req.uow,
        case,
        f"member:{by}",
        "handoff",
        to=contact.id,
        fields=chosen,
        hid=args["hid"],
        text=f"to {contact.name}: {args['need']}",
        **why,
    )
    return "the code, severity and what you need, and: " + parts(chosen)


def parts(chosen: list[str]) -> str:
    """The chosen parts in words, as the handler reads them."""
    return ", ".join(FIELDS.get(f, "speak to the reported person") for f in chosen) or "nothing"
