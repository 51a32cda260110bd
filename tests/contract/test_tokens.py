"""Contract: the tokens buttons carry (Tokens)."""

from __future__ import annotations

from bot.domain.codes import is_urgent_token
from bot.ports.store import Store
from contract.making import NOW


async def test_tokens_are_distinct_in_order_and_read_back_with_their_action(store: Store) -> None:
    actions = [("ack", {"case": 1}), ("claim", {"case": 1, "step": 2}), ("ack", {"case": 2})]
    async with store.transaction() as tx:
        tokens = await tx.create_tokens("member:alice", actions, NOW)
        assert await tx.create_tokens("member:alice", [], NOW) == []
    assert len(set(tokens)) == 3
    async with store.transaction() as tx:
        for token, (action, args) in zip(tokens, actions, strict=True):
            record = await tx.get_token(token)
            assert record is not None
            assert (record.token, record.audience, record.action, record.args) == (
                token,
                "member:alice",
                action,
                args,
            )
            assert record.created_at == NOW
        assert await tx.get_token("not-a-token") is None


async def test_a_call_for_help_s_buttons_carry_the_urgent_mark_and_no_other_does(
    store: Store,
) -> None:
    # The Telegram adapter handles such a press first in its batch without reading the store
    # (adapters/telegram/batches.py), so every store must draw these tokens alike.
    actions = [("help.now", {}), ("ack", {"case": 1}), ("checkin.help", {"case": 1})]
    async with store.transaction() as tx:
        tokens = await tx.create_tokens("reporter:x", actions, NOW)
    assert [is_urgent_token(t) for t in tokens] == [True, False, True]
    async with store.transaction() as tx:
        record = await tx.get_token(tokens[0])
    assert record is not None and record.action == "help.now"
