"""The platform side of the core's contracts: what an adapter implements (PlatformAdapter,
Messenger, Files), what it may call on the core (:class:`Core`), and how it says a delivery
failed. bot/main passes the running app as the Core; adapters never import it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from bot.domain.model import PlatformUser
from bot.domain.readiness import Finding
from bot.domain.team import Team
from bot.ports.events import Inbound, Outbound
from bot.ports.forms import Field
from bot.ports.health import HealthReport


@runtime_checkable
class Files(Protocol):
    """One platform's way to read a file a person sent (an :attr:`Inbound.attachment`)."""

    platform: str

    async def fetch(self, reference: str, limit: int) -> bytes:
        """The file's bytes; raises :class:`FileTooLarge` past ``limit`` bytes, ``LookupError``
        when the platform cannot give it."""
        ...


class FileTooLarge(Exception):
    """A file is larger than the caller is willing to read."""


class DeliveryError(Exception):
    """A platform did not take a message.

    ``reason`` is short and content-free: the platform's status and error code as the adapter
    names them (``"telegram 403 blocked"``, ``"slack invalid_auth"``), never the text of the
    platform library's exception, which can hold the request (the rendered report). The outbox
    logs it and stores it in ``outbox.last_error``.

    What the outbox does about it depends on its kind:

    * ``retry_after`` set: try again then (rate limit); otherwise back off and retry.
    * ``paced``: nothing went wrong, the conversation has had its share for now (the adapter keeps
      the platform's pace); try again after ``retry_after`` without counting an attempt, and send
      other conversations' messages meanwhile instead of waiting.
    * ``unreachable``: the person cannot be messaged at all (blocked the bot, never started it, chat
      not found), so escalation moves past them until they are heard from again.
    * ``credentials``: the bot's own token or installation was refused (Telegram 401/404 on the
      token, Slack ``invalid_auth``, ``token_revoked``...). Nobody is unreachable: the platform's
      messages are held, without counting attempts, until a send works again.
    * ``permanent`` (and not unreachable): the platform refuses this message for good (too long,
      markup it cannot parse): :attr:`refused`. It is re-sent once in a safe plain form.
    * ``moved_to``: the chat has a new id (Telegram: a group upgraded to a supergroup); what waits
      for it goes there instead (bot/services/chat_moves.py). Not a refusal of the message.
    """

    def __init__(
        self,
        reason: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        unreachable: bool = False,
        paced: bool = False,
        credentials: bool = False,
        moved_to: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent or unreachable
        self.unreachable = unreachable
        self.paced = paced
        self.credentials = credentials
        self.moved_to = moved_to

    @property
    def refused(self) -> bool:
        """The platform refuses this message, not its recipient: it will never take it as is."""
        return self.permanent and not self.unreachable and self.moved_to is None


class PlatformUnavailable(Exception):
    """A platform could not be reached, or refused the bot's credentials, as the bot started.

    ``str()`` is one line for the operator: which platform, which setting to check. It never
    holds a token.
    """


class Messenger(Protocol):
    """One platform's delivery of core messages."""

    platform: str

    async def send(self, message: Outbound) -> str:
        """Send or edit (``message.replaces_ref``); return the platform's message id."""
        ...


class Core(Protocol):
    """What an adapter may ask of the running core (bot/main's ``BotApp`` is one)."""

    @property
    def team(self) -> Team:
        """The team, as configured: members, platforms, the team channel."""
        ...

    async def handle(self, event: Inbound) -> bool:
        """Handle one event; return once what it changed is on disk (False: a duplicate).
        Raises :class:`bot.ports.store.StoreFault` when it cannot be stored."""
        ...

    async def accept(self, event: Inbound, within: float | None) -> bool:
        """Take one event; the adapter confirms it to its platform when this returns, at most
        about ``within`` seconds later (None: no platform waits). False only when it could not
        be stored and the sender has been told so."""
        ...

    async def flush(self) -> None:
        """Fire what is due and deliver what is queued (the console waits for this)."""
        ...

    async def language_of(self, person: PlatformUser) -> str:
        """The language to write to ``person`` in (a code of bot.domain.languages): their
        choice, else their platform's language (``person.language``) if the team offers it,
        else the team's. The form methods below write in the reader's language: call them
        inside ``bot.text.reader.reading(language)``."""
        ...

    def form_fields(self) -> list[Field]:
        """The report form's questions, in order (bot/ports/forms.py)."""
        ...

    def form_intro(self) -> str:
        """What the report form says before its questions: who reads it."""
        ...

    def form_problems(self, form: dict[str, Any]) -> dict[str, str]:
        """Field name -> a kind explanation, for every answer the intake would not accept."""
        ...

    async def health(self) -> HealthReport:
        """Whether the bot can do its job now; a webhook server answers ``GET /healthz`` with
        it (bot/ports/health.py)."""
        ...


@dataclass(frozen=True)
class Contact:
    """Someone a page may go to, on one platform: ``who`` is the team file's id (a member's or an
    ``[[external]]`` contact's), ``chat_id`` the platform's id for their private chat (or, for an
    external contact, a group or channel)."""

    who: str
    chat_id: str
    external: bool = False


@dataclass(frozen=True)
class Probed:
    """What a platform's readiness probe found, and the bot's name there as people find it
    (``@fsb_bot``; "" when the platform could not say)."""

    findings: list[Finding] = field(default_factory=list)
    bot_name: str = ""


@runtime_checkable
class ReadinessProbe(Protocol):
    """One platform's half of the readiness check (issue 17; bot/services/readiness.py).

    E-mail contacts are checked by their own probe, registered the same way under the platform
    name ``"email"``.
    """

    platform: str

    async def probe(self, channel: str | None, contacts: Sequence[Contact]) -> Probed:
        """Check the bot's credentials, that it may post in ``channel`` (the team channel's id
        there, None if it has none) and that each contact can be paged; never raises for what
        it finds (a refused token is a :data:`bot.domain.readiness.CREDENTIALS` finding). Sends
        nothing anyone reads: at most a passing "typing..." in a contact's private chat."""
        ...


class PlatformAdapter(Protocol):
    """One platform, as bot/main runs it: started before the core, run with it, then stopped."""

    @property
    def messenger(self) -> Messenger:
        """How the core's messages reach this platform."""
        ...

    @property
    def readiness(self) -> ReadinessProbe:
        """This platform's readiness probe (``fsbot doctor``, ``/ready``)."""
        ...

    async def start(self) -> None:
        """Connect; raises :class:`PlatformUnavailable` when the platform cannot be used."""
        ...

    async def run(self, core: Core) -> None:
        """Take updates and give them to ``core`` until cancelled."""
        ...

    async def stop(self) -> None:
        """Disconnect; what was not confirmed is delivered again by the platform."""
        ...
