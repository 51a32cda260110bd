"""A platform that refused the bot's own credentials, and telling the leads about it.

When Telegram answers 401 to the bot's token, or Slack says ``invalid_auth`` or
``token_revoked``, the fault is the bot's, not any person's: nobody is marked unreachable. The
outbox holds that platform's messages (no attempt counted, none given up) and probes it again with
growing waits; the first send that works ends the outage and everything held goes out. The outage
is logged once, and each lead hears of it once, in one private message on a platform that still
works, and again when it is over. The state lives in memory: after a restart (as when the token is
replaced) the held messages are tried at once (see :meth:`OutboxWorker.release_held`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.text.reader import N_, _, reading
from bot.text.richtext import Rich, bold, rich
from bot.uow import UnitOfWork, member_audience

FIRST_PROBE = 1.0  # seconds; doubling up to MAX_PROBE
MAX_PROBE = 300.0
HELD = "held: "  # the start of outbox.last_error for a held message (see Tx.release_held)

NAMES = {"telegram": "Telegram", "slack": "Slack", "email": "E-mail"}
# What whoever runs the bot should check, when it is not the platform's token.
CHECK = {"email": N_("SMTP settings (FSB_SMTP_*)")}


def platform_name(platform: str) -> str:
    return NAMES.get(platform, platform.title())


@dataclass
class Outage:
    """One platform refusing the bot's credentials, from ``since`` until a send works."""

    platform: str
    reason: str  # content-free, as DeliveryError.reason
    since: datetime
    until: datetime  # held until then; the next send after it is a probe
    probes: int = 0  # failed probes so far
    told: bool = False  # the leads heard of it
    over: bool = False


class PlatformOutages:
    """Which platforms are held, shared by the outbox's lanes (one process, one event loop)."""

    def __init__(self) -> None:
        self._outages: dict[str, Outage] = {}

    def held(self, platform: str, now: datetime) -> tuple[datetime, str] | None:
        """Until when, and with what reason, a message to ``platform`` must wait; ``None`` when it
        may go (no outage, or its next probe is due)."""
        outage = self._outages.get(platform)
        if outage is None or outage.until <= now:
            return None
        return outage.until, HELD + outage.reason

    def refused(self, platform: str, reason: str, now: datetime) -> tuple[Outage, bool]:
        """A send to ``platform`` was refused for the bot's credentials: the outage, and whether
        it is new. A failed probe (a send after ``until``) doubles the wait, up to 5 minutes."""
        outage = self._outages.get(platform)
        if outage is None:
            outage = Outage(platform, reason, now, now + timedelta(seconds=FIRST_PROBE))
            self._outages[platform] = outage
            return outage, True
        if outage.until <= now:
            outage.probes += 1
            wait = min(MAX_PROBE, FIRST_PROBE * 2**outage.probes)
            outage.until = now + timedelta(seconds=wait)
        return outage, False

    def worked(self, platform: str) -> Outage | None:
        """A send to ``platform`` went through: its outage, if it had one, is over."""
        outage = self._outages.pop(platform, None)
        if outage is not None:
            outage.over = True
        return outage

    def down(self) -> set[str]:
        return set(self._outages)


def outage_text(outage: Outage) -> Rich:
    name = platform_name(outage.platform)
    if outage.over:
        return rich(
            bold(_("{platform} works again.").format(platform=name)),
            _(" The messages that waited are going out now."),
        )
    check = (
        _(CHECK[outage.platform])
        if outage.platform in CHECK
        else _("{platform} token").format(platform=name)
    )
    return rich(
        bold(_("{platform} is not taking the bot's messages.").format(platform=name)),
        _(
            " It refused the bot's own access (a problem with the bot, not with anyone on the"
            " team). Messages for {platform} are waiting and go out once it works again; until"
            " then, please reach people there another way. Whoever runs the bot should check its"
            " {check}."
        ).format(platform=name, check=check),
    )


async def tell_leads(uow: UnitOfWork, outage: Outage, down: set[str]) -> int:
    """One private message to each lead on a platform that is not ``down``; how many were sent.

    Nothing secret goes in it: the platform, not the token or the error's text.
    """
    sent = 0
    for lead in uow.team.with_role("lead"):
        working = [
            address
            for address in await uow.reachable(lead)
            if address.platform not in down and address.platform != outage.platform
        ]
        if working:
            with reading(await uow.language_of_member(lead)):
                text = outage_text(outage)
                await uow.send(working[0], text, audience=member_audience(lead), purpose="notice")
            sent += 1
    return sent
