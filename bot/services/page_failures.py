"""A page that did not reach its person: why, what the audit trail says, who can still see one.

The outbox adds a ``page_failed`` timer (due at once) when a page bounces because the person
blocked the bot (``why="unreachable"``), when the platform refuses the page for its form
(``"refused"``: it is re-sent in plain form, see bot.refusals) and when the platform refuses the
bot's own credentials (``"held"``, see bot.outages). The chain (bot.escalation.on_page_failed)
then moves on at once unless someone on the step can still see a page. An unreachable person is
known from the store; a refused or held page is known from its ``page_skipped`` entry, which
names the platform and the step (fence) it belongs to.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.config.teamfile import External, Member
from bot.domain.model import AuditEntry
from bot.ports.events import Outbound
from bot.ports.store import OutboxRow, Tx
from bot.services.outages import platform_name
from bot.services.testpages import test_page_failed
from bot.text.page import Note
from bot.text.reader import N_
from bot.uow import URGENT_PURPOSES, UnitOfWork

REASONS = {
    "unreachable": "blocked the bot",
    "refused": "the platform refused the page",
    "held": "the platform refused the bot's own access",
}


async def page_failed(
    tx: Tx, row: OutboxRow, message: Outbound, now: datetime, why: str, key: str | None = None
) -> None:
    """The outbox worker's word that ``row`` failed for ``why`` (a key of :data:`REASONS`): for
    page or a message to an outside contact, the chain decides in its own transaction whether to
    move on at once (the ``page_failed`` timer, bot/services/external_failures.py); for a test
    page, whoever asked hears (bot/services/testpages.py)."""
    if row.purpose not in URGENT_PURPOSES or row.case_id is None:
        await test_page_failed(tx, row, now, why)
        return
    address = message.address
    payload = {"platform": address.platform, "chat_id": address.chat_id, "why": why}
    await tx.add_timer(now, "page_failed", row.case_id, payload, -1, key)


def _why(payload: dict[str, Any]) -> str:
    why = str(payload.get("why", "unreachable"))  # timers from before "why" was recorded
    return why if why in REASONS else "unreachable"


def skip_detail(member: Member, payload: dict[str, Any], fence: int) -> dict[str, Any]:
    """The audit entry's detail: who and why; for a page that failed on one platform only (not
    the person), that platform and the step."""
    why = _why(payload)
    detail: dict[str, Any] = {"member": member.id, "reason": REASONS[why]}
    if why != "unreachable":
        detail.update(platform=str(payload["platform"]), fence=fence)
    return detail


def skip_note(member: Member, payload: dict[str, Any]) -> str:
    """What the next page says about it."""
    why = _why(payload)
    if why == "refused":
        return Note(N_("{name} could not be shown the page."), name=member.name)
    if why == "held":
        return Note(
            N_("{name} could not be reached: {platform} is not taking the bot's messages."),
            name=member.name,
            platform=platform_name(str(payload["platform"])),
        )
    return Note(N_("{name} could not be reached."), name=member.name)


async def step_still_covered(uow: UnitOfWork, case_id: int, fence: int, member_id: str) -> bool:
    """Whether the chain should stay on this step (``fence``) although ``member_id``'s page
    failed: they were not paged on it (the page was an earlier step's, or the leads' "reached
    nobody" notice, which must not restart the chain), or someone paged on it has an address
    where a page may be seen: not unreachable, and not where their page was refused or is held.
    """
    entries = await uow.tx.audit_for(case_id)
    if not any(
        e.kind == "paged" and e.detail.get("fence") == fence and e.detail["member"] == member_id
        for e in entries
    ):
        return True
    return await anyone_can_see(uow, entries, fence)


async def anyone_can_see(uow: UnitOfWork, entries: list[AuditEntry], fence: int) -> bool:
    """Whether someone paged on step ``fence`` (a member, or an external contact told of it)
    has an address where the message may be seen: not unreachable, and not where it was refused
    or is held (their ``page_skipped`` entries name the platform)."""
    unreachable = await uow.tx.unreachable()
    failed = {
        (
            str(e.detail.get("member") or "external:" + str(e.detail.get("external"))),
            str(e.detail["platform"]),
        )
        for e in entries
        if e.kind == "page_skipped" and e.detail.get("fence") == fence and "platform" in e.detail
    }
    for who, contact in _told_on_step(uow, entries, fence):
        for address in uow.team.addresses_for(contact):
            if (address.platform, address.chat_id) not in unreachable and (
                who,
                address.platform,
            ) not in failed:
                return True
    return False


def _told_on_step(
    uow: UnitOfWork, entries: list[AuditEntry], fence: int
) -> list[tuple[str, Member | External]]:
    """Who was paged or told on step ``fence``: (``alice`` or ``external:venue``, them)."""
    told: list[tuple[str, Member | External]] = []
    for entry in entries:
        if entry.detail.get("fence") != fence:
            continue
        if entry.kind == "paged":
            member = uow.team.member(str(entry.detail["member"]))
            if member is not None:
                told.append((member.id, member))
        elif entry.kind == "external_notified":
            contact = uow.team.config.external_contact(str(entry.detail["external"]))
            if contact is not None:
                told.append((f"external:{contact.id}", contact))
    return told
