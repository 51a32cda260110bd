"""A person edits a message they sent (Telegram ``edited_message``, Slack ``message_changed``).

If the message is an answer in their report, still a draft or sent and open, the answer takes the
new wording and the first wording is kept beside it (bot/domain/pieces.py); a sent report's audit
trail
records when, and whoever has the case sees the correction. An edit is never handled as a new
message or command. An edit of anything else (a command, a message from before a report, a report
sent anonymously, which is not linked to its reporter) changes nothing and is passed over
quietly; an edit of an answer in a closed report is answered kindly, since it cannot be added.
"""

from __future__ import annotations

from bot.domain import pieces
from bot.domain.clean_text import words
from bot.domain.model import Case
from bot.services import case_changes, people
from bot.text import phrases as texts
from bot.text.reader import _
from bot.text.richtext import bold, italic, rich
from handlers.context import Request
from handlers.participant import intake
from handlers.participant.help_now import update_pages, update_pages_with_location


async def on_edit(req: Request) -> None:
    """Apply an edit to the draft or open report it belongs to, if any (see the module)."""
    ref, text = req.event.message_ref, words(req.event.text)
    if not ref or not text:
        return
    if not await _in_draft(req, ref, text):
        await _in_case(req, ref, text)


async def _in_draft(req: Request, ref: str, text: str) -> bool:
    draft = await intake.load(req)
    if draft is None or pieces.find(draft.body, ref) is None:
        return False
    change = pieces.correct(draft.body, ref, text, req.uow.now)
    if change is None:
        return True  # the wording did not change (formatting only): nothing to say
    await intake.save(req, draft)
    await req.reply(texts.corrected_in_draft(change.title))
    if draft.step == "summary":
        await intake.prompt(req, draft)  # the summary they are reading is out of date
    return True


async def _in_case(req: Request, ref: str, text: str) -> None:
    uow = req.uow
    for case in reversed(await uow.tx.cases_for_reporter(req.owner)):
        report = await uow.tx.get_report(case.report_id)
        if pieces.find(report.body, ref) is None:
            continue
        if not case.is_open:
            await req.reply(texts.correction_too_late(case.code))
            return
        change = pieces.correct(report.body, ref, text, uow.now)
        if change is None:
            return
        await uow.tx.save_report_body(case.report_id, report.body)
        await case_changes.record(uow, case, "reporter", "reporter_corrected", part=change.title)
        if change.field == "who":
            await people.index_case(uow, case, report.body)  # matched by the new name too
        await _pass_on(req, case, change)
        await req.reply(texts.corrected_in_case(case.code))
        return


async def _pass_on(req: Request, case: Case, change: pieces.Correction) -> None:
    """Waiting pages show the corrected report; a handler who has the case is told."""
    if change.field == "location_now":
        await update_pages_with_location(req.uow, case.id)
        return
    await update_pages(
        req.uow,
        case,
        "The reporter corrected what they wrote.",
        rich(
            bold(case.code),
            f" · the reporter corrected what they wrote ({change.title}):\n",
            change.text,
            "\n",
            italic(_("It first said:")),
            "\n",
            change.original,
        ),
    )
