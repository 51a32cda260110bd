"""Words a person writes when nothing was asked of them: never dropped (WORDS.md, point 2).

- No report being written and no open report of theirs: the words start a report, kept as what
  happened; after the welcome (who reads what, perhaps their first word to the bot) they choose
  what happens next: carry on with the report, "I need help now", or
  stop and delete it. Nobody is told anything until they choose. More words before they choose
  are kept with the first.
- One open report of theirs (recent: :data:`RECENT`): the words are added to it, as "Add to my
  report" does (handlers/participant/additions.py), and they are told so, with its code.
- Several: the words are kept in a draft and they are asked which report they belong to, or
  whether it is something new.

The draft's steps are ``HELD_STEPS`` (handlers/participant/draft.py), so a restart, /cancel and
"I need help now" treat the kept words as any draft's.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.domain import pieces
from bot.domain.addresses import Forwarded
from bot.domain.model import Case
from bot.text import phrases as texts
from bot.text.reader import _
from bot.text.richtext import bold, fill, rich
from bot.uow import button
from handlers.commands import start
from handlers.context import Request
from handlers.participant import additions, intake
from handlers.participant.draft import HELD_STEPS, Draft, way_back

KEPT, WHICH = HELD_STEPS
ACTION = "kept"  # the buttons of this module
RECENT = timedelta(days=30)  # an open report changed longer ago than this takes no new words


async def recent_open(req: Request) -> list[Case]:
    """The sender's open reports changed within :data:`RECENT`, oldest first (drills aside)."""
    found = await req.uow.tx.cases_for_reporter(req.owner)
    now = req.uow.now
    return [c for c in found if c.is_open and not c.is_drill and now - c.updated_at <= RECENT]


async def take(req: Request, text: str) -> None:
    """``text`` (with words) written with nothing asked and no draft: see the module."""
    found = await recent_open(req)
    if len(found) == 1:
        (case,) = found
        event = req.event
        await additions.pass_on(req.uow, case, text, event.message_ref, event.forwarded)
        await req.reply(
            fill(
                _(
                    "I've added what you wrote to your report {code}. It goes to the safety team"
                    " with your report. Anything else you write here is added too."
                ),
                code=bold(case.code),
            ),
            [button(_("I need help now"), "help.now")],
        )
        return
    draft = Draft(step=WHICH if found else KEPT)
    if not found:  # perhaps their first word to the bot: who reads what comes first
        await start(req)
    await on_text(req, draft, text)


async def on_text(req: Request, draft: Draft, text: str) -> None:
    """More words while they have not chosen yet: kept with the rest, then the choice again."""
    await intake.keep_account(req, draft, text)
    await prompt(req, draft)


async def prompt(req: Request, draft: Draft) -> None:
    """What the kept words wait for: which report (``which``), or what to do (``kept``)."""
    found = await recent_open(req) if draft.step == WHICH else []
    if found:
        await req.reply(
            rich(
                _(
                    "I've kept what you wrote. Nobody has been told yet. Which of your reports"
                    " is it about?"
                )
            ),
            [
                *(
                    button(_("Add to my report {code}").format(code=c.code), ACTION, case=c.id)
                    for c in found
                ),
                button(_("Something new"), ACTION, value="new"),
            ],
        )
        return
    await req.reply(
        rich(
            _(
                "I've kept what you wrote as the start of a report. Nobody has been told yet."
                " What would you like to do?"
            )
        ),
        [
            button(_("Carry on with the report"), ACTION, value="go_on"),
            button(_("I need help now"), "help.now"),
            button(_("Stop and delete it"), ACTION, value="delete"),
        ],
    )


async def on_button(req: Request, _action: str, args: dict[str, Any]) -> None:
    """A choice about the kept words (see :func:`prompt`)."""
    draft = await intake.load(req)
    if draft is None or draft.step not in HELD_STEPS:
        await req.reply(texts.STALE_BUTTON)
        return
    value = str(args.get("value", ""))
    if "case" in args:
        await _add_to(req, draft, int(args["case"]))
    elif value == "go_on":
        await intake.begin(req)  # the report's own start, with their words as what happened
    elif value == "delete":
        await req.uow.tx.delete_draft(req.owner)
        await req.reply(texts.CANCELLED, way_back())
    else:  # "Something new"
        draft.step = KEPT
        await intake.save(req, draft)
        await prompt(req, draft)


async def _add_to(req: Request, draft: Draft, case_id: int) -> None:
    """The kept words go to the report they chose, in the order written."""
    case = await req.uow.tx.get_case(case_id)
    if case is None or case.reporter_key != req.owner or not case.is_open:
        await req.reply(texts.STALE_BUTTON)
        await prompt(req, draft)
        return
    for index, text in enumerate(draft.body.account):
        record = pieces.piece(draft.body, "account", index) or {}
        forwarded = record.get("forwarded")
        await additions.pass_on(
            req.uow,
            case,
            text,
            str(record.get("ref") or ""),
            Forwarded.from_dict(forwarded) if forwarded else None,
        )
    await req.uow.tx.delete_draft(req.owner)
    await req.reply(
        fill(
            _(
                "I've added what you wrote to your report {code}. It goes to the safety team with"
                " your report."
            ),
            code=bold(case.code),
        ),
        [button(_("I need help now"), "help.now")],
    )
