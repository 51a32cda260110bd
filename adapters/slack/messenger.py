"""Delivering core messages through the Slack Web API (slack_sdk's AsyncWebClient).

A message's reference is ``channel:ts`` (``chat.update`` needs both); a message too long for one
Slack message goes out as several (see :func:`adapters.slack.render.parts`), and its reference is
the comma-joined list of theirs, so an edit can update all of them. The home view is published
with ``views.publish``. Slack's refusals become :class:`DeliveryError` (see :func:`delivery_error`):
429 waits ``Retry-After``, a person who cannot be messaged is unreachable (escalation moves past
them), a refused token or installation holds Slack, a refused message is re-sent plain, network
trouble is retried with backoff by the outbox.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import aiohttp
from aiolimiter import AsyncLimiter
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import Part, blocks, parts
from bot.ports.events import Outbound
from bot.ports.platform import Contact, DeliveryError, FileTooLarge, Probed

HOME_PREFIX = "home:"
FILE_PREFIX = "slack:file:"  # how a shared file is referred to in an Inbound
UNREACHABLE = frozenset(
    {
        "cannot_dm_bot",
        "user_not_found",
        "users_not_found",
        "channel_not_found",
        "user_disabled",
        "not_in_channel",
        "is_archived",
        "messages_tab_disabled",
    }
)
# About the bot's own token, never a person: Slack is held, nobody is unreachable. Only codes that
# refuse every call (not missing_scope, which one method may get and another not: holding all of
# Slack on it would flap between outage and recovery).
CREDENTIALS = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "team_access_not_granted",
        "ekm_access_denied",
        "org_login_required",
    }
)
_CODE = re.compile(r"[a-z0-9_]{1,60}")


def delivery_error(status: int, code: str, retry_after: str | None) -> DeliveryError:
    """Slack's answer as a :class:`DeliveryError` whose reason is the status and Slack's error
    code only (a code that does not look like one is not repeated)."""
    code = code if _CODE.fullmatch(code) else "unknown_error"
    reason = f"slack {code}" if status == 200 else f"slack {status} {code}"
    if status == 429 or code == "ratelimited":
        return DeliveryError(reason, retry_after=float(retry_after or 1))
    if code in CREDENTIALS:
        return DeliveryError(reason, credentials=True)
    if code in UNREACHABLE:
        return DeliveryError(reason, unreachable=True)
    if status >= 500 or code in ("internal_error", "fatal_error", "service_unavailable"):
        return DeliveryError(reason)
    return DeliveryError(reason, permanent=True)  # msg_too_long, invalid_blocks, no_text...


class SlackMessenger:
    platform = "slack"

    def __init__(self, client: AsyncWebClient, *, per_channel: float = 1.0, burst: int = 2) -> None:
        """``per_channel`` messages a second to one conversation after a ``burst``: Slack's
        stated limit for chat.postMessage, kept here so that Slack never has to say 429. The burst
        is one below Slack's so that a message delayed on the way (a busy machine, the network)
        and the next one arriving together still fit."""
        self._client = client
        self._per_channel = per_channel
        self._burst = burst
        self._limiters: dict[str, AsyncLimiter] = {}

    def _limiter(self, channel: str) -> AsyncLimiter:
        if channel not in self._limiters:
            self._limiters[channel] = AsyncLimiter(self._burst, self._burst / self._per_channel)
        return self._limiters[channel]

    async def probe(self, channel: str | None, contacts: Sequence[Contact]) -> Probed:
        """The readiness probe (adapters/slack/readiness.py)."""
        from adapters.slack import readiness  # it reads this module's CREDENTIALS

        return await readiness.probe(self._client, channel, contacts)

    async def fetch(self, reference: str, limit: int) -> bytes:
        """A file a person shared (``slack:file:<id>``): ``files.info`` for its private URL,
        then the download, which Slack serves only with the bot token."""
        if not reference.startswith(FILE_PREFIX):
            raise LookupError("not a Slack file")
        try:
            info = await self._client.files_info(file=reference.removeprefix(FILE_PREFIX))
        except SlackApiError as error:
            raise LookupError(f"slack: {error.response.get('error', '')}") from error
        file = info.get("file") or {}
        if int(file.get("size") or 0) > limit:
            raise FileTooLarge(reference)
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        if not url:
            raise LookupError("slack: the file has no download address")
        headers = {"Authorization": f"Bearer {self._client.token}"}
        async with (
            aiohttp.ClientSession() as session,
            session.get(url, headers=headers, allow_redirects=False) as response,
        ):
            if response.status != 200:
                raise LookupError(f"slack: download answered {response.status}")
            data = await response.content.read(limit + 1)
        if len(data) > limit:
            raise FileTooLarge(reference)
        return data

    async def send(self, message: Outbound) -> str:
        try:
            return await self._send(message)
        except SlackApiError as error:
            response = error.response
            code = str(response.get("error", ""))
            retry = response.headers.get("Retry-After")
            raise delivery_error(response.status_code, code, retry) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"slack network {type(error).__name__}") from error

    async def _send(self, message: Outbound) -> str:
        chat = message.address.chat_id
        if chat.startswith(HOME_PREFIX):
            await self._client.views_publish(
                user_id=chat.removeprefix(HOME_PREFIX),
                view={"type": "home", "blocks": blocks(message)},
            )
            return chat
        pieces = parts(message)
        if message.replaces_ref:
            return await self._edit(message.replaces_ref, pieces)
        limiter = self._limiter(chat)
        if not limiter.has_capacity():
            # Waiting here would hold up every other conversation's messages (a page among
            # them) behind this one's pace: hand the row back to the outbox for a moment.
            raise DeliveryError("paced", retry_after=1 / self._per_channel, paced=True)
        refs: list[str] = []
        for piece in pieces:  # a second part waits its turn: rare, and in order
            async with limiter:
                refs.append(await self._post(chat, piece))
        return ",".join(refs)

    async def _post(self, channel: str, piece: Part) -> str:
        response = await self._client.chat_postMessage(
            channel=channel,
            text=piece.text,
            blocks=piece.blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
        return f"{response['channel']}:{response['ts']}"

    async def _edit(self, replaces_ref: str, pieces: list[Part]) -> str:
        """Update each part in place; post parts the message did not have, delete those it no
        longer needs."""
        old = replaces_ref.split(",")
        refs: list[str] = []
        for index, piece in enumerate(pieces):
            if index < len(old):
                channel, ts = old[index].split(":", 1)
                await self._client.chat_update(
                    channel=channel, ts=ts, text=piece.text, blocks=piece.blocks
                )
                refs.append(old[index])
            else:
                refs.append(await self._post(old[0].split(":", 1)[0], piece))
        for stale in old[len(pieces) :]:
            channel, ts = stale.split(":", 1)
            await self._client.chat_delete(channel=channel, ts=ts)
        return ",".join(refs)
