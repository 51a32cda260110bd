"""What Slack calls a team member: their display name, real name and username (``users.info``).

A Slack event carries only a user id. For a team member the adapter asks Slack for their profile
(at most once an hour per member) and passes the names with the event
(:attr:`bot.domain.PlatformUser.names`), so that a report naming a member by their Slack name is a
conflict of interest. Nobody who is not on the team is looked up.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

REFRESH = 3600.0  # seconds a member's profile is used before it is asked for again
RETRY = 300.0  # seconds before asking again after Slack did not answer
TIMEOUT = 2.0  # seconds a look-up may hold up an event (Slack wants an answer within 3)


def _names(user: dict[str, Any]) -> tuple[str, ...]:
    profile = user.get("profile") or {}
    found = (profile.get("display_name"), profile.get("real_name"), user.get("name"))
    return tuple(dict.fromkeys(str(name) for name in found if name))


class ProfileNames:
    """Slack names of members, kept in memory for :data:`REFRESH` seconds."""

    def __init__(self, client: AsyncWebClient, clock: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._clock = clock
        self._known: dict[str, tuple[float, tuple[str, ...]]] = {}

    async def names(self, user_id: str) -> tuple[str, ...]:
        """The names Slack shows for ``user_id``; the last ones known (or none) when Slack
        does not answer in :data:`TIMEOUT` seconds."""
        now = self._clock()
        until, known = self._known.get(user_id, (0.0, ()))
        if until > now:
            return known
        try:
            async with asyncio.timeout(TIMEOUT):
                response = await self._client.users_info(user=user_id)
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
            log.info("could not read a member's Slack profile: %s", type(error).__name__)
            self._known[user_id] = (now + RETRY, known)
            return known
        user = response.get("user")
        names = _names(user) if isinstance(user, dict) else known
        self._known[user_id] = (now + REFRESH, names)
        return names
