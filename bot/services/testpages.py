"""Test pages (issue 17): a page with no case, sent the way a real page is, to learn that it
reaches a member and how fast.

``/testpage`` pages the sender; a lead may page another member by name (bot.rights). The page
goes into the outbox with the purpose and urgency of a real page and through the same platform
path, with an "Acknowledge" button. When the platform confirms it, the outbox worker adds a
:data:`TESTPAGE_DELIVERED` timer due at once (bot/runtime/delivery.py), and :func:`on_delivered`
tells whoever asked how long delivery took: from the moment the page was written to the outbox
(the unit of work's time; it commits with it) to the platform's confirmation. A test page is
not a case: nothing is counted, audited or escalated.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config.teamfile import Member
from bot.domain import rights
from bot.domain.identifiers import names_in
from bot.ports.records import TestPageRecord
from bot.ports.store import OutboxRow, TimerRow, Tx
from bot.services.member_names import everyone
from bot.text import testpage_words as words
from bot.text.drill_words import said
from bot.text.reader import _
from bot.text.richtext import Rich
from bot.uow import UnitOfWork, button

TESTPAGE_DELIVERED = "testpage_delivered"
TESTPAGE_FAILED = "testpage_failed"
ACK_ACTION = "testpage.ack"


async def find_members(uow: UnitOfWork, name: str) -> list[Member]:
    """The members ``name`` names: the one whose id it is, else everyone it names by one of
    the names they go by, compared the one way the bot compares names
    (bot/domain/identifiers.py)."""
    exact = uow.team.member(name.strip().lower())
    if exact is not None:
        return [exact]
    names = await everyone(uow)
    return [m for m in uow.team.members if names_in(name, names[m.id])]


async def send(uow: UnitOfWork, asker: Member, name: str) -> Rich:
    """Page ``asker`` (``name`` empty) or the member ``name`` names; the answer for the asker.

    Refused, with words saying why and nothing sent: an asker who may not (bot.rights), a name
    that names nobody or several people, a member with no chat the bot can reach."""
    paged = asker
    if name.strip():
        found = await find_members(uow, name)
        if not found:
            return words.no_member(name)
        if len(found) > 1:
            return words.several_members(name, [m.name for m in found])
        paged = found[0]
    own = paged.id == asker.id
    if not rights.may_test_page(asker, paged):
        return said(words.TEST_PAGES_FOR_HANDLERS if own else words.TEST_PAGE_LEADS_ONLY)
    if not uow.team.addresses_for(paged):
        return words.no_address(paged.name)
    if not await uow.reachable(paged):
        return words.unreachable(paged.name)
    record = await uow.tx.add_test_page(asker.id, paged.id, uow.now)
    await uow.send_member(
        paged,
        lambda: words.test_page(asker.name, own),
        lambda: [button(_("Acknowledge"), ACK_ACTION, test_page=record.id)],
        purpose="page",
    )
    return words.test_page_sent(paged.name, own)


async def page_delivered(tx: Tx, row: OutboxRow, sent_at: datetime) -> bool:
    """The outbox worker's word that the platform confirmed ``row`` at ``sent_at``: a page with
    no case is a test page, and whoever asked is told how long it took (a timer due now, so
    the words come from a unit of work of their own); True if it was one."""
    if row.purpose != "page" or row.case_id is not None or row.replaces is not None:
        return False
    payload = {"outbox": row.id, "sent_at": sent_at.timestamp()}
    await tx.add_timer(sent_at, TESTPAGE_DELIVERED, None, payload, 0, key=f"testpage:{row.id}")
    return True


async def test_page_failed(tx: Tx, row: OutboxRow, now: datetime, why: str) -> None:
    """The outbox worker's word that the platform will never take ``row``, the person being
    unreachable (blocked the bot, never started it): for a test page, whoever asked is told."""
    if row.purpose == "page" and row.case_id is None and why == "unreachable":
        payload = {"outbox": row.id}
        await tx.add_timer(now, TESTPAGE_FAILED, None, payload, 0, key=f"testpage-failed:{row.id}")


async def _record_of(uow: UnitOfWork, outbox_id: int) -> TestPageRecord | None:
    """The test page an outbox row carried (its Acknowledge button names it), if any."""
    row = await uow.tx.get_outbox(outbox_id)
    if row is None or row.message is None:
        return None
    for choice in row.message.choices:
        token = await uow.tx.get_token(choice.token) if choice.token else None
        if token is not None and token.action == ACK_ACTION:
            return await uow.tx.test_page(int(token.args["test_page"]))
    return None


async def on_failed(uow: UnitOfWork, timer: TimerRow) -> None:
    """A test page could not reach its member: whoever asked is told what to do about it."""
    record = await _record_of(uow, int(timer.payload["outbox"]))
    if record is None:
        return
    asker, paged = uow.team.member(record.asked_by), uow.team.member(record.paged)
    if asker is not None and paged is not None:
        await uow.send_member(
            asker, lambda: words.test_page_failed(paged.name, asker.id == paged.id)
        )


async def on_delivered(uow: UnitOfWork, timer: TimerRow) -> None:
    """A platform confirmed a page with no case: if it is a test page, tell whoever asked how
    long it took (once, though the member may have several platforms)."""
    record = await _record_of(uow, int(timer.payload["outbox"]))
    sent_at = datetime.fromtimestamp(float(timer.payload["sent_at"]), UTC)
    if record is None or not await uow.tx.test_page_delivered(record.id, sent_at):
        return
    asker, paged = uow.team.member(record.asked_by), uow.team.member(record.paged)
    if asker is None or paged is None:
        return
    took = (sent_at - record.created_at).total_seconds()
    own = asker.id == paged.id
    await uow.send_member(asker, lambda: words.test_page_delivered(paged.name, own, took))


async def acknowledge(uow: UnitOfWork, member: Member, test_page_id: int) -> Rich:
    """``member`` pressed Acknowledge on a test page: the answer for them; whoever asked for
    it, if someone else, hears it too (the first time)."""
    record = await uow.tx.test_page(test_page_id)
    if record is None or record.paged != member.id:
        return said(words.STALE_TEST_PAGE)
    first = await uow.tx.test_page_acknowledged(record.id, uow.now)
    span = (record.acknowledged_at or uow.now) - record.created_at
    asker = uow.team.member(record.asked_by)
    if first and asker is not None and asker.id != member.id:
        await uow.send_member(asker, lambda: words.test_page_acknowledged(member.name, span))
    return words.test_page_ack_reply(span)
