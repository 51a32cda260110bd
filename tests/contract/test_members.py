"""Contract: team members and the names platforms show for them (Members, Reachability)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.ports.store import Store
from contract.making import NOW, minutes


def member(member_id: str, *identities: tuple[str, str]) -> dict[str, Any]:
    return {
        "id": member_id,
        "name": member_id.title(),
        "roles": [],
        "position": None,
        "identities": list(identities),
    }


async def test_names_read_back_per_member_oldest_first_and_each_key_once(store: Store) -> None:
    async with store.transaction() as tx:
        assert await tx.member_names() == {}
        await tx.add_member_names("alice", "telegram", [("@al", "@al"), ("n", "Alice A")], NOW)
        await tx.add_member_names("bob", "slack", [("d", "bobby")], NOW + minutes(1))
    async with store.transaction() as tx:
        await tx.add_member_names("alice", "slack", [("d", "ally")], NOW + minutes(2))
        await tx.add_member_names("alice", "telegram", [("n", "Alice B")], NOW + minutes(3))
    async with store.transaction() as tx:
        assert await tx.member_names() == {
            "alice": ["@al", "Alice A", "ally"],
            "bob": ["bobby"],
        }


async def test_names_rolled_back_are_not_remembered(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.add_member_names("alice", "telegram", [("@al", "@al")], NOW)
            assert await tx.member_names() == {"alice": ["@al"]}
            raise RuntimeError("handler crashed")
    async with store.transaction() as tx:
        assert await tx.member_names() == {}


async def test_a_rolled_back_refusal_does_not_make_a_contact_unreachable(store: Store) -> None:
    member = {"id": "alice", "name": "Alice", "roles": [], "position": None}
    async with store.transaction() as tx:
        await tx.sync_members([{**member, "identities": [("telegram", "111")]}])
        assert await tx.unreachable() == set()
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.mark_unreachable("telegram", "111", NOW)
            assert await tx.unreachable() == {("telegram", "111")}
            raise RuntimeError("handler crashed")
    async with store.transaction() as tx:
        assert await tx.unreachable() == set()
        await tx.mark_unreachable("telegram", "111", NOW)
    async with store.transaction() as tx:
        assert await tx.unreachable() == {("telegram", "111")}


async def test_a_contact_who_is_back_is_reachable_and_only_they_were_marked(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.sync_members(
            [member("alice", ("telegram", "111"), ("slack", "U1")), member("bob", ("slack", "U2"))]
        )
        await tx.mark_unreachable("slack", "U1", NOW)
        await tx.mark_unreachable("slack", "U2", NOW)
    async with store.transaction() as tx:
        assert await tx.unreachable() == {("slack", "U1"), ("slack", "U2")}
        await tx.mark_reachable("slack", "U2")
    async with store.transaction() as tx:
        assert await tx.unreachable() == {("slack", "U1")}
