"""A local fake of the Slack platform - Web API, Events API over HTTP and Socket Mode - served over
real HTTP and a real websocket.

Why a fake server rather than mocking slack_sdk / slack_bolt: the adapter tests should exercise the
real libraries (request encoding, retry handlers, Bolt's signature checks, acks and authorization,
the Socket Mode client's ping/pong and reconnects) against something that answers the way Slack
does. The fake therefore

* checks every Web API call against the published OpenAPI 2 description
  (``slack-web-api.json``) and the Block Kit limits in DESIGN.md, answers a bad call the way Slack
  would (``{"ok": false, "error": ...}``) *and* records it in :attr:`FakeSlack.violations`, so a
  test can assert the bot never sends anything Slack would refuse;
* keeps the state a user would see: messages per conversation (edits applied in place), ephemeral
  messages, each user's Home tab, open modals;
* signs and delivers Events API envelopes, interactions and slash commands to the bot's HTTP
  endpoint exactly as Slack does, and plays the Socket Mode server (hello, envelopes, acks,
  disconnect/refresh, ping/pong);
* lets a test inject failures and applies Slack's 1 message/s per channel limit, counting hits in
  :attr:`FakeSlack.rate_limited`.

Usage::

    async with FakeSlack() as fake:
        client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
        ...
        assert fake.violations == []

Conversations: a DM can be addressed by the user id (``U123``) or by the IM channel id the fake
hands out (``DU123``, from ``conversations.open`` and in incoming events). Both name the same
conversation, so ``fake.messages("U123") == fake.messages("DU123")``.

Everything runs on the test's event loop; the helpers are plain methods, no locking needed.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import itertools
import json
import math
import os
import re
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import WSMsgType, web

from fakes.common import Waiting

# The official API description, kept in the repository (tests/specs/README.md says where from).
_DEFAULT_SPEC = Path(__file__).resolve().parents[1] / "specs" / "slack-web-api.json"
SPEC_PATH = Path(os.environ.get("FSB_SLACK_SPEC", str(_DEFAULT_SPEC)))

TEAM_ID = "T0TEAM"
TEAM_NAME = "FSB Test Team"
TEAM_DOMAIN = "fsb-test"
APP_ID = "A0APP"
BOT_USER_ID = "UBOT"
BOT_ID = "B0BOT"
BOT_NAME = "fsb"
VERIFICATION_TOKEN = "fake-verification-token"  # the deprecated `token` field of payloads
BOT_SCOPES = "chat:write,commands,im:history,im:read,im:write,users:read"

# Methods added after the 2020 description, allowed by name with their required parameters.
EXTRA_METHODS: dict[str, tuple[str, ...]] = {
    "apps.connections.open": (),
    "views.publish": ("user_id", "view"),
    "views.open": ("trigger_id", "view"),
    "views.update": ("view",),
    "views.push": ("trigger_id", "view"),
    "files.getUploadURLExternal": ("filename", "length"),
    "files.completeUploadExternal": ("files",),
}
# Their scopes, which the description cannot say (apps.connections.open takes the app-level token).
EXTRA_SCOPES: dict[str, frozenset[str]] = {
    "files.getUploadURLExternal": frozenset({"files:write"}),
    "files.completeUploadExternal": frozenset({"files:write"}),
}
# The 2020 description names the old workspace-app scopes (conversations:read/write) for these;
# a bot token needs the current ones (api.slack.com/methods/conversations.info: channels:read
# for a public channel, groups:read for a private one; conversations.open: im:write for a DM).
CURRENT_SCOPES: dict[str, frozenset[str]] = {
    "conversations.info": frozenset({"channels:read", "groups:read"}),
    "conversations.open": frozenset({"im:write"}),
}
_REQUIRES_SCOPE = re.compile(r"Requires scope: `([^`]+)`")
# Parameters whose value is JSON (a JSON string in form data, an object in a JSON body).
JSON_PARAMS = {"blocks", "attachments", "view", "metadata", "unfurls", "user_auth_blocks", "files"}
# The parameter naming the conversation or user a call is about (for fail_next(channel=...)).
TARGET_PARAMS = {
    "chat.postMessage": "channel",
    "chat.postEphemeral": "channel",
    "chat.update": "channel",
    "chat.delete": "channel",
    "conversations.open": "users",
    "conversations.info": "channel",
    "users.info": "user",
    "views.publish": "user_id",
}

# Documented limits (DESIGN.md "Platform limits worth knowing" and the Block Kit reference).
TEXT_LIMIT = 40_000  # chat.postMessage `text`; Slack answers msg_too_long
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100  # modals and Home tabs
SECTION_TEXT_LIMIT = 3000
SECTION_FIELD_LIMIT = 2000
SECTION_FIELDS = 10
HEADER_TEXT_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
ACTION_ID_LIMIT = 255
BLOCK_ID_LIMIT = 255
URL_LIMIT = 3000
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
OPTIONS_LIMIT = 100
OPTION_TEXT_LIMIT = 75
OPTION_VALUE_LIMIT = 150
PLACEHOLDER_LIMIT = 150
LABEL_LIMIT = 2000
VIEW_TITLE_LIMIT = 24
PRIVATE_METADATA_LIMIT = 3000
CALLBACK_ID_LIMIT = 255
ACK_DEADLINE = 3.0  # seconds Slack waits for an HTTP answer or a Socket Mode ack
TRIGGER_LIFETIME = 3.0  # trigger_ids expire after 3 seconds

BLOCK_TYPES = {
    "actions",
    "context",
    "divider",
    "file",
    "header",
    "image",
    "input",
    "markdown",
    "rich_text",
    "section",
    "video",
}
INTERACTIVE_ELEMENTS = {
    "button",
    "channels_select",
    "checkboxes",
    "conversations_select",
    "datepicker",
    "datetimepicker",
    "email_text_input",
    "external_select",
    "file_input",
    "multi_channels_select",
    "multi_conversations_select",
    "multi_external_select",
    "multi_static_select",
    "multi_users_select",
    "number_input",
    "overflow",
    "plain_text_input",
    "radio_buttons",
    "rich_text_input",
    "static_select",
    "timepicker",
    "url_text_input",
    "users_select",
    "workflow_button",
}
_TS_RE = re.compile(r"\d+\.\d+")
_DM_KEY_RE = re.compile(r"D([UW][A-Z0-9]+)")

JSON = dict[str, Any]


# --------------------------------------------------------------------------------------------
# The spec
# --------------------------------------------------------------------------------------------


class WebApiSpec:
    """The Web API description: which methods exist, which parameters each requires, and which
    bot token scopes it needs (its ``token`` parameter says "Requires scope: `files:read`")."""

    def __init__(self, path: Path = SPEC_PATH) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.version: str = data.get("info", {}).get("version", "?")
        self.methods: dict[str, dict[str, JSON]] = {}
        self.scopes: dict[str, frozenset[str]] = dict(EXTRA_SCOPES)
        for route, operations in data["paths"].items():
            params: dict[str, JSON] = {}
            needed: set[str] = set()
            for operation in operations.values():
                for param in operation.get("parameters", []):
                    params[param["name"]] = param
                    if param["name"] == "token":
                        needed.update(_REQUIRES_SCOPE.findall(param.get("description", "")))
            self.methods[route.lstrip("/")] = params
            self.scopes[route.lstrip("/")] = frozenset(needed - {"none"})
        self.scopes.update(CURRENT_SCOPES)
        self.added: list[str] = []  # allowed by name, newer than the description
        for name, required in EXTRA_METHODS.items():
            if name not in self.methods:
                self.added.append(name)
                self.methods[name] = {
                    r: {"name": r, "in": "formData", "required": True, "type": "string"}
                    for r in required
                }

    def knows(self, method: str) -> bool:
        return method in self.methods

    def scopes_for(self, method: str) -> frozenset[str]:
        """The bot token scopes ``method`` needs (none for a method the description lacks)."""
        return self.scopes.get(method, frozenset())

    def required(self, method: str) -> list[str]:
        """Required parameters, without ``token`` (slack_sdk sends it in the header)."""
        return [
            name
            for name, param in self.methods[method].items()
            if param.get("required") and name != "token"
        ]


# --------------------------------------------------------------------------------------------
# Block Kit checks
# --------------------------------------------------------------------------------------------


def _text_object(
    obj: Any, path: str, limit: int | None, *, plain_only: bool = False, required: bool = True
) -> list[str]:
    """Problems with a composition text object ``{"type": "plain_text"|"mrkdwn", "text": ...}``."""
    if obj is None:
        return [f"{path}: missing required text object"] if required else []
    if not isinstance(obj, dict):
        return [f"{path}: must be a text object, got {type(obj).__name__}"]
    kinds = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    problems: list[str] = []
    if obj.get("type") not in kinds:
        problems.append(f"{path}.type: must be one of {list(kinds)}, got {obj.get('type')!r}")
    text = obj.get("text")
    if not isinstance(text, str):
        problems.append(f"{path}.text: must be a string")
    elif not text:
        problems.append(f"{path}.text: must be more than 0 characters")
    elif limit is not None and len(text) > limit:
        problems.append(f"{path}.text: must be at most {limit} characters (is {len(text)})")
    return problems


def _max_len(value: Any, path: str, limit: int) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, str):
        return [f"{path}: must be a string"]
    if len(value) > limit:
        return [f"{path}: must be at most {limit} characters (is {len(value)})"]
    return []


def _options(options: Any, path: str) -> list[str]:
    if not isinstance(options, list):
        return [f"{path}: must be an array"]
    problems = [] if len(options) <= OPTIONS_LIMIT else [f"{path}: more than {OPTIONS_LIMIT}"]
    for k, option in enumerate(options):
        where = f"{path}[{k}]"
        if not isinstance(option, dict):
            problems.append(f"{where}: must be an option object")
            continue
        problems += _text_object(option.get("text"), f"{where}.text", OPTION_TEXT_LIMIT)
        problems += _max_len(option.get("value"), f"{where}.value", OPTION_VALUE_LIMIT)
    return problems


def check_element(element: Any, path: str, action_ids: set[str]) -> list[str]:
    """Problems with an interactive element (button, select, input, ...) or an image."""
    if not isinstance(element, dict):
        return [f"{path}: must be an object"]
    kind = element.get("type")
    if kind == "image":
        return _max_len(element.get("alt_text"), f"{path}.alt_text", LABEL_LIMIT)
    if kind not in INTERACTIVE_ELEMENTS:
        return [f"{path}.type: unknown element type {kind!r}"]
    problems: list[str] = []
    action_id = element.get("action_id")
    if action_id is not None:
        problems += _max_len(action_id, f"{path}.action_id", ACTION_ID_LIMIT)
        if action_id in action_ids:
            problems.append(f"{path}.action_id: {action_id!r} is not unique in its block")
        action_ids.add(action_id)
    if kind in ("button", "workflow_button"):
        problems += _text_object(
            element.get("text"), f"{path}.text", BUTTON_TEXT_LIMIT, plain_only=True
        )
        problems += _max_len(element.get("value"), f"{path}.value", BUTTON_VALUE_LIMIT)
        problems += _max_len(element.get("url"), f"{path}.url", URL_LIMIT)
        style = element.get("style")
        if style is not None and style not in ("primary", "danger"):
            problems.append(f"{path}.style: must be 'primary' or 'danger', got {style!r}")
    if "placeholder" in element:
        problems += _text_object(
            element["placeholder"], f"{path}.placeholder", PLACEHOLDER_LIMIT, plain_only=True
        )
    if kind in ("static_select", "multi_static_select", "overflow", "radio_buttons", "checkboxes"):
        if "options" in element:
            problems += _options(element["options"], f"{path}.options")
        elif "option_groups" not in element:
            problems.append(f"{path}: must have options or option_groups")
    return problems


def check_blocks(blocks: Any, *, limit: int = MESSAGE_BLOCKS, where: str = "blocks") -> list[str]:
    """Problems Slack would answer ``invalid_blocks`` to, each with a JSON-ish path."""
    if not isinstance(blocks, list):
        return [f"{where}: must be an array of blocks, got {type(blocks).__name__}"]
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"{where}: at most {limit} blocks allowed (has {len(blocks)})")
    block_ids: set[str] = set()
    for b, block in enumerate(blocks):
        path = f"{where}[{b}]"
        if not isinstance(block, dict):
            problems.append(f"{path}: must be an object")
            continue
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            problems.append(f"{path}.type: unknown block type {kind!r}")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            problems += _max_len(block_id, f"{path}.block_id", BLOCK_ID_LIMIT)
            if block_id in block_ids:
                problems.append(f"{path}.block_id: {block_id!r} is used twice")
            block_ids.add(block_id)
        action_ids: set[str] = set()
        if kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append(f"{path}: a section needs text or fields")
            if "text" in block:
                problems += _text_object(block["text"], f"{path}.text", SECTION_TEXT_LIMIT)
            fields = block.get("fields")
            if fields is not None:
                if not isinstance(fields, list):
                    problems.append(f"{path}.fields: must be an array")
                else:
                    if len(fields) > SECTION_FIELDS:
                        problems.append(f"{path}.fields: at most {SECTION_FIELDS} fields")
                    for f, item in enumerate(fields):
                        problems += _text_object(item, f"{path}.fields[{f}]", SECTION_FIELD_LIMIT)
            if "accessory" in block:
                problems += check_element(block["accessory"], f"{path}.accessory", action_ids)
        elif kind == "header":
            problems += _text_object(
                block.get("text"), f"{path}.text", HEADER_TEXT_LIMIT, plain_only=True
            )
        elif kind in ("context", "actions"):
            elements = block.get("elements")
            most = CONTEXT_ELEMENTS if kind == "context" else ACTIONS_ELEMENTS
            if not isinstance(elements, list) or not elements:
                problems.append(f"{path}.elements: must be a non-empty array")
                continue
            if len(elements) > most:
                problems.append(f"{path}.elements: at most {most} elements (has {len(elements)})")
            for e, element in enumerate(elements):
                at = f"{path}.elements[{e}]"
                if kind == "context" and isinstance(element, dict):
                    if element.get("type") == "image":
                        problems += check_element(element, at, action_ids)
                    else:
                        problems += _text_object(element, at, None)
                else:
                    problems += check_element(element, at, action_ids)
        elif kind == "input":
            problems += _text_object(
                block.get("label"), f"{path}.label", LABEL_LIMIT, plain_only=True
            )
            if "hint" in block:
                problems += _text_object(block["hint"], f"{path}.hint", LABEL_LIMIT)
            if "element" not in block:
                problems.append(f"{path}.element: an input block needs an element")
            else:
                problems += check_element(block["element"], f"{path}.element", action_ids)
        elif kind == "image":
            if "image_url" not in block and "slack_file" not in block:
                problems.append(f"{path}: an image block needs image_url or slack_file")
            problems += _max_len(block.get("alt_text"), f"{path}.alt_text", LABEL_LIMIT)
        elif kind == "rich_text" and not isinstance(block.get("elements"), list):
            problems.append(f"{path}.elements: must be an array")
    return problems


def check_view(view: Any, *, kind: str | None = None) -> list[str]:
    """Problems with a view object (modal or Home tab) Slack would answer invalid_arguments to."""
    if not isinstance(view, dict):
        return [f"view: must be an object, got {type(view).__name__}"]
    problems: list[str] = []
    view_type = view.get("type")
    if view_type not in ("modal", "home"):
        problems.append(f"view.type: must be 'modal' or 'home', got {view_type!r}")
    elif kind is not None and view_type != kind:
        problems.append(f"view.type: this method needs a {kind!r} view, got {view_type!r}")
    if "blocks" not in view:
        problems.append("view.blocks: missing required field")
    else:
        problems += check_blocks(view["blocks"], limit=VIEW_BLOCKS, where="view.blocks")
    if view_type == "modal":
        problems += _text_object(view.get("title"), "view.title", VIEW_TITLE_LIMIT, plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                problems += _text_object(
                    view[key], f"view.{key}", VIEW_TITLE_LIMIT, plain_only=True
                )
        has_input = any(
            isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or []
        )
        if has_input and "submit" not in view:
            problems.append("view.submit: a modal with input blocks needs a submit button")
    problems += _max_len(view.get("private_metadata"), "view.private_metadata", 3000)
    problems += _max_len(view.get("callback_id"), "view.callback_id", CALLBACK_ID_LIMIT)
    problems += _max_len(view.get("external_id"), "view.external_id", 255)
    return problems


def _iter_elements(blocks: list[JSON]) -> Iterator[tuple[JSON, JSON]]:
    """(block, element) for every interactive element in ``blocks``."""
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if isinstance(block.get("accessory"), dict):
            yield block, block["accessory"]
        if isinstance(block.get("element"), dict):
            yield block, block["element"]
        if block.get("type") == "actions":
            for element in block.get("elements") or []:
                if isinstance(element, dict):
                    yield block, element


def _text_of(obj: Any) -> str:
    return str(obj.get("text", "")) if isinstance(obj, dict) else ""


def _rich_text(elements: Any) -> Iterator[str]:
    for element in elements or []:
        if not isinstance(element, dict):
            continue
        if isinstance(element.get("text"), str):
            yield element["text"]
        yield from _rich_text(element.get("elements"))


# --------------------------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------------------------


class ApiError(Exception):
    """An error answer, carried from a method handler to the HTTP response."""

    def __init__(
        self,
        error: str,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        messages: list[str] | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.headers = headers or {}
        self.messages = messages or []


@dataclass
class StoredMessage:
    """A message the bot posted, as the conversation currently shows it."""

    channel: str  # as the bot addressed it in chat.postMessage
    ts: str
    text: str | None
    blocks: list[JSON] | None
    attachments: list[JSON] | None = None
    thread_ts: str | None = None
    metadata: JSON | None = None
    edit_count: int = 0
    deleted: bool = False
    ephemeral_for: str | None = None

    def public(self) -> JSON:
        shown: JSON = {
            "channel": self.channel,
            "ts": self.ts,
            "text": self.text,
            "blocks": copy.deepcopy(self.blocks),
            "thread_ts": self.thread_ts,
            "edit_count": self.edit_count,
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
        }
        if self.attachments is not None:
            shown["attachments"] = copy.deepcopy(self.attachments)
        if self.metadata is not None:
            shown["metadata"] = copy.deepcopy(self.metadata)
        if self.ephemeral_for is not None:
            shown["ephemeral_for"] = self.ephemeral_for
        return shown

    def as_event(self) -> JSON:
        """The message object Slack puts in API answers and interaction payloads."""
        message: JSON = {
            "type": "message",
            "subtype": "bot_message",
            "text": self.text or "",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "ts": self.ts,
        }
        if self.blocks is not None:
            message["blocks"] = copy.deepcopy(self.blocks)
        if self.attachments is not None:
            message["attachments"] = copy.deepcopy(self.attachments)
        if self.thread_ts is not None:
            message["thread_ts"] = self.thread_ts
        if self.edit_count:
            message["edited"] = {"user": BOT_USER_ID, "ts": self.ts}
        return message


@dataclass
class _Failure:
    method: str
    status: int
    error: str
    retry_after: int | None
    channel: str | None
    remaining: int


@dataclass
class ApiRequest:
    """One Web API request as it arrived (for debugging encodings and tokens)."""

    method: str
    params: JSON
    token: str | None
    http_method: str
    content_type: str


@dataclass
class _Socket:
    ws: web.WebSocketResponse
    ticket: str
    connected_at: float


@dataclass
class SentEnvelope:
    envelope: JSON
    sent_at: float
    acked: asyncio.Event = field(default_factory=asyncio.Event)
    ack: JSON | None = None


def _conversation(channel: str) -> str:
    """The key a conversation is stored under: the DM channel ``DU1`` is the user ``U1``."""
    match = _DM_KEY_RE.fullmatch(channel)
    return match.group(1) if match else channel


def _channel_id(key: str) -> str:
    """The channel id Slack shows in events and payloads for a conversation key."""
    return f"D{key}" if key[:1] in ("U", "W") else key


def slack_escape(text: str) -> str:
    """What Slack does to typed text before sending it in an event: ``&``, ``<`` and ``>``
    become ``&amp;``, ``&lt;`` and ``&gt;`` (https://api.slack.com/reference/surfaces/formatting)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _render_sequence(inner: str) -> str:
    target, _, label = inner.partition("|")
    if target.startswith(("@", "#")):
        return target[0] + (label or target[1:])
    if target.startswith("!"):
        return label or "@" + target[1:].split("^", 1)[0]
    return label or target


def render_mrkdwn(text: str) -> str:
    """mrkdwn as Slack's client shows it (entities decoded, ``<...>`` as their words)."""
    entities = {"amp": "&", "lt": "<", "gt": ">"}
    return re.sub(
        r"<([^<>]*)>|&(amp|lt|gt);",
        lambda m: entities[m.group(2)] if m.group(2) else _render_sequence(m.group(1)),
        text,
    )


def sign(signing_secret: str, timestamp: str, body: str) -> str:
    """Slack's v0 request signature."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


class FakeSlack(Waiting):
    """Slack's Web API, Events API delivery and Socket Mode server on 127.0.0.1.

    Attributes tests read:

    * ``api_url`` - pass as ``AsyncWebClient(base_url=...)``.
    * ``violations`` - calls Slack would refuse as malformed (assert it stays ``[]``).
    * ``errors`` - every error answer that was not injected or a rate limit, as
      ``(method, error)``; includes violations and e.g. ``message_not_found``.
    * ``injected`` - failures from :meth:`fail_next` as they were served, ``(method, status,
      error)``.
    * ``rate_limited`` - how many chat.postMessage calls hit the per-channel limit.
    * ``calls`` - ``(method, params)`` in arrival order; JSON parameters decoded, no token.
    * ``requests`` - the same with token, HTTP method and content type (:class:`ApiRequest`).
    * ``token_seen`` - the last token used.
    * ``responses`` - what the bot posted to ``response_url``\\s, as ``(target, body)``.
    * ``delivered`` - what :meth:`send_event` / :meth:`send_interaction` / :meth:`send_command`
      delivered, as ``(kind, payload, status, body)``.
    * ``late`` - deliveries answered or acked after Slack's 3 s, as ``(kind, id, seconds)``.
    * ``socket_connected`` - an :class:`asyncio.Event`, set while a Socket Mode client is
      connected; ``socket_connections`` counts connections made, ``socket_pings`` the client's
      pings.
    """

    def __init__(
        self,
        spec_path: Path | None = None,
        *,
        rate_limits: bool = True,
        post_burst: int = 3,
        post_rate: float = 1.0,
        dm_channel_ids: bool = False,
        ack_deadline: float = ACK_DEADLINE,
        clock: Callable[[], float] = time.monotonic,
        scopes: Iterable[str] | None = None,
    ) -> None:
        """``scopes``: the bot token's scopes (the app manifest's); a call that needs another is
        answered ``missing_scope``, as Slack does, and is a violation. ``None`` grants every
        scope. ``post_burst``/``post_rate``: chat.postMessage per channel may burst ``post_burst``
        and then go on at ``post_rate`` per second (a token bucket). ``dm_channel_ids``: answer
        chat.postMessage to a user id with the IM channel id (``DU1``), as Slack does, instead of
        echoing the user id."""
        self.spec = WebApiSpec(spec_path or SPEC_PATH)
        self.rate_limits = rate_limits
        self.post_burst = post_burst
        self.post_rate = post_rate
        self.dm_channel_ids = dm_channel_ids
        self.ack_deadline = ack_deadline
        self.clock = clock
        self.scopes = None if scopes is None else frozenset(scopes)

        self.violations: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.injected: list[tuple[str, int, str]] = []
        self.rate_limited = 0
        self.token_refusal: str | None = None  # see revoke_token
        self.calls: list[tuple[str, JSON]] = []
        self.requests: list[ApiRequest] = []
        self.token_seen: str | None = None
        self.responses: list[tuple[JSON, JSON]] = []
        self.delivered: list[tuple[str, Any, int, str]] = []
        self.late: list[tuple[str, str, float]] = []
        self.uploads: list[tuple[str, str, str | None, bytes]] = []
        self.users: dict[str, JSON] = {}

        self.socket_connected = asyncio.Event()
        self.socket_connections = 0
        self.socket_pings = 0
        self.socket_received: list[JSON] = []  # every text frame the client sent

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = False

        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._messages: dict[str, list[StoredMessage]] = defaultdict(list)
        self._ephemeral: dict[tuple[str, str], list[StoredMessage]] = defaultdict(list)
        self._views: dict[str, JSON] = {}  # view id -> current view object
        self._homes: dict[str, str] = {}  # user id -> view id
        self._modals: dict[str, str] = {}  # trigger id -> view id
        self._triggers: dict[str, float] = {}  # trigger ids the fake issued -> when
        self._response_targets: dict[str, JSON] = {}
        self._failures: list[_Failure] = []
        self._buckets: dict[str, tuple[float, float]] = {}
        self._tickets: set[str] = set()
        self._sockets: list[_Socket] = []
        self._envelopes: dict[str, SentEnvelope] = {}
        self._files: dict[str, tuple[JSON, bytes]] = {}  # file id -> (file object, content)
        self.outside_channels: set[str] = set()  # channels the bot is not in (remove_bot)
        self.downloads: list[str | None] = []  # the token each file download carried

        self._handlers: dict[str, Callable[[JSON], JSON]] = {
            "api.test": lambda p: {"args": {k: v for k, v in p.items() if k != "token"}},
            "auth.test": self._auth_test,
            "apps.connections.open": self._connections_open,
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "chat.postEphemeral": self._post_ephemeral,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "files.info": self._files_info,
            "users.info": self._users_info,
            "views.publish": self._views_publish,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
        }

    # ---------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> FakeSlack:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/respond/{key}", self._handle_response_url)
        app.router.add_get("/link/", self._handle_socket)
        app.router.add_get("/files-pri/{file_id}/{name}", self._handle_download)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._closing = True
        for socket in list(self._sockets):
            await socket.ws.close(code=aiohttp.WSCloseCode.GOING_AWAY, message=b"shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeSlack is not running; use `async with FakeSlack()`")
        return self._port

    @property
    def api_url(self) -> str:
        """slack_sdk posts to ``{base_url}{method}``; the trailing slash matters."""
        return f"http://127.0.0.1:{self.port}/api/"

    # ---------------------------------------------------------------- Web API over HTTP

    async def _read_params(self, request: web.Request, method: str) -> tuple[JSON, list[str]]:
        """Parameters from the query string and a form or JSON body, JSON ones decoded.

        slack_sdk 3.x sends methods with blocks/attachments/views as a JSON body, most others
        as query parameters (``params=``) or form data; the token goes in ``Authorization``.
        Slack accepts any of these for any method, so the fake does too.
        """
        raw: JSON = dict(request.query)
        problems: list[str] = []
        if request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError as exc:
                    return raw, [f"the JSON body does not parse: {exc}"]
                if not isinstance(body, dict):
                    return raw, ["the JSON body must be an object"]
                raw.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        content = value.file.read()
                        self.uploads.append((method, key, value.filename, content))
                        raw[key] = {"upload": value.filename, "size": len(content)}
                    else:
                        raw[key] = value
        for key in JSON_PARAMS & raw.keys():
            if isinstance(raw[key], str):
                try:
                    raw[key] = json.loads(raw[key])
                except ValueError:
                    problems.append(f"{key}: not valid JSON: {raw[key][:200]!r}")
        return raw, problems

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, unreadable = await self._read_params(request, method)
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None
        token = token or params.pop("token", None)
        params.pop("token", None)
        self.token_seen = token or self.token_seen
        self.calls.append((method, params))
        self.requests.append(
            ApiRequest(method, params, token, request.method, request.content_type)
        )

        if not self.spec.knows(method):
            return self._violation(method, "unknown_method", [f"no such method {method!r}"])
        if not token:
            return self._violation(method, "not_authed", ["no token in Authorization or token="])
        wants_app_token = method == "apps.connections.open"
        if wants_app_token != token.startswith("xapp-"):
            need = "an app-level token (xapp-)" if wants_app_token else "a bot or user token"
            return self._violation(method, "not_allowed_token_type", [f"needs {need}"])
        if unreadable:
            return self._violation(method, "invalid_arguments", unreadable)
        lacking = self._lacking_scopes(method)
        if lacking:
            return self._violation(
                method,
                "missing_scope",
                [f"needs {', '.join(sorted(lacking))}, which the app was not granted"],
            )
        missing = [name for name in self.spec.required(method) if params.get(name) in (None, "")]
        if missing:
            return self._violation(
                method,
                "invalid_arguments",
                [f"missing required field {name!r}" for name in missing],
            )
        problem = self.validate(method, params)
        if problem is not None:
            error, details = problem
            return self._violation(method, error, details)

        target = params.get(TARGET_PARAMS.get(method, ""))
        injected = self._take_failure(method, target if isinstance(target, str) else None)
        if injected is not None:
            self.injected.append((method, injected.status, injected.error))
            return self._respond_error(injected)
        if self.rate_limits and method == "chat.postMessage":
            retry_after = self._rate_check(_conversation(str(params["channel"])))
            if retry_after is not None:
                self.rate_limited += 1
                return self._respond_error(
                    ApiError("ratelimited", status=429, headers={"Retry-After": str(retry_after)})
                )

        try:
            handler = self._handlers.get(method)
            result = handler(params) if handler is not None else {}
        except ApiError as exc:
            self.errors.append((method, exc.error))
            return self._respond_error(exc)
        except Exception as exc:  # a gap in the fake: make it loud, not a silent 500
            self.violations.append(f"{method}: the fake could not handle this call: {exc!r}")
            self.errors.append((method, "fatal_error"))
            return self._respond_error(ApiError("fatal_error", status=500))
        granted = BOT_SCOPES if self.scopes is None else ",".join(sorted(self.scopes))
        return web.json_response({"ok": True, **result}, headers={"X-OAuth-Scopes": granted})

    def _lacking_scopes(self, method: str) -> frozenset[str]:
        if self.scopes is None or method == "apps.connections.open":
            return frozenset()
        return self.spec.scopes_for(method) - self.scopes

    def _violation(self, method: str, error: str, details: list[str]) -> web.Response:
        for detail in details:
            self.violations.append(f"{method}: {error}: {detail}")
        self.errors.append((method, error))
        return self._respond_error(ApiError(error, messages=[f"[ERROR] {d}" for d in details]))

    @staticmethod
    def _respond_error(exc: ApiError) -> web.Response:
        body: JSON = {"ok": False, "error": exc.error}
        if exc.messages:
            body["response_metadata"] = {"messages": exc.messages}
        return web.json_response(body, status=exc.status, headers=exc.headers)

    # ---------------------------------------------------------------- validation

    def validate(self, method: str, params: JSON) -> tuple[str, list[str]] | None:
        """(Slack's error, details) if Slack would refuse this well-formed-looking call."""
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            return self._check_message(method, params)
        if method in ("views.publish", "views.open", "views.push", "views.update"):
            kind = {"views.publish": "home", "views.update": None}.get(method, "modal")
            problems = check_view(params.get("view"), kind=kind)
            if method == "views.update" and not (
                params.get("view_id") or params.get("external_id")
            ):
                problems.append("views.update needs view_id or external_id")
            return ("invalid_arguments", problems) if problems else None
        return None

    def _check_message(self, method: str, params: JSON) -> tuple[str, list[str]] | None:
        for key in ("ts", "thread_ts"):
            value = params.get(key)
            if value not in (None, "") and not _TS_RE.fullmatch(str(value)):
                return "invalid_arguments", [f"{key}: {value!r} is not a message timestamp"]
        blocks = params.get("blocks")
        if blocks is not None:
            problems = check_blocks(blocks)
            if problems:
                return "invalid_blocks", problems
        text = params.get("text")
        if text is not None and not isinstance(text, str):
            return "invalid_arguments", [f"text: must be a string, got {type(text).__name__}"]
        if text is not None and len(text) > TEXT_LIMIT:
            return "msg_too_long", [f"text is {len(text)} characters (limit {TEXT_LIMIT})"]
        has_content = any(params.get(k) for k in ("text", "blocks", "attachments"))
        if method == "chat.update":
            has_content = has_content or any(k in params for k in ("blocks", "attachments"))
        if not has_content:
            return "no_text", ["the message has no text, blocks or attachments"]
        return None

    # ---------------------------------------------------------------- failures & rate limits

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int | None = None,
        error: str | None = None,
        channel: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` ("*" = any) with a failure.

        Without ``error`` this is a 429 ``{"ok": false, "error": "ratelimited"}`` with a
        ``Retry-After`` header (default 1). With ``error`` (``"cannot_dm_bot"``,
        ``"user_not_found"``, ``"channel_not_found"``, ...) it is Slack's usual HTTP 200
        ``{"ok": false, "error": error}``; pass ``status`` for anything else (e.g. 500).
        With ``channel`` only calls about that conversation or user are affected: the
        ``channel`` of chat.* calls (a DM by user id or ``D`` id alike), the ``users`` of
        conversations.open, the ``user`` of users.info, the ``user_id`` of views.publish.
        """
        if method != "*" and not self.spec.knows(method):
            raise ValueError(f"fail_next: {method!r} is not a Web API method")
        if status is None:
            status = 429 if error is None else 200
        if status == 429:
            retry_after = 1 if retry_after is None else retry_after
            error = error or "ratelimited"
        error = error or ("internal_error" if status >= 500 else "fatal_error")
        self._failures.append(
            _Failure(
                method=method,
                status=status,
                error=error,
                retry_after=retry_after,
                channel=None if channel is None else _conversation(channel),
                remaining=times,
            )
        )

    def revoke_token(self, error: str = "token_revoked") -> None:
        """The bot's token stops working (``token_revoked``, ``invalid_auth``,
        ``account_inactive``...): every Web API call answers ``{"ok": false, "error": error}``
        until :meth:`restore_token`."""
        self.token_refusal = error

    def restore_token(self) -> None:
        self.token_refusal = None

    def _take_failure(self, method: str, target: str | None) -> ApiError | None:
        if self.token_refusal is not None:  # see revoke_token
            return ApiError(self.token_refusal)
        for failure in self._failures:
            if failure.method not in ("*", method):
                continue
            if failure.channel is not None and (
                target is None or _conversation(target) != failure.channel
            ):
                continue
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failures.remove(failure)
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            return ApiError(failure.error, status=failure.status, headers=headers)
        return None

    def _rate_check(self, key: str) -> int | None:
        """Seconds to wait if this post breaks the per-channel limit, else count it.

        Slack: "chat.postMessage has special rate limiting conditions... generally allows an app
        to post 1 message per second to a specific channel, with limits for bursts over that".
        The fake is a token bucket per conversation: ``post_burst`` messages at once, then
        ``post_rate`` per second.
        """
        now = self.clock()
        level, last = self._buckets.get(key, (0.0, now))
        level = max(0.0, level - (now - last) * self.post_rate)
        if level + 1 > self.post_burst + 1e-9:
            self._buckets[key] = (level, now)
            return max(1, math.ceil((level + 1 - self.post_burst) / self.post_rate))
        self._buckets[key] = (level + 1, now)
        return None

    # ---------------------------------------------------------------- method handlers

    def _auth_test(self, params: JSON) -> JSON:
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": TEAM_NAME,
            "user": BOT_NAME,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _connections_open(self, params: JSON) -> JSON:
        ticket = uuid.uuid4().hex
        self._tickets.add(ticket)
        return {"url": f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={APP_ID}"}

    def _next_ts(self) -> str:
        n = next(self._ts)
        return f"{1_700_000_000 + n // 10_000}.{(n % 10_000) * 100:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    @staticmethod
    def _with_block_ids(blocks: Any) -> list[JSON] | None:
        """Slack fills in a block_id for every block that has none, and shows it back."""
        if not isinstance(blocks, list):
            return None
        filled = copy.deepcopy(blocks)
        for n, block in enumerate(filled):
            if isinstance(block, dict) and "block_id" not in block:
                block["block_id"] = hashlib.sha1(
                    json.dumps([n, block], sort_keys=True).encode()
                ).hexdigest()[:5]
        return filled

    def _post_message(self, params: JSON) -> JSON:
        channel = str(params["channel"])
        if channel in self.outside_channels:
            raise ApiError("not_in_channel")
        stored = StoredMessage(
            channel=channel,
            ts=self._next_ts(),
            text=params.get("text"),
            blocks=self._with_block_ids(params.get("blocks")),
            attachments=params.get("attachments"),
            thread_ts=params.get("thread_ts") or None,
            metadata=params.get("metadata"),
        )
        self._messages[_conversation(channel)].append(stored)
        shown = channel
        if self.dm_channel_ids and channel[:1] in ("U", "W"):
            shown = _channel_id(channel)
        return {"channel": shown, "ts": stored.ts, "message": stored.as_event()}

    def _find(self, channel: str, ts: str) -> StoredMessage:
        for stored in self._messages.get(_conversation(channel), []):
            if stored.ts == ts and not stored.deleted:
                return stored
        raise ApiError("message_not_found")

    def _update(self, params: JSON) -> JSON:
        stored = self._find(str(params["channel"]), str(params["ts"]))
        # Fields left out keep their value (blocks=[] removes the blocks), as in Slack.
        if "text" in params:
            stored.text = params["text"]
        if "blocks" in params:
            stored.blocks = self._with_block_ids(params["blocks"])
        if "attachments" in params:
            stored.attachments = params["attachments"]
        stored.edit_count += 1
        return {
            "channel": params["channel"],
            "ts": stored.ts,
            "text": stored.text or "",
            "message": stored.as_event(),
        }

    def _delete(self, params: JSON) -> JSON:
        if not params.get("channel") or not params.get("ts"):
            raise ApiError("message_not_found")
        self._find(str(params["channel"]), str(params["ts"])).deleted = True
        return {"channel": params["channel"], "ts": params["ts"]}

    def _post_ephemeral(self, params: JSON) -> JSON:
        channel, user = str(params["channel"]), str(params["user"])
        stored = StoredMessage(
            channel=channel,
            ts=self._next_ts(),
            text=params.get("text"),
            blocks=self._with_block_ids(params.get("blocks")),
            attachments=params.get("attachments"),
            thread_ts=params.get("thread_ts") or None,
            ephemeral_for=user,
        )
        self._ephemeral[(_conversation(channel), user)].append(stored)
        return {"message_ts": stored.ts}

    def _conversations_open(self, params: JSON) -> JSON:
        users = params.get("users")
        if isinstance(users, str):
            users = [u.strip() for u in users.split(",") if u.strip()]
        if not users:
            if params.get("channel"):
                return {"channel": {"id": params["channel"]}, "already_open": True}
            raise ApiError("users_list_not_supplied")
        if BOT_USER_ID in users:
            raise ApiError("cannot_dm_bot")
        if len(users) == 1:
            channel: JSON = {"id": _channel_id(users[0])}
            if params.get("return_im") in (True, "true", "1"):
                channel.update(is_im=True, user=users[0])
        else:
            digest = hashlib.sha1(",".join(sorted(users)).encode()).hexdigest()[:8].upper()
            channel = {"id": f"G{digest}"}
        return {"channel": channel, "no_op": False, "already_open": False}

    def remove_bot(self, channel: str) -> None:
        """The bot is not (or no longer) in ``channel``: conversations.info says
        ``is_member: false`` and a post there answers ``not_in_channel``."""
        self.outside_channels.add(channel)

    def _conversations_info(self, params: JSON) -> JSON:
        channel = str(params.get("channel") or "")
        if channel[:1] not in ("C", "G", "D"):
            raise ApiError("channel_not_found")
        info: JSON = {
            "id": channel,
            "name": channel.lower(),
            "is_channel": channel[:1] == "C",
            "is_group": channel[:1] == "G",
            "is_im": channel[:1] == "D",
            "is_private": channel[:1] != "C",
            "is_archived": False,
            "created": 1_700_000_000,
            "is_member": channel not in self.outside_channels,
        }
        return {"channel": info}

    def add_user(
        self,
        user_id: str,
        real_name: str = "",
        *,
        display_name: str | None = None,
        is_bot: bool = False,
        tz: str = "Europe/London",
        **extra: Any,
    ) -> JSON:
        """Register a user for ``users.info`` (others get a default profile)."""
        name = real_name or f"User {user_id}"
        user: JSON = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name.lower().replace(" ", "."),
            "deleted": False,
            "real_name": name,
            "tz": tz,
            "is_bot": is_bot,
            "is_app_user": False,
            "profile": {
                "real_name": name,
                "display_name": display_name if display_name is not None else name,
                "team": TEAM_ID,
            },
            **extra,
        }
        self.users[user_id] = user
        return user

    def _users_info(self, params: JSON) -> JSON:
        """A user's profile; their ``locale`` (default "en-US") only with ``include_locale``,
        as Slack gives it."""
        user_id = str(params.get("user") or "")
        if user_id in self.users:
            user = copy.deepcopy(self.users[user_id])
            if str(params.get("include_locale", "")).lower() in ("true", "1"):
                user.setdefault("locale", "en-US")
            else:
                user.pop("locale", None)
            return {"user": user}
        if user_id == BOT_USER_ID:
            user = self.add_user(BOT_USER_ID, "Friendly Space Bot", is_bot=True)
            user["profile"]["bot_id"] = BOT_ID
            return {"user": copy.deepcopy(user)}
        if user_id[:1] in ("U", "W"):
            self.add_user(user_id)
            return self._users_info(params)
        raise ApiError("user_not_found")

    def _view_object(self, view: JSON, view_id: str, *, previous: JSON | None = None) -> JSON:
        n = next(self._ids)
        return {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": view["type"],
            "blocks": self._with_block_ids(view.get("blocks")) or [],
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{1_700_000_000 + n}.{n:08x}",
            "title": copy.deepcopy(view.get("title")),
            "submit": copy.deepcopy(view.get("submit")),
            "close": copy.deepcopy(view.get("close")),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "external_id": view.get("external_id", ""),
            "previous_view_id": None,
            "root_view_id": (previous or {}).get("root_view_id", view_id),
            "app_id": APP_ID,
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        }

    def _check_hash(self, current: JSON | None, params: JSON) -> None:
        wanted = params.get("hash")
        if wanted and current is not None and wanted != current["hash"]:
            raise ApiError("hash_conflict")

    def _views_publish(self, params: JSON) -> JSON:
        user_id = str(params["user_id"])
        current = self._views.get(self._homes.get(user_id, ""))
        self._check_hash(current, params)
        view_id = current["id"] if current else self._next_id("V")
        self._views[view_id] = self._view_object(params["view"], view_id, previous=current)
        self._homes[user_id] = view_id
        return {"view": copy.deepcopy(self._views[view_id])}

    def _views_open(self, params: JSON) -> JSON:
        trigger_id = str(params["trigger_id"])
        issued = self._triggers.get(trigger_id)
        if issued is not None and self.clock() - issued > TRIGGER_LIFETIME:
            raise ApiError("expired_trigger_id")
        view_id = self._next_id("V")
        self._views[view_id] = self._view_object(params["view"], view_id)
        self._modals[trigger_id] = view_id
        return {"view": copy.deepcopy(self._views[view_id])}

    def _views_update(self, params: JSON) -> JSON:
        view_id = params.get("view_id")
        if not view_id:
            external = params.get("external_id")
            view_id = next(
                (v["id"] for v in self._views.values() if v["external_id"] == external), None
            )
        current = self._views.get(str(view_id))
        if current is None:
            raise ApiError("not_found")
        self._check_hash(current, params)
        self._views[current["id"]] = self._view_object(
            params["view"], current["id"], previous=current
        )
        return {"view": copy.deepcopy(self._views[current["id"]])}

    # ---------------------------------------------------------------- response_url

    def _response_url(self, target: JSON) -> str:
        key = uuid.uuid4().hex
        self._response_targets[key] = target
        return f"http://127.0.0.1:{self.port}/respond/{key}"

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        """What ``respond()`` posts: ephemeral by default, or in_channel / replace / delete."""
        target = self._response_targets.get(request.match_info["key"])
        if target is None:
            self.violations.append("response_url: unknown or expired response_url")
            return web.Response(status=404, text="no_such_response_url")
        try:
            body = await request.json()
        except ValueError:
            self.violations.append("response_url: the body is not JSON")
            return web.Response(status=400, text="invalid_payload")
        self.responses.append((dict(target), body))
        channel, user = target["channel"], target["user"]
        if body.get("blocks") is not None:
            problems = check_blocks(body["blocks"])
            if problems:
                self.violations += [f"response_url: invalid_blocks: {p}" for p in problems]
                return web.Response(status=400, text="invalid_blocks")
        if len(body.get("text") or "") > TEXT_LIMIT:
            self.violations.append("response_url: msg_too_long")
            return web.Response(status=400, text="msg_too_long")
        message_ts = target.get("message_ts")
        try:
            original = self._find(channel, message_ts) if message_ts else None
        except ApiError:
            self.errors.append(("response_url", "message_not_found"))
            return web.Response(status=404, text="message_not_found")
        if body.get("delete_original") and original is not None:
            original.deleted = True
        elif body.get("replace_original") and original is not None:
            original.text = body.get("text")
            original.blocks = self._with_block_ids(body.get("blocks"))
            original.edit_count += 1
        elif body.get("response_type") == "in_channel":
            self._post_message({"channel": channel, **body})
        else:
            self._post_ephemeral({"channel": channel, "user": user, **body})
        return web.json_response({"ok": True})

    # ---------------------------------------------------------------- inspection

    def messages(self, channel: str) -> list[JSON]:
        """The bot's messages in a conversation as it shows now: edits applied, deletions gone.

        Each is ``{"channel", "ts", "text", "blocks", "thread_ts", "edit_count", "user",
        "bot_id"}`` (plus ``attachments``/``metadata`` when set). Thread replies are included
        (their ``thread_ts`` is set).
        """
        return [m.public() for m in self._messages.get(_conversation(channel), []) if not m.deleted]

    def ephemeral(self, channel: str, user: str) -> list[JSON]:
        """Ephemeral messages shown to ``user`` in ``channel`` (postEphemeral and respond())."""
        return [m.public() for m in self._ephemeral.get((_conversation(channel), user), [])]

    def home(self, user_id: str) -> JSON | None:
        """The Home tab last published for ``user_id`` (the view object Slack returned)."""
        view_id = self._homes.get(user_id)
        return copy.deepcopy(self._views[view_id]) if view_id else None

    @property
    def modals(self) -> dict[str, JSON]:
        """Modals opened (views.open / views.push) per trigger_id, with updates applied."""
        return {t: copy.deepcopy(self._views[v]) for t, v in self._modals.items()}

    def view(self, view_id: str) -> JSON:
        """A view (modal or Home tab) by id, as it is now."""
        return copy.deepcopy(self._views[view_id])

    def calls_to(self, method: str) -> list[JSON]:
        """Params of every call to ``method``, in order."""
        return [params for name, params in self.calls if name == method]

    @staticmethod
    def visible_text(message: Mapping[str, Any]) -> str:
        """What a person reads in a message or view: its text, then each block's texts (section
        text and fields, headers, context, button and other element labels, input labels, rich
        text), one per line."""
        parts: list[str] = []
        title = message.get("title")
        if isinstance(title, dict):
            parts.append(_text_of(title))
        if isinstance(message.get("text"), str):
            parts.append(message["text"])
        for block in message.get("blocks") or []:
            if not isinstance(block, dict):
                continue
            kind = block.get("type")
            if kind in ("section", "header"):
                parts.append(_text_of(block.get("text")))
                parts += [_text_of(f) for f in block.get("fields") or []]
            elif kind == "context":
                parts += [_text_of(e) for e in block.get("elements") or []]
            elif kind == "input":
                parts.append(_text_of(block.get("label")))
            elif kind == "rich_text":
                parts.append("".join(_rich_text(block.get("elements"))))
            elif kind == "markdown":
                parts.append(str(block.get("text", "")))
            for _, element in _iter_elements([block]):
                parts.append(_text_of(element.get("text")))
        return "\n".join(p for p in parts if p)

    # ---------------------------------------------------------------- building payloads

    @classmethod
    def read(cls, message: Mapping[str, Any]) -> str:
        """What a person reads in a message's blocks (or its text, without blocks), with mrkdwn
        shown as Slack's client shows it: ``&lt;`` ``&gt;`` ``&amp;`` as ``<`` ``>`` ``&``, a
        link as its words, a mention as ``@`` and its name. Formatting marks are left in."""
        parts: list[str] = []
        for block in message.get("blocks") or []:
            if not isinstance(block, dict):
                continue
            texts = [block.get("text"), *(block.get("fields") or [])]
            if block.get("type") == "context":
                texts = list(block.get("elements") or [])
            for obj in texts:
                if isinstance(obj, dict):
                    shown = str(obj.get("text", ""))
                    parts.append(render_mrkdwn(shown) if obj.get("type") == "mrkdwn" else shown)
        if not message.get("blocks") and isinstance(message.get("text"), str):
            parts.append(render_mrkdwn(message["text"]))
        return "\n".join(p for p in parts if p)

    def new_trigger_id(self) -> str:
        """A trigger_id as Slack puts in interactions; views.open refuses it after 3 s."""
        n = next(self._ids)
        trigger_id = f"{1000 + n}.{TEAM_ID[1:]}.{uuid.uuid4().hex[:16]}"
        self._triggers[trigger_id] = self.clock()
        return trigger_id

    def add_file(self, name: str, content: bytes) -> JSON:
        """A file a user uploaded: its file object, as events and ``files.info`` show it. Its
        ``url_private_download`` serves the bytes to a request with the bot token only."""
        file_id = f"F{next(self._ids):07d}"
        url = f"http://127.0.0.1:{self.port}/files-pri/{file_id}/{name}"
        obj: JSON = {
            "id": file_id,
            "name": name,
            "filetype": name.rpartition(".")[2],
            "size": len(content),
            "url_private": url,
            "url_private_download": url,
        }
        self._files[file_id] = (obj, content)
        return obj

    def _files_info(self, params: JSON) -> JSON:
        found = self._files.get(str(params.get("file", "")))
        if found is None:
            raise ApiError("file_not_found")
        return {"file": found[0]}

    async def _handle_download(self, request: web.Request) -> web.Response:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None
        self.downloads.append(token)
        found = self._files.get(request.match_info["file_id"])
        if self.scopes is not None and "files:read" not in self.scopes:
            self.violations.append("file download: needs files:read, which was not granted")
            found = None
        if found is None or token is None or token != self.token_seen:
            # Slack answers a private file without the right token with its login page.
            return web.Response(status=302, headers={"Location": "https://slack.com/signin"})
        return web.Response(body=found[1], content_type="application/octet-stream")

    def dm_event(
        self,
        user: str,
        text: str,
        *,
        ts: str | None = None,
        thread_ts: str | None = None,
        files: list[JSON] | None = None,
        markup: str | None = None,
    ) -> JSON:
        """A ``message.im`` event: ``user`` writes ``text`` to the bot in their DM. Slack sends
        what was typed escaped (``&`` ``<`` ``>`` as ``&amp;`` ``&lt;`` ``&gt;``); ``markup``
        gives the encoded text instead, for what only Slack's client writes (a mention
        ``<@U0BOB>``, a link ``<https://x.org|x.org>``)."""
        if len(text) > TEXT_LIMIT:
            raise ValueError(f"Slack's client sends at most {TEXT_LIMIT} characters")
        ts = ts or self._next_ts()
        event: JSON = {
            "client_msg_id": str(uuid.uuid4()),
            "type": "message",
            "text": slack_escape(text) if markup is None else markup,
            "user": user,
            "ts": ts,
            "blocks": [
                {
                    "type": "rich_text",
                    "block_id": uuid.uuid4().hex[:5],
                    "elements": [
                        {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
                    ],
                }
            ],
            "team": TEAM_ID,
            "channel": _channel_id(user),
            "event_ts": ts,
            "channel_type": "im",
        }
        if thread_ts is not None:
            event["thread_ts"] = thread_ts
        if files:
            event["files"] = files
            event["subtype"] = "file_share"
        return event

    def dm_edit_event(
        self, original: JSON, text: str, *, markup: str | None = None, user: str | None = None
    ) -> JSON:
        """A ``message_changed`` event: the author of ``original`` (a :meth:`dm_event`) edits it
        to read ``text`` (escaped as Slack escapes, or ``markup``). Slack keeps the message's
        ``ts`` and says what it said before."""
        ts = self._next_ts()
        author = user or str(original["user"])
        message: JSON = {
            "client_msg_id": original.get("client_msg_id", str(uuid.uuid4())),
            "type": "message",
            "text": slack_escape(text) if markup is None else markup,
            "user": author,
            "team": TEAM_ID,
            "edited": {"user": author, "ts": ts},
            "ts": original["ts"],
        }
        previous = {k: original[k] for k in ("type", "text", "user", "ts") if k in original}
        return {
            "type": "message",
            "subtype": "message_changed",
            "message": message,
            "previous_message": previous,
            "channel": original["channel"],
            "hidden": True,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "im",
        }

    def app_home_opened(self, user: str, *, tab: str = "home") -> JSON:
        """An ``app_home_opened`` event; carries the current Home view if one was published."""
        event: JSON = {
            "type": "app_home_opened",
            "user": user,
            "channel": _channel_id(user),
            "tab": tab,
            "event_ts": self._next_ts(),
        }
        home = self.home(user)
        if home is not None and tab == "home":
            event["view"] = home
        return event

    def envelope(self, event: JSON, *, event_id: str | None = None) -> JSON:
        """The ``event_callback`` wrapper Slack sends an event in (HTTP and Socket Mode)."""
        return {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "context_team_id": TEAM_ID,
            "context_enterprise_id": None,
            "api_app_id": APP_ID,
            "event": copy.deepcopy(event),
            "type": "event_callback",
            "event_id": event_id or self._next_id("Ev"),
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "authed_users": [BOT_USER_ID],
            "is_ext_shared_channel": False,
            "event_context": f"4-{uuid.uuid4().hex}",
        }

    def _user_object(self, user: str) -> JSON:
        name = (self.users.get(user) or {}).get("name", user.lower())
        return {"id": user, "username": name, "name": name, "team_id": TEAM_ID}

    def _interaction_base(self, kind: str, user: str, trigger_id: str | None) -> JSON:
        return {
            "type": kind,
            "user": self._user_object(user),
            "api_app_id": APP_ID,
            "token": VERIFICATION_TOKEN,
            "trigger_id": trigger_id or self.new_trigger_id(),
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    @staticmethod
    def _action(block: JSON, element: JSON, value: Any) -> JSON:
        """The ``actions[0]`` entry Slack sends for pressing/choosing ``element``."""
        kind = element.get("type")
        action: JSON = {
            "type": kind,
            "action_id": element.get("action_id"),
            "block_id": block.get("block_id"),
            "action_ts": f"{time.time():.6f}",
        }
        if kind == "button":
            if value is not None and value != element.get("value"):
                raise LookupError(
                    f"button {element.get('action_id')!r} has value {element.get('value')!r}, "
                    f"not {value!r}: Slack sends the button's own value"
                )
            action["text"] = copy.deepcopy(element.get("text"))
            if "value" in element:
                action["value"] = element["value"]
            if "style" in element:
                action["style"] = element["style"]
        elif kind in ("static_select", "overflow", "radio_buttons"):
            options = element.get("options") or [
                o for g in element.get("option_groups") or [] for o in g.get("options", [])
            ]
            chosen = next((o for o in options if o.get("value") == value), None)
            if chosen is None:
                raise LookupError(f"{kind} {element.get('action_id')!r} has no option {value!r}")
            action["selected_option"] = copy.deepcopy(chosen)
        elif kind == "users_select":
            action["selected_user"] = value
        elif kind == "datepicker":
            action["selected_date"] = value
        else:
            action["value"] = value
        return action

    @staticmethod
    def _element(blocks: list[JSON], action_id: str, where: str) -> tuple[JSON, JSON]:
        found = [(b, e) for b, e in _iter_elements(blocks) if e.get("action_id") == action_id]
        if not found:
            ids = [e.get("action_id") for _, e in _iter_elements(blocks)]
            raise LookupError(f"no element with action_id {action_id!r} in {where}; there: {ids}")
        return found[0]

    def block_action(
        self,
        user: str,
        channel: str,
        message_ts: str,
        action_id: str,
        value: Any = None,
        *,
        trigger_id: str | None = None,
    ) -> JSON:
        """A ``block_actions`` payload: ``user`` presses ``action_id`` on the bot's message
        ``message_ts`` in ``channel`` (its current blocks). ``value`` is checked against a
        button's value, or picks the option of a select."""
        stored = self._find(channel, message_ts)
        key = _conversation(channel)
        block, element = self._element(stored.blocks or [], action_id, f"message {message_ts}")
        payload = self._interaction_base("block_actions", user, trigger_id)
        payload.update(
            container={
                "type": "message",
                "message_ts": stored.ts,
                "channel_id": _channel_id(key),
                "is_ephemeral": False,
            },
            channel={"id": _channel_id(key), "name": "directmessage"},
            message=stored.as_event(),
            state={"values": {}},
            response_url=self._response_url(
                {"kind": "block_actions", "channel": key, "user": user, "message_ts": stored.ts}
            ),
            actions=[self._action(block, element, value)],
        )
        return payload

    def _resolve_view(self, view: str) -> JSON:
        if view in self._views:
            return self._views[view]
        for candidate in reversed(list(self._views.values())):
            if candidate["callback_id"] == view:
                return candidate
        raise LookupError(f"no view with id or callback_id {view!r}")

    def view_action(
        self,
        user: str,
        view: str,
        action_id: str,
        value: Any = None,
        *,
        trigger_id: str | None = None,
    ) -> JSON:
        """A ``block_actions`` payload for an element on a modal or Home tab (id or
        callback_id)."""
        current = self._resolve_view(view)
        block, element = self._element(current["blocks"], action_id, f"view {current['id']}")
        payload = self._interaction_base("block_actions", user, trigger_id)
        payload.update(
            container={"type": "view", "view_id": current["id"]},
            view=copy.deepcopy(current),
            actions=[self._action(block, element, value)],
        )
        return payload

    def state_values(self, view: str, values: Mapping[str, Any]) -> JSON:
        """``view.state.values`` for a submission, from ``{action_id: what the user entered}``
        resolved against the view's input blocks (text, number, selects, dates, checkboxes)."""
        current = self._resolve_view(view)
        state: JSON = {}
        for action_id, value in values.items():
            block, element = self._element(current["blocks"], action_id, f"view {current['id']}")
            kind = element.get("type")
            entry: JSON = {"type": kind}
            if kind in ("static_select", "radio_buttons"):
                options = element.get("options") or []
                chosen = next((o for o in options if o.get("value") == value), None)
                if value is not None and chosen is None:
                    raise LookupError(f"{action_id!r} has no option {value!r}")
                entry["selected_option"] = copy.deepcopy(chosen)
            elif kind in ("checkboxes", "multi_static_select"):
                options = element.get("options") or []
                entry["selected_options"] = [
                    copy.deepcopy(o) for o in options if o.get("value") in set(value or [])
                ]
            elif kind == "users_select":
                entry["selected_user"] = value
            elif kind == "conversations_select":
                entry["selected_conversation"] = value
            elif kind == "datepicker":
                entry["selected_date"] = value
            elif kind == "timepicker":
                entry["selected_time"] = value
            else:
                entry["value"] = value
            state.setdefault(block["block_id"], {})[action_id] = entry
        return state

    def view_submission(
        self,
        user: str,
        view: str,
        state_values: JSON | None = None,
        private_metadata: str | None = None,
        *,
        values: Mapping[str, Any] | None = None,
        trigger_id: str | None = None,
    ) -> JSON:
        """A ``view_submission`` payload for the modal ``view`` (view id or callback_id).

        ``state_values`` is Slack's raw ``{block_id: {action_id: {...}}}``; or pass ``values``
        as ``{action_id: value}`` and the fake builds it from the view's blocks.
        """
        current = copy.deepcopy(self._resolve_view(view))
        if values is not None:
            state_values = {**(state_values or {}), **self.state_values(current["id"], values)}
        current["state"] = {"values": state_values or {}}
        if private_metadata is not None:
            current["private_metadata"] = private_metadata
        payload = self._interaction_base("view_submission", user, trigger_id)
        payload.update(view=current, response_urls=[])
        return payload

    def slash_command(
        self,
        command: str = "/safety",
        text: str = "",
        *,
        user_id: str = "U0USER",
        channel_id: str | None = None,
        trigger_id: str | None = None,
    ) -> dict[str, str]:
        """The fields of a slash command invocation (form fields over HTTP, a dict over Socket
        Mode). ``channel_id`` defaults to the user's DM with the bot. ``text`` is what was typed;
        Slack sends it escaped, as in messages."""
        channel = channel_id or _channel_id(user_id)
        key = _conversation(channel)
        user = self._user_object(user_id)
        return {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel,
            "channel_name": "directmessage" if key != channel else channel.lower(),
            "user_id": user_id,
            "user_name": user["name"],
            "command": command,
            "text": slack_escape(text),
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self._response_url(
                {"kind": "command", "channel": key, "user": user_id, "message_ts": None}
            ),
            "trigger_id": trigger_id or self.new_trigger_id(),
        }

    # ---------------------------------------------------------------- delivering over HTTP

    async def _deliver(
        self,
        kind: str,
        ident: str,
        url: str,
        body: str,
        content_type: str,
        signing_secret: str,
        *,
        bad_signature: bool,
        timestamp: int | None,
        extra_headers: dict[str, str] | None = None,
        timeout: float = 10.0,
    ) -> tuple[int, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        secret = signing_secret + "-wrong" if bad_signature else signing_secret
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sign(secret, stamp, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(extra_headers or {}),
        }
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
            session.post(url, data=body.encode(), headers=headers) as response,
        ):
            text = await response.text()
            status = response.status
        elapsed = loop.time() - started
        if elapsed > self.ack_deadline:
            self.late.append((kind, ident, elapsed))
        return status, text

    async def send_event(
        self,
        url: str,
        signing_secret: str,
        event_payload: JSON,
        *,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        event_id: str | None = None,
        bad_signature: bool = False,
        timestamp: int | None = None,
    ) -> tuple[int, str]:
        """POST an event (wrapped in an ``event_callback`` envelope unless it already is one) to
        the bot's Events API URL, signed as Slack signs; returns (status, body).

        A redelivery is the same ``event_id`` with ``retry_num`` (1, 2, 3) - Slack sends it when
        the first answer took over 3 s or failed - and ``X-Slack-Retry-Reason``.
        """
        if event_payload.get("type") == "event_callback":
            envelope = copy.deepcopy(event_payload)
            if event_id is not None:
                envelope["event_id"] = event_id
        else:
            envelope = self.envelope(event_payload, event_id=event_id)
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        status, text = await self._deliver(
            "event",
            envelope["event_id"],
            url,
            json.dumps(envelope),
            "application/json",
            signing_secret,
            bad_signature=bad_signature,
            timestamp=timestamp,
            extra_headers=headers,
        )
        self.delivered.append(("event", envelope, status, text))
        return status, text

    async def send_url_verification(
        self, url: str, signing_secret: str, challenge: str = "fake-challenge"
    ) -> tuple[int, str]:
        """The ``url_verification`` handshake Slack does when the Request URL is set."""
        body = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
        return await self._deliver(
            "url_verification",
            challenge,
            url,
            json.dumps(body),
            "application/json",
            signing_secret,
            bad_signature=False,
            timestamp=None,
        )

    async def send_interaction(
        self,
        url: str,
        signing_secret: str,
        payload: JSON,
        *,
        bad_signature: bool = False,
        timestamp: int | None = None,
    ) -> tuple[int, str]:
        """POST an interaction (block_actions, view_submission, ...) as the form field
        ``payload=<json>``, signed; returns (status, body) - e.g. a view_submission's
        ``response_action`` JSON."""
        body = urlencode({"payload": json.dumps(payload)})
        status, text = await self._deliver(
            payload.get("type", "interaction"),
            str(payload.get("trigger_id", "")),
            url,
            body,
            "application/x-www-form-urlencoded",
            signing_secret,
            bad_signature=bad_signature,
            timestamp=timestamp,
        )
        self.delivered.append(("interaction", payload, status, text))
        return status, text

    async def send_command(
        self,
        url: str,
        signing_secret: str,
        command: str = "/safety",
        text: str = "",
        *,
        user_id: str = "U0USER",
        channel_id: str | None = None,
        trigger_id: str | None = None,
        bad_signature: bool = False,
        timestamp: int | None = None,
    ) -> tuple[int, str]:
        """POST a slash command, form-encoded and signed; returns (status, body)."""
        fields = self.slash_command(
            command, text, user_id=user_id, channel_id=channel_id, trigger_id=trigger_id
        )
        status, body = await self._deliver(
            "command",
            fields["trigger_id"],
            url,
            urlencode(fields),
            "application/x-www-form-urlencoded",
            signing_secret,
            bad_signature=bad_signature,
            timestamp=timestamp,
        )
        self.delivered.append(("command", fields, status, body))
        return status, body

    # ---------------------------------------------------------------- Socket Mode

    async def _handle_socket(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets or self._closing:
            self.violations.append("socket: connected without a ticket from apps.connections.open")
            return web.Response(status=401, text="invalid ticket")
        self._tickets.discard(ticket)  # a URL from apps.connections.open is good for one connect
        # autoping off so the fake can count the client's pings; it answers them itself.
        ws = web.WebSocketResponse(autoping=False)
        await ws.prepare(request)
        socket = _Socket(ws, ticket, self.clock())
        self._sockets.append(socket)
        self.socket_connections += 1
        self.socket_connected.set()
        try:
            await ws.send_json(
                {
                    "type": "hello",
                    "num_connections": len(self._sockets),
                    "debug_info": {
                        "host": "applink-fake",
                        "build_number": 1,
                        "approximate_connection_time": 3600,
                    },
                    "connection_info": {"app_id": APP_ID},
                }
            )
            async for message in ws:
                if message.type == WSMsgType.PING:
                    self.socket_pings += 1
                    await ws.pong(message.data)
                elif message.type == WSMsgType.TEXT:
                    self._socket_text(message.data)
                elif message.type == WSMsgType.BINARY:
                    self.violations.append("socket: the client sent a binary frame")
        finally:
            self._sockets.remove(socket)
            if not self._sockets:
                self.socket_connected.clear()
        return ws

    def _socket_text(self, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            self.violations.append(f"socket: not JSON: {data[:200]!r}")
            return
        if not isinstance(message, dict) or "envelope_id" not in message:
            self.violations.append(f"socket: not an ack: {data[:200]!r}")
            return
        self.socket_received.append(message)
        sent = self._envelopes.get(message["envelope_id"])
        if sent is None:
            self.violations.append(f"socket: ack for unknown envelope {message['envelope_id']}")
            return
        if sent.acked.is_set():
            self.violations.append(f"socket: envelope {message['envelope_id']} acked twice")
            return
        # A payload on an envelope that does not accept one is ignored by Slack (Bolt sends
        # one when authorization fails), so it is not a violation.
        elapsed = self.clock() - sent.sent_at
        if elapsed > self.ack_deadline:
            self.late.append(("socket", message["envelope_id"], elapsed))
        sent.ack = message
        sent.acked.set()

    async def _current_socket(self, timeout: float) -> web.WebSocketResponse:
        try:
            await asyncio.wait_for(self.socket_connected.wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"no Socket Mode client connected within {timeout}s") from None
        return self._sockets[-1].ws

    async def socket_send(
        self,
        envelope_type: str,
        payload: JSON,
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        accepts_response_payload: bool | None = None,
        envelope_id: str | None = None,
        timeout: float = 5.0,
    ) -> str:
        """Send an envelope to the newest connected client; returns its ``envelope_id``.

        ``envelope_type`` is ``"events_api"`` (``payload`` an event, wrapped in an
        ``event_callback`` envelope unless it already is one), ``"interactive"`` (a
        block_actions / view_submission payload) or ``"slash_commands"``. Events carry
        ``retry_attempt``/``retry_reason`` as Slack's do (0 and "" for a first delivery).
        """
        if envelope_type not in ("events_api", "interactive", "slash_commands"):
            raise ValueError(f"unknown envelope type {envelope_type!r}")
        if envelope_type == "events_api" and payload.get("type") != "event_callback":
            payload = self.envelope(payload)
        if accepts_response_payload is None:
            accepts_response_payload = envelope_type != "events_api"
        envelope: JSON = {
            "envelope_id": envelope_id or str(uuid.uuid4()),
            "type": envelope_type,
            "payload": copy.deepcopy(payload),
            "accepts_response_payload": accepts_response_payload,
        }
        if envelope_type == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        ws = await self._current_socket(timeout)
        self._envelopes[envelope["envelope_id"]] = SentEnvelope(envelope, self.clock())
        await ws.send_json(envelope)
        return str(envelope["envelope_id"])

    async def socket_acked(self, envelope_id: str, timeout: float = 5.0) -> JSON:
        """Wait for the client's ack of ``envelope_id``; returns it (``{"envelope_id",
        "payload"?}``)."""
        sent = self._envelopes[envelope_id]
        try:
            await asyncio.wait_for(sent.acked.wait(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"envelope {envelope_id} ({sent.envelope['type']}) not acked within {timeout}s; "
                f"violations: {self.violations}"
            ) from None
        assert sent.ack is not None
        return dict(sent.ack)

    def socket_ack(self, envelope_id: str) -> JSON | None:
        """The ack of ``envelope_id`` if it came, else None (no waiting)."""
        sent = self._envelopes[envelope_id]
        return dict(sent.ack) if sent.ack is not None else None

    async def socket_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the clients to reconnect, as Slack does every few hours ("refresh_requested") or
        before maintenance ("warning"); slack_sdk fetches a new URL and reconnects."""
        for socket in list(self._sockets):
            await socket.ws.send_json(
                {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake"}}
            )

    async def socket_drop(self) -> None:
        """Close every connection without a ``disconnect`` warning (close code 1011, as when a
        Slack host fails); slack_sdk reconnects with a new URL."""
        for socket in list(self._sockets):
            await socket.ws.close(code=aiohttp.WSCloseCode.INTERNAL_ERROR)
