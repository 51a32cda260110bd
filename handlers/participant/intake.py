"""The guided report: one question at a time, stored after every answer.

The draft (step, answers, the way back) is saved in the store on every change, so a restart resumes
exactly where the person was. Fixed answers are buttons; free text is accepted where it makes sense.
"Back" and /cancel work at every step. The bot never asks why someone did not report sooner.
"""

from __future__ import annotations

from typing import Any

from bot.domain import pieces
from bot.domain.model import ReportBody, Severity
from bot.ports.events import Address
from bot.services import cases, checkins, conflicts
from bot.text import phrases as texts
from bot.text.reader import _, current
from bot.text.report_summary import report_summary
from bot.text.richtext import rich
from bot.uow import Button, button
from handlers.context import Request
from handlers.participant import confirmations, danger_now
from handlers.participant.draft import HELD_STEPS, Draft, next_step, way_back
from handlers.participant.report_steps import (
    BY_NAME,
    CONTACT_OPTIONS,
    INTRO,
    SKIP,
    SKIPPABLE,
    STEPS,
    Step,
    asked,
    contact_choice,
    options_for,
    step_prompt,
)

# The questions live in handlers.report_steps; these names are read from here too.
__all__ = [
    "BY_NAME",
    "CONTACT_OPTIONS",
    "SKIP",
    "SKIPPABLE",
    "STEPS",
    "Step",
    "asked",
    "contact_choice",
    "options_for",
]

# Characters across all "what happened" messages: a long paste arrives as many messages (Telegram
# cuts it every 4096), and about fifteen of them are kept whole; the page that shows them still
# fits one Slack message.
MAX_ACCOUNT = 60_000
# The field each question's typed answer is kept in (see bot/domain/pieces.py).
TEXT_FIELD = {
    "when": "when",
    "where": "where_detail",
    "who": "who",
    "witnesses": "witnesses",
    "contact": "contact",
    "outcome": "outcome",
}


KEPT_SHOWN = frozenset({"exclude", "summary"})  # the screens that show who the report is kept from

# -- prompting ------------------------------------------------------------------------------


def _b(step: str, value: str, label: str) -> Button:
    return button(label, "intake", step=step, value=value)


async def keep_account(req: Request, draft: Draft, text: str) -> None:
    """Add ``text`` to the draft's account (with the message it came in, when, and whether it was
    forwarded) and save the draft."""
    event = req.event
    pieces.add(
        draft.body,
        "account",
        text,
        ref=event.message_ref,
        at=req.uow.now,
        forwarded=event.forwarded,
    )
    await save(req, draft)


async def prompt(req: Request, draft: Draft) -> None:
    """Ask the current question again (after a restart, a stale button, or a step change)."""
    team = req.uow.team
    if draft.step in HELD_STEPS:  # their words, kept before anything was asked
        from handlers.participant import unprompted

        await unprompted.prompt(req, draft)
        return
    # the members the report names: kept from it whatever is chosen, so the reporter sees them
    kept = await conflicts.kept_out(req.uow, draft.body) if draft.step in KEPT_SHOWN else []
    if draft.step == "summary":
        await req.reply(
            report_summary(team, draft.body, kept=[m.id for m in kept]),
            [
                _b("summary", "send", _("Send report")),
                _b("summary", "edit", _("Edit")),
                _b("summary", "cancel", _("Cancel")),
            ],
        )
        return
    if draft.step == "edit":
        await req.reply(
            rich(_("What would you like to change?")),
            [
                *(_b("edit", s.name, _(s.title)) for s in STEPS if asked(s.name, draft.body)),
                _b("edit", "summary", _("Back to the summary")),
            ],
        )
        return
    if draft.step == danger_now.STEP:
        go_on = _b(danger_now.STEP, danger_now.GO_ON, _("Carry on with the report"))
        back = _b(danger_now.STEP, "back", _("Back"))
        await req.reply(await danger_now.follow_up(req.uow), [*danger_now.buttons(go_on), back])
        return
    step = BY_NAME[draft.step]
    buttons = [
        _b(step.name, value, _(label)) for value, label in options_for(step, team, draft.body, kept)
    ]
    if draft.history:
        buttons.append(_b(step.name, "back", _("Back")))
    await req.reply(step_prompt(step, team, draft.body, kept), buttons)


async def save(req: Request, draft: Draft) -> None:
    draft.body.language = current().language  # the language they are writing in now
    await req.uow.tx.save_draft(req.owner, draft.to_dict(), req.uow.now)


async def load(req: Request) -> Draft | None:
    data = await req.uow.tx.load_draft(req.owner)
    if data is None or data.get("flow") != "report":
        return None
    return Draft.from_dict(data)


# -- entry points ---------------------------------------------------------------------------


async def begin(req: Request, source: str = "") -> None:
    """Start a report: a person's own, or one a team member files (``in_person`` or ``team``)."""
    draft, held = Draft(), await load(req)
    if not source and held is not None and held.step in HELD_STEPS:
        draft.body = held.body  # what they wrote before anything was asked is kept
    if source:
        if req.member is None:
            await req.reply(texts.FOR_THE_TEAM)
            return
        draft.body.source, draft.body.taken_by = source, req.member.id
    await save(req, draft)
    # A person may rather say it to someone's face: the on-duty contact is asked to meet them.
    meet = [] if source else [button(_("I'd rather tell someone in person"), "meet.ask")]
    await req.reply(rich(_(INTRO[source])), meet)
    await prompt(req, draft)


async def _advance(req: Request, draft: Draft) -> None:
    draft.history.append(draft.step)
    draft.step = "summary" if draft.editing else next_step(draft)
    if draft.step == "summary":
        draft.editing = False
    await save(req, draft)
    await prompt(req, draft)


async def _back(req: Request, draft: Draft) -> None:
    if draft.history:
        draft.step = draft.history.pop()
        draft.editing = False
    await save(req, draft)
    await prompt(req, draft)


async def on_choice(req: Request, args: dict[str, Any]) -> None:
    """A button of the intake was pressed."""
    draft = await load(req)
    if draft is None:
        await req.reply(
            rich(
                _(
                    "This report was already sent or cancelled. /mycases shows your reports, and"
                    " /report starts a new one."
                )
            )
        )
        return
    step_name, value = str(args.get("step")), str(args.get("value"))
    if step_name != draft.step:
        await req.reply(texts.STALE_BUTTON + " Here is where we are:")
        await prompt(req, draft)
        return
    if step_name == danger_now.STEP:
        await _after_danger(req, draft, value)
        return
    if value == "back":
        await _back(req, draft)
        return
    if step_name == "summary":
        await _summary_choice(req, draft, value)
        return
    if step_name == "edit":
        await _edit_choice(req, draft, value)
        return
    await _step_choice(req, draft, BY_NAME[step_name], value)


async def _edit_choice(req: Request, draft: Draft, value: str) -> None:
    if value == "summary":
        draft.step = "summary"
    else:
        draft.history.append("edit")
        draft.step, draft.editing = value, True
    await save(req, draft)
    await prompt(req, draft)


async def _step_choice(req: Request, draft: Draft, step: Step, value: str) -> None:
    """A button of a question: checked, kept (a skip leaves the field empty), then onwards."""
    allowed = {v for v, _ in options_for(step, req.uow.team, draft.body)}
    if value not in allowed:
        await req.reply(texts.STALE_BUTTON)
        return
    if step.name == "account" and not draft.body.account:
        await req.reply(rich(_("Please tell me what happened first, in one or more messages.")))
        return
    if step.name == "exclude" and value.startswith("toggle:"):
        member_id = value.removeprefix("toggle:")
        if member_id in draft.body.excluded:
            draft.body.excluded.remove(member_id)
        else:
            draft.body.excluded.append(member_id)
        await save(req, draft)
        await prompt(req, draft)
        return
    if value == SKIP[0] and step.name in SKIPPABLE:
        for attr in SKIPPABLE[step.name]:
            setattr(draft.body, attr, "")  # "I'd rather not say": left empty
    else:
        step.choose(draft.body, value)
    await _answered(req, draft, value)


async def _answered(req: Request, draft: Draft, value: str) -> None:
    """On to the next question; after danger "Yes" or "Not sure", first its follow-up."""
    if draft.step == "danger" and value in danger_now.ASKED_AFTER:
        draft.history.append(draft.step)  # nobody is told yet: say so, offer help at once
        draft.step = danger_now.STEP
        await save(req, draft)
        await prompt(req, draft)
        return
    await _advance(req, draft)


async def _after_danger(req: Request, draft: Draft, value: str) -> None:
    """The danger answer's follow-up (handlers/participant/danger_now.py): on with the report, or
    back."""
    draft.step = draft.history.pop() if draft.history else "danger"
    if value == danger_now.GO_ON:
        await _advance(req, draft)
        return
    await save(req, draft)
    await prompt(req, draft)


async def on_text(req: Request, draft: Draft, text: str) -> None:
    """Free text while a report is being written. A forwarded message is evidence: whatever the
    question, it is kept with what happened, marked as forwarded."""
    if req.event.forwarded is not None and draft.step != "account":
        if await _add_to_account(req, draft, text):
            await req.reply(texts.FORWARD_KEPT)
            await prompt(req, draft)
        return
    if draft.step in ("summary", "edit", danger_now.STEP) or BY_NAME[draft.step].text is None:
        await keep_as_note(req, draft, text)
        return
    step = BY_NAME[draft.step]
    assert step.text is not None
    if step.name == "account":
        if await _add_to_account(req, draft, text):
            await req.reply(
                rich(_("Got it. Add more if you like, or press Done.")),
                [_b("account", "done", _("Done"))],
            )
        return
    step.text(draft.body, text)
    pieces.record(draft.body, TEXT_FIELD[step.name], ref=req.event.message_ref, at=req.uow.now)
    await _advance(req, draft)


async def _add_to_account(req: Request, draft: Draft, text: str) -> bool:
    """Keep one message with what happened, in the order it was written; False (and a kind word)
    when the report cannot hold more."""
    if sum(len(p) for p in draft.body.account) + len(text) > MAX_ACCOUNT:
        await req.reply(
            rich(
                _(
                    "That is more than I can keep in one report. Press Done to continue;"
                    " you can add more after sending, or tell the handler directly."
                )
            )
        )
        return False
    await keep_account(req, draft, text)
    return True


async def keep_as_note(req: Request, draft: Draft, text: str) -> None:
    """Text typed where a button was expected: kept with the report, then the question again."""
    draft.body.notes.append(text)
    await save(req, draft)
    await req.reply(
        rich(
            _(
                "I've kept what you wrote with your report. For this question, please use one of"
                " the buttons."
            )
        )
    )
    if draft.step in ("danger", danger_now.STEP):
        # whoever types at the danger question may be in danger: the way to help comes first
        await req.reply(
            texts.emergency_for(req.uow.team), [button(_("I need help now"), "help.now")]
        )
    await prompt(req, draft)


async def on_attachment(req: Request, draft: Draft, reference: str, caption: str) -> None:
    """A photo, document or voice note: kept (as a reference) with what happened."""
    if draft.step != "account":
        if caption:
            draft.body.notes.append(caption)
            await save(req, draft)
        await req.reply(
            rich(
                _(
                    "I can keep files only with what happened. For this question,"
                    " please answer with a button or a few words."
                )
            )
        )
        await prompt(req, draft)
        return
    draft.body.attachments.append(reference)
    if caption:
        await keep_account(req, draft, caption)
    else:
        await save(req, draft)
    await req.reply(
        rich(_("Got it, the file is kept with your report. Add more, or press Done.")),
        [_b("account", "done", _("Done"))],
    )


async def _summary_choice(req: Request, draft: Draft, value: str) -> None:
    if value == "cancel":
        await req.uow.tx.delete_draft(req.owner)
        await req.reply(texts.CANCELLED, way_back())
        return
    if value == "edit":
        draft.step = "edit"
        await save(req, draft)
        await prompt(req, draft)
        return
    await submit(req, draft)


async def submit(req: Request, draft: Draft) -> None:
    """Send the drafted report: the draft goes, the case comes, in one transaction."""
    await req.uow.tx.delete_draft(req.owner)
    await file_report(req, draft.body)


async def file_report(req: Request, body: ReportBody) -> None:
    """Create the case. The confirmation goes out only after this transaction commits."""
    uow = req.uow
    case = await cases.open_case(uow, req.event.sender, body)
    if body.source:
        await confirmations.tell_member(req, case, body)
    else:
        await confirmations.tell_reporter(req, case, body)
    if case.severity == Severity.CRITICAL and body.source != "team":
        from handlers.participant.help_now import ask_location

        await ask_location(req, case)
    elif not body.source and body.contactable:  # check-ins are messages later on
        await checkins.offer(
            uow, case, Address(req.event.sender.platform, req.event.chat_id), req.audience
        )
