"""Moments as a reader reads them: days and times in the team's zone, with the names of days and
months in the reader's language (Babel), and where a forwarded message came from and when."""

from __future__ import annotations

from datetime import datetime

from bot.domain.team import Team
from bot.ports.events import Forwarded
from bot.text.reader import _, current


def day_time(team: Team, moment: datetime) -> str:
    """``"Wed 10:00"`` in the team's zone, the day's name in the reader's language."""
    return current().pattern(team.local(moment), "EEE HH:mm")


def day_date(team: Team, moment: datetime) -> str:
    """``"Wed 11 Aug"`` in the team's zone, in the reader's language."""
    return current().pattern(team.local(moment), "EEE dd MMM")


def forwarded_from(team: Team, origin: Forwarded) -> str:
    """``"Forwarded message from Jo Doe (@jodoe), first sent Wed 11 Aug 09:12"``: where a
    forwarded message came from, so nobody takes it for the reporter's own words."""
    name = origin.name or _("someone")
    user = origin.username
    if origin.kind == "user":
        source = _("{name} (@{username})").format(name=name, username=user) if user else name
    elif origin.kind == "hidden_user":
        source = _("{name} (their account is hidden)").format(name=name)
    elif origin.kind == "chat":
        source = _("the group {name}").format(name=name)
    elif origin.kind == "channel" and user:
        source = _("the channel {name} (@{username})").format(name=name, username=user)
    elif origin.kind == "channel":
        source = _("the channel {name}").format(name=name)
    else:
        source = name
    if origin.author:
        source = _("{source}, signed {author}").format(source=source, author=origin.author)
    sent = current().pattern(team.local(origin.date), "EEE dd MMM HH:mm")
    return _("Forwarded message from {source}, first sent {sent}").format(source=source, sent=sent)
