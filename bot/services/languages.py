"""Which language each person reads the bot in (issue 21).

- A participant: what they chose (/language, the Language button at /start); until then, the
  language their app is set to at first contact (Telegram's ``language_code``, Slack's locale),
  if the team offers it, else the team's language. That first guess is remembered too, so a
  person who changes their phone's language mid-report is not switched halfway through.
- A team member: what they chose; until then the team's language (``[team] language``), which
  is also the language of the team channel and of texts to outside contacts.
"""

from __future__ import annotations

from bot.config.teamfile import Member
from bot.domain.languages import pick
from bot.domain.model import PlatformUser
from bot.uow import UnitOfWork


def team_language(uow: UnitOfWork) -> str:
    """The team's language: the channel's, outside contacts', and members' until they choose."""
    return uow.team.config.team.language


def offered(uow: UnitOfWork) -> list[str]:
    """The languages a person may choose here, the team's own first."""
    return uow.team.config.team.offered


async def of_sender(uow: UnitOfWork, sender: PlatformUser, member: Member | None) -> str:
    """The language to answer ``sender`` in; a participant's first contact remembers the
    platform's guess (see the module's docstring)."""
    key = uow.person_key(sender)
    stored = await uow.tx.language_of(key)
    if stored is not None and stored in offered(uow):
        return stored
    if member is not None:
        return team_language(uow)
    guess = pick(sender.language, offered(uow), team_language(uow))
    return await uow.tx.set_language(key, guess, uow.now, chosen=False)


async def choose(uow: UnitOfWork, sender: PlatformUser, language: str) -> bool:
    """Remember that ``sender`` chose ``language``; False (nothing changed) when it is not
    offered here."""
    if language not in offered(uow):
        return False
    await uow.tx.set_language(uow.person_key(sender), language, uow.now, chosen=True)
    return True
