"""Contract: e-mail has an outbox lane of its own, and an external contact's address that refused
the bot for good is unreachable like a member who blocked it (Outbox, Reachability)."""

from __future__ import annotations

from dataclasses import replace

from bot.ports.store import Store
from contract.making import NOW, message, minutes

VENUE = "security@venue.example"


async def test_email_rows_are_their_own_lane_pages_first_with_their_subject(store: Store) -> None:
    async with store.transaction() as tx:
        reply = await tx.enqueue(message("r"), purpose="reply", case_id=None, now=NOW)
        mail = replace(message("m", VENUE, "email"), subject="Team: case FS-7K3Q")
        notice = await tx.enqueue(mail, purpose="notice", case_id=None, now=NOW)
        external = await tx.enqueue(mail, purpose="external", case_id=None, now=NOW)
        later = await tx.enqueue(mail, purpose="external", case_id=None, now=NOW + minutes(2))
        await tx.enqueue(message("c", "C1"), purpose="channel", case_id=None, now=NOW)
    async with store.transaction() as tx:
        assert [r.id for r in await tx.due_outbox(NOW, 10, channel=False)] == [reply]
        due = await tx.due_outbox(NOW, 10, channel=False, mail=True)
        assert [r.id for r in due] == [external, notice]
        assert due[0].message is not None and due[0].message.subject == "Team: case FS-7K3Q"
        assert await tx.next_outbox_due(channel=False, mail=True) == NOW
        await tx.mark_sent(external, "<1@event.example>", NOW, purge=True, revision=0)
        await tx.mark_sent(notice, "<2@event.example>", NOW, purge=True, revision=0)
    async with store.transaction() as tx:
        assert await tx.due_outbox(NOW, 10, channel=False, mail=True) == []
        assert await tx.next_outbox_due(channel=False, mail=True) == NOW + minutes(2)
        assert [r.id for r in await tx.due_outbox(NOW + minutes(2), 10, False, mail=True)] == [
            later
        ]
        assert await tx.next_outbox_due(channel=False) == NOW  # the reply, in its own lane


async def test_an_external_address_refused_for_good_is_unreachable_until_it_works(
    store: Store,
) -> None:
    member = {"id": "alice", "name": "Alice", "roles": [], "position": None}
    async with store.transaction() as tx:
        await tx.sync_members([{**member, "identities": [("telegram", "111")]}])
        await tx.mark_unreachable("email", VENUE, NOW)
        await tx.mark_unreachable("email", VENUE, NOW + minutes(1))  # twice: still one
    async with store.transaction() as tx:
        assert await tx.unreachable() == {("email", VENUE)}
        await tx.mark_unreachable("telegram", "111", NOW)
    async with store.transaction() as tx:
        assert await tx.unreachable() == {("email", VENUE), ("telegram", "111")}
        await tx.mark_reachable("email", VENUE)
    async with store.transaction() as tx:
        assert await tx.unreachable() == {("telegram", "111")}
        await tx.mark_unreachable("email", VENUE, NOW)
        # A new start tries everyone again, as it does members.
        await tx.sync_members([{**member, "identities": [("telegram", "111")]}])
    async with store.transaction() as tx:
        assert await tx.unreachable() == set()
