"""Contract: a conversation's draft, per person (Drafts)."""

from __future__ import annotations

from bot.ports.store import Store
from contract.making import NOW, minutes


async def test_a_draft_reads_back_as_last_saved_until_deleted(store: Store) -> None:
    async with store.transaction() as tx:
        assert await tx.load_draft("owner") is None
        await tx.save_draft("owner", {"step": "danger", "account": ["a", "b"]}, NOW)
        await tx.save_draft("other", {"step": "where"}, NOW)
    async with store.transaction() as tx:
        assert await tx.load_draft("owner") == {"step": "danger", "account": ["a", "b"]}
        await tx.save_draft("owner", {"step": "who"}, NOW + minutes(1))
    async with store.transaction() as tx:
        assert await tx.load_draft("owner") == {"step": "who"}
        await tx.delete_draft("owner")
    async with store.transaction() as tx:
        assert await tx.load_draft("owner") is None
        assert await tx.load_draft("other") == {"step": "where"}
