"""A message to an external contact that did not reach them, as the escalation chain sees it.

The outbox adds a ``page_failed`` timer for a message to an ``[[external]]`` contact that bounced
(an e-mail address the server refused with a 5xx, a chat that blocked the bot: ``unreachable``),
was refused for its form, or is held (the bot's own access refused). When that message was a
step of the chain (its ``external_notified`` entry names the step's fence) and nobody else on the
step can see theirs, the chain moves on at once, as it does for a member's page
(bot/services/escalation.py, ``on_page_failed``). The skip is written to the audit trail, and the
next page says who could not be reached (:func:`failed_note` decides for a member's page too).
A handoff or a risk notice that bounces is recorded in the outbox only: the case has been taken,
and its chain is over.
"""

from __future__ import annotations

from typing import Any

from bot.config.teamfile import External
from bot.domain.model import Case
from bot.services import page_failures
from bot.services.outages import platform_name
from bot.services.page_failures import anyone_can_see, skip_detail, step_still_covered
from bot.text.page import Note
from bot.text.reader import N_
from bot.uow import UnitOfWork


def contact_at(uow: UnitOfWork, platform: str, chat_id: str) -> External | None:
    """The external contact whose address this is, or None."""
    for contact in uow.team.config.external:
        for address in uow.team.addresses_for(contact):
            if (address.platform, address.chat_id) == (platform, chat_id):
                return contact
    return None


# why (as the outbox gives it) -> the audit trail's reason, for an external contact's address
EXTERNAL_REASONS = {
    "unreachable": "their address refused the message for good",
    "refused": "the platform refused the message",
    "held": "the platform refused the bot's own access",
}


def _why(payload: dict[str, Any]) -> str:
    why = str(payload.get("why", "unreachable"))
    return why if why in EXTERNAL_REASONS else "unreachable"


def skip_note(contact: External, payload: dict[str, Any]) -> str:
    """What the next page says about it."""
    if _why(payload) == "held":
        return Note(
            N_("{name} could not be reached: {platform} is not taking the bot's messages."),
            name=contact.name,
            platform=platform_name(str(payload["platform"])),
        )
    return Note(N_("{name} could not be reached."), name=contact.name)


async def failed_step(
    uow: UnitOfWork, case: Case, contact: External, payload: dict[str, Any], fence: int
) -> str | None:
    """Record that the message to ``contact`` failed; return the note for the next page when
    the chain should move on now, None when it stays on its step (the message was not this
    step's, or someone else on the step can still see theirs)."""
    await uow.audit(
        case,
        "system",
        "page_skipped",
        external=contact.id,
        reason=EXTERNAL_REASONS[_why(payload)],
        platform=str(payload["platform"]),
        fence=fence,
    )
    entries = await uow.tx.audit_for(case.id)
    if not any(
        e.kind == "external_notified"
        and e.detail.get("fence") == fence
        and e.detail.get("external") == contact.id
        for e in entries
    ):
        return None
    if await anyone_can_see(uow, entries, fence):
        return None
    return skip_note(contact, payload)


async def failed_note(
    uow: UnitOfWork, case: Case, payload: dict[str, Any], current: int
) -> str | None:
    """Record whose page (a member's, or an external contact's message) failed on step
    ``current``; return the next page's note when the chain moves on, else None."""
    platform, chat_id = str(payload["platform"]), str(payload["chat_id"])
    member = uow.team.member_for(platform, chat_id)
    if member is None:
        contact = contact_at(uow, platform, chat_id)
        if contact is None:
            return None
        return await failed_step(uow, case, contact, payload, current)
    await uow.audit(case, "system", "page_skipped", **skip_detail(member, payload, current))
    if await step_still_covered(uow, case.id, current, member.id):
        return None
    return page_failures.skip_note(member, payload)
