"""Contract: a platform delivery is handled once (bot.ports.repositories.Deliveries)."""

from __future__ import annotations

import pytest

from bot.ports.store import Store
from contract.making import NOW


async def test_deliveries_are_claimed_once(store: Store) -> None:
    async with store.transaction() as tx:
        assert await tx.claim_delivery("telegram", "1", NOW) is True
        assert await tx.claim_delivery("telegram", "1", NOW) is False
        assert await tx.claim_delivery("slack", "1", NOW) is True


async def test_a_claim_rolled_back_can_be_made_again(store: Store) -> None:
    # A handler that crashed did not handle the update: the platform's retry must get through.
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            assert await tx.claim_delivery("telegram", "7", NOW) is True
            raise RuntimeError("handler crashed")
    async with store.transaction() as tx:
        assert await tx.claim_delivery("telegram", "7", NOW) is True
    async with store.transaction() as tx:
        assert await tx.claim_delivery("telegram", "7", NOW) is False
