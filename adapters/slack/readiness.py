"""Slack's readiness probe (bot/ports/platform.py ``ReadinessProbe``).

* ``auth.test`` answers only with a working bot token, and names the bot.
* ``conversations.info`` of the team channel: ``is_member`` false, or ``channel_not_found``
  (a private channel the bot was never invited to looks like that), means it cannot post there.
* ``conversations.open`` with a member's user id opens (or finds) the direct message a page
  would use; ``user_not_found``, ``user_disabled``, ``cannot_dm_bot``... mean no page reaches
  them. Nothing is posted. An external contact given as a channel (``C...``/``G...``) is checked
  like the team channel.
"""

from __future__ import annotations

from collections.abc import Sequence

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.messenger import CREDENTIALS as REFUSED_TOKEN
from bot.domain import readiness as r
from bot.domain.readiness import Finding
from bot.ports.platform import Contact, Probed

PLATFORM = "slack"
CHANNEL_PREFIXES = ("C", "G")


def _code(error: SlackApiError) -> str:
    return str(error.response.get("error", "")) or f"HTTP {error.response.status_code}"


async def probe(client: AsyncWebClient, channel: str | None, contacts: Sequence[Contact]) -> Probed:
    """The findings for one bot token; see the module's docstring."""
    try:
        auth = await client.auth_test()
    except SlackApiError as error:
        why = f"Slack refused the bot token (FSB_SLACK_BOT_TOKEN): {_code(error)}."
        return Probed([Finding(r.CREDENTIALS, "", PLATFORM, True, {"why": why})])
    except (aiohttp.ClientError, TimeoutError) as error:
        why = f"no answer from Slack's Web API (FSB_SLACK_API_URL): {type(error).__name__}."
        return Probed([Finding(r.CREDENTIALS, "", PLATFORM, True, {"why": why})])
    found: list[Finding] = []
    if channel is not None:
        found.extend(await _in_channel(client, channel, "channel", r.CANNOT_POST, False))
    for contact in contacts:
        if contact.chat_id.startswith(CHANNEL_PREFIXES):
            found.extend(
                await _in_channel(client, contact.chat_id, contact.who, r.CONTACT_UNREACHABLE, True)
            )
        else:
            found.extend(await _dm(client, contact))
    name = str(auth.get("user") or "")
    return Probed(found, f"@{name}" if name else "")


async def _in_channel(
    client: AsyncWebClient, channel: str, who: str, kind: str, stops_page: bool
) -> list[Finding]:
    try:
        info = await client.conversations_info(channel=channel)
    except SlackApiError as error:
        if _code(error) in REFUSED_TOKEN or error.response.status_code >= 500:
            return [Finding(r.PROBE_FAILED, who, PLATFORM)]
        return [Finding(kind, who, PLATFORM, stops_page)]
    except (aiohttp.ClientError, TimeoutError):
        return [Finding(r.PROBE_FAILED, who, PLATFORM)]
    conversation = info.get("channel") or {}
    if not conversation.get("is_member", False):
        return [Finding(kind, who, PLATFORM, stops_page)]
    return []


async def _dm(client: AsyncWebClient, contact: Contact) -> list[Finding]:
    kind = r.CONTACT_UNREACHABLE if contact.external else r.CANNOT_DM
    try:
        await client.conversations_open(users=contact.chat_id)
    except SlackApiError as error:
        if _code(error) in ("ratelimited",) or error.response.status_code >= 500:
            return [Finding(r.PROBE_FAILED, contact.who, PLATFORM)]
        return [Finding(kind, contact.who, PLATFORM, True)]
    except (aiohttp.ClientError, TimeoutError):
        return [Finding(r.PROBE_FAILED, contact.who, PLATFORM)]
    return []
