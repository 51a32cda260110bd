"""``/task``: give a case's practical work an owner and a due time; ``/task done N`` ends it."""

from __future__ import annotations

from bot.domain.clean_text import words
from bot.services import conflicts, tasks
from bot.services.conflicts import conflict_reason
from bot.text.richtext import bold, rich
from handlers.context import Request
from handlers.team.case_commands import working_case
from handlers.team.casework import NOT_FOR_PARTICIPANTS

USAGE = "/task FS-7K3Q bob 18:00 find a second room (or /task done 3)"


async def task(req: Request, args: list[str]) -> None:
    if args[:1] == ["done"]:
        await done(req, args[1] if len(args) > 1 else "")
        return
    found = await working_case(req, args, USAGE)
    if found is None:
        return
    member, case = found
    if len(args) < 4:
        await req.reply(rich("Use ", USAGE, ". The due time can be 18:00, 2h or a date and time."))
        return
    owner = req.uow.team.member(args[1].lower())
    if owner is None:
        await req.reply(rich(f"I don't know a team member {args[1]}; use their member id."))
        return
    due = tasks.parse_due(args[2], req.uow.now, req.uow.team)
    if due is None or due <= req.uow.now:
        await req.reply(
            rich(f"I can't read {args[2]} as a time still to come; try 18:00, 2h or 1h30m.")
        )
        return
    text = words(" ".join(args[3:]))
    if len(text) > tasks.MAX_TASK_TEXT:
        await req.reply(rich(f"Please keep a task under {tasks.MAX_TASK_TEXT} characters."))
        return
    report = await req.uow.tx.get_report(case.report_id)
    reason = await conflict_reason(req.uow, case, report.body, owner)
    if reason is not None:
        await req.uow.audit(
            case, f"member:{member.id}", "task_refused", member=owner.id, reason=reason
        )
        await req.reply(rich(f"{owner.name} can't take work on this case (conflict of interest)."))
        return
    added = await tasks.add(req.uow, case, owner, member, due, text)
    await req.reply(
        rich(
            f"Task {added.id} on ",
            bold(case.code),
            f" for {owner.name}, due {tasks.when(req.uow.team, due)}."
            " They are reminded then and until it is marked done.",
        )
    )


async def done(req: Request, number: str) -> None:
    """Mark a task done, by command or by its button."""
    member = req.member
    if member is None:
        await req.reply(NOT_FOR_PARTICIPANTS)
        return
    found = await req.uow.tx.get_task(int(number)) if number.isdigit() else None
    case = await req.uow.tx.get_case(found.case_id) if found is not None else None
    if found is not None and case is not None and found.owner != member.id:
        # a task of a case this member may not see is answered as if it did not exist
        report = await req.uow.tx.get_report(case.report_id)
        reason = await conflicts.refusal(req.uow, case, report.body, member)
        if reason is not None:
            await req.uow.audit(case, f"member:{member.id}", "task_done_refused", reason=reason)
            case = None
    if found is None or case is None:
        await req.reply(rich("I can't find that task. /case CODE lists a case's tasks."))
        return
    await req.reply(await tasks.finish(req.uow, case, found, member))
