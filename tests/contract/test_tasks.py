"""Contract: tasks on a case (Tasks)."""

from __future__ import annotations

from bot.domain.model import Task
from bot.ports.store import Store
from contract.making import NOW, minutes, open_case


async def test_tasks_read_back_by_due_time_and_are_finished_once(store: Store) -> None:
    async with store.transaction() as tx:
        case = await open_case(tx)
        other = await open_case(tx)
        late = await tx.add_task(case.id, "bob", "alice", NOW + minutes(60), "call back", NOW)
        soon = await tx.add_task(case.id, "alice", "alice", NOW + minutes(5), "check in", NOW)
        await tx.add_task(other.id, "bob", "bob", NOW, "elsewhere", NOW)
    async with store.transaction() as tx:
        assert await tx.get_task(late) == Task(
            late, case.id, "bob", "alice", NOW + minutes(60), "call back"
        )
        assert [t.id for t in await tx.tasks_for_case(case.id)] == [soon, late]
        assert await tx.get_task(late + 100) is None
        assert await tx.finish_task(soon, "carol", NOW + minutes(1)) is True
        assert await tx.finish_task(soon, "bob", NOW + minutes(2)) is False
    async with store.transaction() as tx:
        done = await tx.get_task(soon)
        assert done is not None
        assert (done.done_at, done.done_by) == (NOW + minutes(1), "carol")
