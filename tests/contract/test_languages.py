"""Contract: the language each person reads the bot in (Languages)."""

from __future__ import annotations

from bot.ports.store import Store
from contract.making import NOW, minutes


async def test_nothing_is_remembered_for_a_stranger(store: Store) -> None:
    async with store.transaction() as tx:
        assert await tx.language_of("someone") is None


async def test_the_platforms_guess_is_kept_only_when_nothing_is_stored(store: Store) -> None:
    async with store.transaction() as tx:
        assert await tx.set_language("p1", "de", NOW, chosen=False) == "de"
    async with store.transaction() as tx:
        assert await tx.set_language("p1", "fr", NOW + minutes(1), chosen=False) == "de"
        assert await tx.language_of("p1") == "de"


async def test_a_chosen_language_replaces_a_guess_and_outlives_later_guesses(
    store: Store,
) -> None:
    async with store.transaction() as tx:
        await tx.set_language("p1", "de", NOW, chosen=False)
        assert await tx.set_language("p1", "ar", NOW + minutes(1), chosen=True) == "ar"
        assert await tx.language_of("p1") == "ar"  # read back in the same transaction
    async with store.transaction() as tx:
        assert await tx.set_language("p1", "es", NOW + minutes(2), chosen=False) == "ar"
        assert await tx.set_language("p1", "en", NOW + minutes(3), chosen=True) == "en"
    async with store.transaction() as tx:
        assert await tx.language_of("p1") == "en"
        assert await tx.language_of("p2") is None  # one person's choice is theirs alone


async def test_a_rolled_back_choice_is_not_remembered(store: Store) -> None:
    try:
        async with store.transaction() as tx:
            await tx.set_language("p1", "fr", NOW, chosen=True)
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    async with store.transaction() as tx:
        assert await tx.language_of("p1") is None
