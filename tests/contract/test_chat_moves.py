"""Contract: chats a platform moved, and the messages that follow them (ChatMoves)."""

from __future__ import annotations

from bot.ports.store import ChatMove, Store
from contract.making import NOW, message, minutes


async def test_a_move_is_recorded_once_and_read_back_oldest_first(store: Store) -> None:
    async with store.transaction() as tx:
        assert await tx.record_chat_move("telegram", "-1", "-1001", NOW) is True
        assert await tx.record_chat_move("telegram", "-1", "-1001", NOW) is False
        assert await tx.record_chat_move("telegram", "-2", "-1002", NOW + minutes(1)) is True
    async with store.transaction() as tx:
        assert await tx.chat_moves() == [
            ChatMove("telegram", "-1", "-1001"),
            ChatMove("telegram", "-2", "-1002"),
        ]


async def test_pending_messages_to_the_old_chat_go_to_the_new_one_as_new_messages(
    store: Store,
) -> None:
    async with store.transaction() as tx:
        post = await tx.enqueue(message("p", "-1"), purpose="channel", case_id=None, now=NOW)
        edit = await tx.enqueue(
            message("e", "-1"), purpose="channel", case_id=None, now=NOW, replaces=post
        )
        elsewhere = await tx.enqueue(message("x", "-2"), purpose="channel", case_id=None, now=NOW)
        slack = await tx.enqueue(message("s", "-1", "slack"), purpose="page", case_id=None, now=NOW)
        await tx.mark_sent(post, "m1", NOW, purge=False, revision=0)
    async with store.transaction() as tx:
        assert await tx.readdress_pending("telegram", "-1", "-1001") == 1
    async with store.transaction() as tx:
        moved = await tx.get_outbox(edit)
        assert moved is not None and moved.message is not None
        assert (moved.message.address.chat_id, moved.replaces) == ("-1001", None)
        sent = await tx.get_outbox(post)
        assert sent is not None and sent.message == message("p", "-1")  # sent: left as it was
        for untouched, chat in ((elsewhere, "-2"), (slack, "-1")):
            row = await tx.get_outbox(untouched)
            assert row is not None and row.message is not None
            assert row.message.address.chat_id == chat
