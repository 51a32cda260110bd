"""The front door for every inbound event, whatever adapter it came from.

Each event is handled in one transaction together with its de-duplication record: a platform retry
or a double tap finds its delivery id already claimed and changes nothing, and a crash before commit
leaves no trace, so the platform's retry is handled as if new. The outbox is woken only after
commit, so nobody is told "received" about something not yet stored; it is handed the committed
pages too, so it need not read back what this transaction has just written.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence

from bot.domain.readiness import Asked
from bot.domain.rights import may_check_readiness
from bot.domain.team import Team
from bot.ports.events import Inbound
from bot.ports.platform import Files, FileTooLarge, ReadinessProbe
from bot.ports.store import OutboxRow, Store
from bot.runtime.clock import Clock
from bot.runtime.crypto import Cipher
from bot.runtime.failpoints import failpoint
from bot.services import chat_moves, languages, member_names, reachability, readiness
from bot.text.reader import _, reading
from bot.uow import UnitOfWork
from handlers.context import Request, Upload
from handlers.router import route
from handlers.team.people_commands import wants_file

log = logging.getLogger(__name__)

READY = "/ready"
MAX_FILE = 2 * 1024 * 1024  # bytes of a file a command may read
FILE_TIMEOUT = 30.0


class _Duplicate(Exception):
    """A delivery handled before: its transaction is rolled back."""


class Dispatcher:
    def __init__(
        self,
        store: Store,
        team: Team,
        cipher: Cipher,
        clock: Clock,
        on_commit: Callable[[Sequence[OutboxRow]], None] = lambda urgent: None,
        files: Mapping[str, Files] | None = None,
        on_handled: Callable[[Inbound, UnitOfWork], None] = lambda event, uow: None,
        probes: Mapping[str, ReadinessProbe] | None = None,
    ) -> None:
        """``on_handled(event, uow)`` is called once an event's unit of work has committed (a
        duplicate commits nothing): the composition root counts what it did (metrics)."""
        self.on_handled = on_handled
        self.files = dict(files or {})
        self.probes = dict(probes or {})
        self.store = store
        self.team = team
        self.cipher = cipher
        self.clock = clock
        self.on_commit = on_commit

    async def handle(self, event: Inbound) -> bool:
        """Handle one event; False when it was a duplicate delivery and nothing was done."""
        upload = await self._read_file(event)
        probed = await self._probe(event)
        try:
            async with self.store.transaction() as tx:
                now = self.clock.now()
                # Claimed without waiting: the answer comes back with the handler's first read.
                # A duplicate's handler runs for nothing, and is rolled back unseen.
                claim = None
                if event.delivery_id is not None:
                    claim = tx.claim_delivery(event.sender.platform, event.delivery_id, now)
                uow = UnitOfWork(tx, now, self.team, self.cipher)
                member = self.team.member_for(event.sender.platform, event.sender.user_id)
                try:
                    await reachability.noticed(uow, event)
                    if member is not None:  # the names a platform shows for them, if new
                        await member_names.record(uow, member, event.sender)
                    # Answers are written in the sender's language (bot/services/languages.py);
                    # in the team channel, where everyone reads them, in the team's.
                    language = (
                        await languages.of_sender(uow, event.sender, member)
                        if event.private
                        else self.team.config.team.language
                    )
                    with reading(language):
                        await route(Request(uow, event, member, upload, probed))
                finally:  # a duplicate's own error, if any, is as moot as its work
                    if claim is not None and not await claim:
                        raise _Duplicate
                sent = uow.sent
        except _Duplicate:
            log.info("duplicate delivery ignored")
            return False
        chat_moves.follow(self.team, uow)
        self.on_handled(event, uow)
        for milestone in uow.milestones:
            failpoint(f"after_commit:{milestone}")
        if sent:
            self.on_commit(list(uow.urgent.values()))
        return True

    async def _probe(self, event: Inbound) -> Asked | None:
        """A lead's ``/ready``: the platforms are asked before the transaction, so that their
        answers never hold up anyone else's event."""
        if event.command is None or event.command[0] != READY:
            return None
        member = self.team.member_for(event.sender.platform, event.sender.user_id)
        if member is None or not may_check_readiness(member):
            return None
        if not event.private and not self.team.is_team_channel(
            event.sender.platform, event.chat_id
        ):
            return None  # a group the bot was not set up for: it answers nothing there
        return await readiness.probe_all(self.team, self.probes)

    async def _read_file(self, event: Inbound) -> Upload | None:
        """A file a command needs (``/screen`` with a CSV), read before the transaction so that a
        slow download never holds up anyone else's event."""
        if not wants_file(event, self.team) or event.attachment is None:
            return None
        files = self.files.get(event.sender.platform)
        if files is None:
            return None
        try:
            async with asyncio.timeout(FILE_TIMEOUT):
                return Upload(await files.fetch(event.attachment, MAX_FILE))
        except FileTooLarge:
            # read before the sender's language is known: the team's language
            with reading(self.team.config.team.language):
                problem = _("That file is too large; I read up to {count} KB.").format(
                    count=MAX_FILE // 1024
                )
            return Upload(problem=problem)
        except (LookupError, OSError, TimeoutError) as error:
            log.info("could not read a file: %s", type(error).__name__)
            return Upload(problem="I could not read that file. Please try again, or paste it.")
