"""Which outbox rows a worker is sending, so that a page sent from memory and the worker's own
loop never send one row twice (see :class:`bot.runtime.delivery.OutboxWorker`).

A page goes out from memory the moment its transaction commits, even while the loop is busy
sending ordinary messages (each waiting its turn in the platform's rate limiter): otherwise it
would wait for the loop's batch. The loop may have read that same row as pending before the page
was marked sent, so both sides claim a row before sending it and skip a row claimed by the other.
A page sent from memory stays claimed until the loop next reads the outbox: by then the store
shows how its delivery ended (sent, or pending again to be retried by the loop).
"""

from __future__ import annotations


class OutboxClaims:
    """Row ids being sent, and those sent from memory since the loop last read the outbox."""

    def __init__(self) -> None:
        self._rows: dict[int, bool] = {}  # row id -> whether its delivery from memory ended

    def claim(self, row_id: int) -> bool:
        """Take the row; False when someone else has it (then it must not be sent)."""
        if row_id in self._rows:
            return False
        self._rows[row_id] = False
        return True

    def taken(self, row_id: int) -> bool:
        """Whether the row is claimed (being sent, or sent from memory since the last read)."""
        return row_id in self._rows

    def release(self, row_id: int) -> None:
        """The loop is done with its row (the loop reads again only after this)."""
        self._rows.pop(row_id, None)

    def ended(self, row_id: int) -> None:
        """A send from memory ended; the row stays claimed until :meth:`before_read`."""
        self._rows[row_id] = True

    def before_read(self) -> bool:
        """The loop is about to read the outbox: forget the sends from memory that ended (the
        read shows their outcome). Return whether any is still under way."""
        for row_id, ended in list(self._rows.items()):
            if ended:
                del self._rows[row_id]
        return bool(self._rows)
