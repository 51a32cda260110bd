"""The end of a report, told to the reporter in words a handler chose.

``/resolve`` no longer tells the reporter "Your report is now: resolved". It asks the handler for
a message to them, with a kind default they may send as it is ("Send this"), replace by writing
their own (the next message they type), or not send. The message carries the team's support
resources and says the reporter can still write: what they send reaches the team
(handlers.additions). Nobody is asked to write to a reporter the bot cannot or may not reach.
"""

from __future__ import annotations

import secrets
from typing import Any

from bot.domain.model import Case, Report
from bot.services import cases
from bot.text import phrases as texts
from bot.text.help_words import support_lines
from bot.text.reader import N_, _
from bot.text.richtext import Rich, bold, fill, lines, rich
from bot.uow import button
from handlers.context import Request
from handlers.participant import additions

FLOW = "closing"
USAGE = "/resolve FS-7K3Q warning what was done"
DEFAULT = N_(  # shown to the handler as written; sent in the reporter's language
    "Thank you for telling us. The safety team has finished working on what you reported. If"
    " anything else happens, or you want to add something, you can still write to us here."
)


def why_not(req: Request, case: Case, report: Report) -> str | None:
    """Why the reporter can't have a closing message, in the handler's words; None if they can."""
    body = report.body
    if body.source == "in_person":
        name = req.uow.team.member_name(body.taken_by)
        return _("{name} took it in person: please let the person know through them.").format(
            name=name
        )
    if body.source == "team":
        return _("There is no reporter to tell.")
    if case.disclosure == "anonymous" or report.reporter is None:
        return _("The reporter chose to stay anonymous, so they can't be told.")
    if not body.contactable:
        return _("The reporter asked not to be contacted, so no closing message is sent.")
    return None


async def ask(req: Request, case: Case) -> None:
    """After ``/resolve``: ask the handler for the reporter's closing message."""
    report = await req.uow.tx.get_report(case.report_id)
    reason = why_not(req, case, report)
    if reason is not None:
        await req.reply(rich(reason))
        return
    args = {"case": case.id, "cid": secrets.token_hex(4)}
    own = _(
        "Send it as it is, write your own message (your next message here is sent instead),"
        " or send none."
    )
    if await req.uow.tx.load_draft(req.owner) is None:
        await req.uow.tx.save_draft(req.owner, {"flow": FLOW, **args}, req.uow.now)
    else:  # a draft of theirs is under way: it is not thrown away for this
        own = _("Send it as it is, write your own with /reply {code}, or send none.").format(
            code=case.code
        )
    await req.reply(
        lines(
            fill(_("A last message to the reporter of {code}."), "bold", code=bold(case.code)),
            _("They will read:"),
            rich("  ", _(DEFAULT)),
            own,
        ),
        [
            button(_("Send this"), "closing.send", **args),
            button(_("Don't send a message"), "closing.skip", **args),
        ],
    )


def message(case: Case, text: str, support: list[Rich | str]) -> Rich:
    """What the reporter reads: the handler's words, support, and that they can still write."""
    return lines(
        fill(_("A message from the safety team about {code}:"), code=bold(case.code)),
        text,
        *support,
        _(
            "You can still write to us about it at any time: reply to this message, or use the"
            " button."
        ),
    )


async def _case(req: Request, args: dict[str, Any]) -> Case | None:
    """The case again, with the presser's rights checked as for the typed command."""
    from handlers.team.case_commands import working_case

    case = await req.uow.tx.get_case(int(args["case"]))
    if case is None:
        await req.reply(texts.STALE_BUTTON)
        return None
    found = await working_case(req, [case.code], USAGE)
    return None if found is None else found[1]


async def _already(req: Request, case: Case, cid: str) -> bool:
    trail = await req.uow.tx.audit_for(case.id)
    if any(e.kind.startswith("closing_message") and e.detail.get("cid") == cid for e in trail):
        await req.reply(
            rich(_("That closing message was already dealt with; nothing more was sent."))
        )
        return True
    return False


async def send(req: Request, args: dict[str, Any], text: str = DEFAULT) -> None:
    """Send the closing message (the default, or the handler's own words)."""
    case = await _case(req, args)
    if case is None or req.member is None or await _already(req, case, str(args["cid"])):
        return
    await _drop_draft(req)
    if case.is_open:
        await req.reply(fill(_("{code} is open again, so nothing was sent."), code=bold(case.code)))
        return
    report = await req.uow.tx.get_report(case.report_id)
    reason = why_not(req, case, report)
    team = req.uow.team

    def words() -> Rich:  # in the reporter's language; the default words translated too
        own = _(DEFAULT) if text == DEFAULT else text
        return message(case, own, support_lines(team.config.support))

    if reason is not None or not await cases.tell_reporter(
        req.uow, case, report, words, lambda: [additions.add_button(case)]
    ):
        await req.reply(rich(reason or _("The reporter can't be reached; nothing was sent.")))
        return
    await req.uow.audit(
        case, f"member:{req.member.id}", "closing_message", cid=args["cid"], text=text
    )
    await req.reply(fill(_("Sent to the reporter of {code}."), code=bold(case.code)))


async def skip(req: Request, args: dict[str, Any]) -> None:
    case = await _case(req, args)
    if case is None or req.member is None or await _already(req, case, str(args["cid"])):
        return
    await _drop_draft(req)
    await req.uow.audit(case, f"member:{req.member.id}", "closing_message_skipped", cid=args["cid"])
    await req.reply(
        fill(
            _("No message was sent. Anything the reporter writes about {code} still reaches you."),
            code=bold(case.code),
        )
    )


async def on_text(req: Request, state: dict[str, Any], text: str) -> None:
    """The handler wrote their own closing message."""
    await send(req, state, text)


async def _drop_draft(req: Request) -> None:
    state = await req.uow.tx.load_draft(req.owner)
    if state is not None and state.get("flow") == FLOW:
        await req.uow.tx.delete_draft(req.owner)


async def on_button(req: Request, action: str, args: dict[str, Any]) -> None:
    """ "Send this" or "Don't send a message"."""
    if action == "closing.send":
        await send(req, args)
    else:
        await skip(req, args)
