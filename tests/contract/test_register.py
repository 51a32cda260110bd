"""Contract: the people-of-concern register and what cases name (Register)."""

from __future__ import annotations

from bot.domain.model import Person
from bot.ports.store import Store
from contract.making import NOW, minutes, open_case


def person(name: str) -> Person:
    return Person(0, name, [f"@{name}"], NOW, "alice")


async def test_a_person_reads_back_as_saved_and_is_found_by_any_key(store: Store) -> None:
    async with store.transaction() as tx:
        mallory = await tx.add_person(person("mallory"), {"@mallory", "tg:99"})
        trent = await tx.add_person(person("trent"), {"@trent"})
    async with store.transaction() as tx:
        found = await tx.get_person(mallory)
        assert found is not None
        assert (found.name, found.identifiers, found.created_at) == ("mallory", ["@mallory"], NOW)
        found.flag, found.flag_until, found.note = "watch", NOW + minutes(60), "seen at the bar"
        await tx.save_person(found, NOW + minutes(1))
    async with store.transaction() as tx:
        assert await tx.get_person(mallory) == found
        assert await tx.get_person(trent + 100) is None
        assert [p.id for p in await tx.list_people()] == [mallory, trent]
        assert await tx.people_matching({"tg:99"}) == [mallory]
        assert await tx.people_matching({"@trent", "@mallory", "@nobody"}) == [mallory, trent]
        assert await tx.people_matching(set()) == []


async def test_a_person_is_linked_to_a_case_once(store: Store) -> None:
    async with store.transaction() as tx:
        case = await open_case(tx)
        mallory = await tx.add_person(person("mallory"), {"@mallory"})
        trent = await tx.add_person(person("trent"), {"@trent"})
        assert await tx.link_person(trent, case.id, NOW) is True
        assert await tx.link_person(mallory, case.id, NOW) is True
        assert await tx.link_person(mallory, case.id, NOW) is False
    async with store.transaction() as tx:
        assert await tx.people_for_case(case.id) == [mallory, trent]
        linked = await tx.get_person(mallory)
        assert linked is not None and linked.case_ids == [case.id]


async def test_cases_are_found_by_what_their_text_names(store: Store) -> None:
    # A case's text is kept as the identifiers found in it and its grams: a new identifier is
    # looked up among the grams, and the new text's grams among the identifiers.
    async with store.transaction() as tx:
        first = await open_case(tx)
        second = await open_case(tx)
        await tx.add_case_keys(first.id, {"@mallory"}, {"mal", "all"})
        await tx.add_case_keys(second.id, {"@trent"}, {"tre", "all"})
    async with store.transaction() as tx:
        assert await tx.cases_matching(set(), {"@mallory"}) == [first.id]
        assert await tx.cases_matching({"all"}, set()) == [first.id, second.id]
        assert await tx.cases_matching({"tre"}, {"@mallory"}) == [first.id, second.id]
        assert await tx.cases_matching({"@mallory"}, {"mal"}) == []
