"""Working a case after it was taken: notes, state, severity, outcome, recusal, talking to the
reporter. Only the case's handler or a lead may change it, and never someone conflicted; every
refusal and every change is written to the audit trail."""

from __future__ import annotations

from typing import Any

from bot.config.teamfile import Member
from bot.domain import rights
from bot.domain.clean_text import words
from bot.domain.model import OUTCOMES, Case, CaseState, Severity
from bot.ports.events import MAX_INBOUND_TEXT
from bot.services import aftercare, case_changes, cases, conflicts, retention, risk
from bot.text import phrases as texts
from bot.text import reporter_notes
from bot.text.richtext import bold, rich
from bot.text.views import CONFLICT_WORDS, either
from bot.uow import button
from handlers.context import Request
from handlers.team import closing
from handlers.team.casework import case_for

# A note or a statement may be as long as any message a platform delivers (a pasted statement).
MAX_NOTE = MAX_INBOUND_TEXT


async def working_case(req: Request, args: list[str], usage: str) -> tuple[Member, Case] | None:
    """The member and the case, when this member may change this case (bot.rights): its
    handler, its second person or a lead, none of them conflicted."""
    found = await case_for(req, args, usage, "change")
    if found is None:
        return None
    member, case = found
    if case.purged_at is not None:
        await req.reply(rich(retention.purged_line(case, req.uow.team)))
        return None
    if case.state == CaseState.NEW:
        await req.reply(
            rich(bold(case.code), f" has not been acknowledged yet: /ack {case.code} first.")
        )
        return None
    if not rights.may_change(case, member):
        await req.uow.audit(case, f"member:{member.id}", "change_refused", reason="not handler")
        handler = req.uow.team.member_name(case.assignee) if case.assignee else "nobody now"
        await req.reply(
            rich(
                bold(case.code),
                f" is handled by {handler}; only they, the second person on it or a lead can"
                " change it.",
            )
        )
        return None
    return member, case


async def note(req: Request, args: list[str]) -> None:
    found = await working_case(req, args, "/note FS-7K3Q what you want to record")
    if found is None:
        return
    member, case = found
    text = words(" ".join(args[1:]))
    if not text or len(text) > MAX_NOTE:
        await req.reply(rich(f"Please add the note after the code (up to {MAX_NOTE} characters)."))
        return
    await case_changes.record(req.uow, case, f"member:{member.id}", "note", text=text)
    await req.reply(rich("Noted on ", bold(case.code), "."))


async def status(req: Request, args: list[str]) -> None:
    found = await working_case(req, args, "/status FS-7K3Q investigating")
    if found is None:
        return
    member, case = found
    wanted = args[1].lower() if len(args) > 1 else ""
    if wanted not in ("investigating", "action_taken"):
        await req.reply(rich("Use /status CODE investigating or /status CODE action_taken."))
        return
    await _change(req, member, case, CaseState(wanted))


async def severity(req: Request, args: list[str]) -> None:
    """Record the handler's risk assessment. ``critical`` tells the external contacts in the
    case's chain at once; ``high`` offers to (bot.risk)."""
    found = await working_case(req, args, "/severity FS-7K3Q high")
    if found is None:
        return
    member, case = found
    wanted = args[1].lower() if len(args) > 1 else ""
    if wanted not in {s.value for s in Severity}:
        await req.reply(rich("Use /severity CODE low|medium|high|critical."))
        return
    old = await case_changes.change_severity(req.uow, case, member, Severity(wanted))
    await cases.update_channel_posts(req.uow, case)
    told, offer = "", []
    if case.severity == Severity.CRITICAL and old != Severity.CRITICAL:
        names = await risk.tell_externals(req.uow, case, member)
        told = f" Told: {', '.join(names)}." if names else ""
    elif case.severity == Severity.HIGH:
        contacts = either([c.name for c in risk.external_contacts(req.uow, case)], "")
        if contacts:
            told = f" {contacts} can be told too: the code, the risk and whom to call."
            offer = [button(f"Tell {contacts}"[:60], "risk.tell", case=case.id)]
    await req.reply(rich(bold(case.code), f" is now {wanted}.{told}"), offer)


async def tell_externals(req: Request, args: dict[str, Any]) -> None:
    """The "Tell ..." button of ``/severity CODE high``: the rights are checked again."""
    case = await req.uow.tx.get_case(int(args["case"]))
    if case is None:
        await req.reply(texts.STALE_BUTTON)
        return
    found = await working_case(req, [case.code], "/severity FS-7K3Q high")
    if found is None:
        return
    member, case = found
    if case.severity not in risk.SHAREABLE:
        await req.reply(rich(bold(case.code), f" is {case.severity.value} now; nothing was sent."))
        return
    names = await risk.tell_externals(req.uow, case, member)
    sent = f"Told: {', '.join(names)}." if names else "Nobody could be reached; nothing was sent."
    await req.reply(rich(bold(case.code), f" · {sent}"))


async def resolve(req: Request, args: list[str]) -> None:
    found = await working_case(req, args, "/resolve FS-7K3Q warning what was done")
    if found is None:
        return
    member, case = found
    outcome = args[1].lower() if len(args) > 1 else ""
    if outcome not in OUTCOMES:
        await req.reply(rich("Use /resolve CODE OUTCOME note, with one of: " + ", ".join(OUTCOMES)))
        return
    if await _change(
        req, member, case, CaseState.RESOLVED, outcome=outcome, note=" ".join(args[2:])
    ):
        await closing.ask(req, case)
        await req.reply(aftercare.note(req.uow))


async def close(req: Request, args: list[str]) -> None:
    found = await working_case(req, args, "/close FS-7K3Q")
    if found is not None:
        await _change(req, *found, CaseState.CLOSED)


async def reopen(req: Request, args: list[str]) -> None:
    found = await working_case(req, args, "/reopen FS-7K3Q why it is reopened")
    if found is None:
        return
    text = words(" ".join(args[1:]))
    if not text:
        await req.reply(rich("Reopening needs a note: /reopen CODE why."))
        return
    await _change(req, *found, CaseState.REOPENED, note=text)


async def _change(req: Request, member: Member, case: Case, new: CaseState, **detail: str) -> bool:
    why_not = await cases.change_state(req.uow, case, new, member, **detail)
    if why_not is not None:
        await req.reply(rich(why_not))
        return False
    await req.reply(rich(bold(case.code), f" is now {new.value.replace('_', ' ')}."))
    return True


async def recuse(req: Request, args: list[str]) -> None:
    found = await case_for(req, args, "/recuse FS-7K3Q", "recuse")
    if found is None:
        return
    member, case = found
    await case_changes.recuse(req.uow, case, member)
    await req.reply(
        rich(
            "You have stepped aside from ",
            bold(case.code),
            ". You will not be paged for it and it leaves your lists.",
        )
    )


async def reply(req: Request, args: list[str]) -> None:
    found = await working_case(req, args, "/reply FS-7K3Q your message")
    if found is None:
        return
    member, case = found
    text = words(" ".join(args[1:]))
    if not text:
        await req.reply(rich("Please add the message after the code."))
        return
    report = await req.uow.tx.get_report(case.report_id)
    taken_by = req.uow.team.member_name(report.body.taken_by)
    if report.body.source == "in_person":
        await req.reply(
            rich(
                bold(case.code),
                f" was taken in person by {taken_by}: reach the person through them.",
            )
        )
        return
    if report.body.source == "team":
        await req.reply(rich(bold(case.code), " was opened by the team: there is no reporter."))
        return
    if case.disclosure == "anonymous" or report.reporter is None:
        await req.reply(rich(bold(case.code), " was reported anonymously: no reply is possible."))
        return
    await cases.tell_reporter(
        req.uow,
        case,
        report,
        lambda: reporter_notes.team_message(case.code, text),
    )
    await req.uow.audit(case, f"member:{member.id}", "replied", text=text)
    await req.reply(rich("Sent to the reporter of ", bold(case.code), " through the bot."))


PARTIES = ("reporter", "reported", "witness")


async def second(req: Request, args: list[str]) -> None:
    """Name the second team member on the case; contact with a reported person needs two."""
    found = await working_case(req, args, "/second FS-7K3Q bob")
    if found is None:
        return
    member, case = found
    other = req.uow.team.member(args[1].lower()) if len(args) > 1 else None
    if other is None or other.id == case.assignee:
        await req.reply(rich("Name another team member by their id: /second CODE member."))
        return
    report = await req.uow.tx.get_report(case.report_id)
    reason = await conflicts.second_refusal(req.uow, case, report.body, other)
    if reason is not None:
        await req.uow.audit(
            case, f"member:{member.id}", "second_refused", member=other.id, reason=reason
        )
        why = CONFLICT_WORDS.get(reason, "a conflict of interest")
        await req.reply(
            rich(
                f"{other.name} can't be the second person on ",
                bold(case.code),
                f": {why}. Please choose someone else.",
            )
        )
        return
    await case_changes.name_second(req.uow, case, member, other)
    await req.reply(rich(f"{other.name} is the second person on ", bold(case.code), "."))


async def statement(req: Request, args: list[str]) -> None:
    """Record a statement from one side, with who took it and who was present."""
    found = await working_case(req, args, "/statement FS-7K3Q reporter|reported|witness text")
    if found is None:
        return
    member, case = found
    party = args[1].lower() if len(args) > 1 else ""
    text = words(" ".join(args[2:]))
    if party not in PARTIES or not text or len(text) > MAX_NOTE:
        await req.reply(rich("Use /statement CODE reporter|reported|witness what they said."))
        return
    present = [p for p in (case.assignee, case.second_person) if p]
    if party == "reported" and not await two_people(
        req, member, case, "statement", "A statement from a reported person"
    ):
        return
    names = ", ".join(req.uow.team.member_name(p) for p in present)
    await case_changes.record(
        req.uow, case, f"member:{member.id}", f"statement_{party}", text=text, present=names
    )
    await req.reply(
        rich(f"Statement ({party}) recorded on ", bold(case.code), f"; present: {names}.")
    )


async def two_people(req: Request, member: Member, case: Case, action: str, what: str) -> bool:
    """Contact with a reported person needs two named people on the case: refuse (and record
    the refusal) until there are."""
    if case.assignee and case.second_person:
        return True
    await req.uow.audit(
        case, f"member:{member.id}", f"{action}_refused", reason="two people needed"
    )
    await req.reply(
        rich(
            f"{what} needs two named people on the case."
            f" Add the second with /second {case.code} MEMBER first; nothing was done."
        )
    )
    return False
