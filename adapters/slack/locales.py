"""The language a participant's Slack is set to (``users.info`` with ``include_locale``), so that
the bot can answer a first message in it (bot/services/languages.py decides; this only asks).

Looked up at most once a day per person, only for people who are not on the team (a member
reads the team's language until they choose), and never allowed to hold up an event for long:
no answer in time is simply no locale, and the team's language is used.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

REFRESH = 86400.0  # seconds a locale is used before it is asked for again (it is rarely needed)
TIMEOUT = 2.0  # seconds a look-up may hold up an event (Slack wants an answer within 3)


class SlackLocales:
    """Slack locales (``"es-ES"``) of participants, kept in memory for :data:`REFRESH` seconds."""

    def __init__(self, client: AsyncWebClient, clock: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._clock = clock
        self._known: dict[str, tuple[float, str]] = {}

    async def locale(self, user_id: str) -> str:
        """The locale Slack gives for ``user_id``; "" when it gives none or does not answer."""
        now = self._clock()
        until, known = self._known.get(user_id, (0.0, ""))
        if until > now:
            return known
        try:
            async with asyncio.timeout(TIMEOUT):
                response = await self._client.users_info(user=user_id, include_locale=True)
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
            log.info("could not read a person's Slack locale: %s", type(error).__name__)
            self._known[user_id] = (now + REFRESH, known)
            return known
        user = response.get("user")
        found = str(user.get("locale") or "") if isinstance(user, dict) else ""
        self._known[user_id] = (now + REFRESH, found)
        return found
