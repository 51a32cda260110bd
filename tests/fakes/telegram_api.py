"""A local fake of the Telegram Bot API, served over real HTTP.

Why a fake server rather than mocking python-telegram-bot: the adapter tests should exercise the
real library (its request encoding, error mapping, update parsing, rate limiter) against something
that answers the way Telegram does. The fake therefore

* checks every request against the published Bot API spec (``telegram-bot-api.json``) and the
  documented limits, answers a bad request the way Telegram would *and* records it in
  :attr:`FakeTelegram.violations`, so a test can assert the bot never sends anything Telegram
  would refuse;
* keeps the state a user would see (messages in each chat, edits applied in place);
* lets a test create incoming updates, redeliver them, inject failures, block chats and upgrade
  a group to a supergroup (:meth:`FakeTelegram.migrate_group`);
* applies Telegram's documented flood limits, counting hits in :attr:`FakeTelegram.rate_limited`.

Usage::

    async with FakeTelegram() as fake:
        bot = telegram.Bot("123:ABC", base_url=fake.base_url)
        ...
        assert fake.violations == []

Everything runs on the test's event loop; the helpers are plain methods, no locking needed.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import itertools
import json
import math
import os
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import aiohttp
from aiohttp import web

from fakes.common import Waiting

# The official API description, kept in the repository (tests/specs/README.md says where from).
_DEFAULT_SPEC = Path(__file__).resolve().parents[1] / "specs" / "telegram-bot-api.json"
SPEC_PATH = Path(os.environ.get("FSB_TELEGRAM_SPEC", str(_DEFAULT_SPEC)))

BOT_ID = 4242
BOT_USERNAME = "fsb_test_bot"
BOT_USER: dict[str, Any] = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Friendly Space Bot",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}

TEXT_LIMIT = 4096  # sendMessage / editMessageText: UTF-16 code units after entity parsing
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200
CALLBACK_DATA_LIMIT = 64  # bytes, UTF-8
GLOBAL_PER_SECOND = 30  # "no more than 30 messages per second" overall
GROUP_PER_MINUTE = 20  # "no more than 20 messages per minute" to the same group

PARSE_MODES = {"html", "markdown", "markdownv2"}
CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
# Telegram only creates these update kinds when asked for them explicitly.
NOT_DEFAULT_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
BLOCKED_DESCRIPTION = "Forbidden: bot was blocked by the user"
NOT_STARTED_DESCRIPTION = "Forbidden: bot can't initiate conversation with a user"
DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: BLOCKED_DESCRIPTION,
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
MIGRATED_DESCRIPTION = "Bad Request: group chat was upgraded to a supergroup chat"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)

JSON = dict[str, Any]
ChatKey = int | str


# --------------------------------------------------------------------------------------------
# Telegram's HTML dialect
# --------------------------------------------------------------------------------------------


class HtmlError(ValueError):
    """Text that Telegram's HTML parse mode would refuse ("can't parse entities")."""


_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "code",
    "pre",
    "a",
    "span",
    "tg-spoiler",
    "blockquote",
}
_SIMPLE_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}
# Telegram supports all numeric entities but only these four named ones.
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8}));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTR_NAME_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_:.-]*")


def _utf16_len(text: str) -> int:
    """Entity offsets in the Bot API are in UTF-16 code units."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def _decode_entity(match: re.Match[str]) -> str | None:
    named, dec, hexa = match.groups()
    if named:
        return _NAMED_ENTITIES[named]
    code = int(dec) if dec else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _unescape_attribute(value: str) -> str:
    """Attribute values (hrefs) are decoded leniently: unknown ``&`` stays literal."""

    def repl(match: re.Match[str]) -> str:
        decoded = _decode_entity(match)
        return match.group(0) if decoded is None else decoded

    return _ENTITY_RE.sub(repl, value)


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the plain text
    parent: str | None


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Parse Telegram-flavoured HTML into (plain text, MessageEntity list) or raise HtmlError.

    Stricter than "anything a browser accepts" on purpose: the tags, the four named entities and
    the escaping rules are the ones in https://core.telegram.org/bots/api#html-style, and a bare
    ``&`` that does not start an entity is refused so the bot always escapes user text.
    """

    def at(pos: int) -> str:
        return f"at byte offset {len(text[:pos].encode('utf-8'))}"

    out: list[str] = []
    offset = 0
    stack: list[_OpenTag] = []
    entities: list[JSON] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "<" and text.startswith("</", i):
            end = text.find(">", i + 2)
            if end < 0:
                raise HtmlError(f"Unclosed end tag {at(i)}")
            name = text[i + 2 : end].strip().lower()
            if not stack:
                raise HtmlError(f'Unexpected end tag "</{name}>" {at(i)}')
            top = stack.pop()
            if name != top.name:
                raise HtmlError(
                    f'Unmatched end tag {at(i)}, expected "</{top.name}>", found "</{name}>"'
                )
            entity = _entity_for(top, offset)
            inner_pre = entities[-1] if entities and entities[-1]["type"] == "pre" else None
            if entity is not None and entity["type"] == "pre" and inner_pre is not None:
                same_span = (inner_pre["offset"], inner_pre["length"]) == (
                    entity["offset"],
                    entity["length"],
                )
                if same_span:
                    entity = None  # <pre><code class="language-x"> already made this entity
            if entity is not None:
                entities.append(entity)
            i = end + 1
            continue
        if ch == "<":
            match = _TAG_NAME_RE.match(text, i + 1)
            name = match.group(0).lower() if match else ""
            if match is None or name not in _ALLOWED_TAGS:
                raise HtmlError(f'Unsupported start tag "{name}" {at(i)}')
            j = match.end()
            attrs: dict[str, str] = {}
            while True:
                while j < n and text[j].isspace():
                    j += 1
                if j >= n:
                    raise HtmlError(f'Unclosed start tag "{name}" {at(i)}')
                if text[j] == ">":
                    j += 1
                    break
                attr = _ATTR_NAME_RE.match(text, j)
                if attr is None:
                    raise HtmlError(f'Unexpected character in start tag "{name}" {at(j)}')
                attr_name = attr.group(0).lower()
                j = attr.end()
                while j < n and text[j].isspace():
                    j += 1
                value = ""
                if j < n and text[j] == "=":
                    j += 1
                    while j < n and text[j].isspace():
                        j += 1
                    if j < n and text[j] in "\"'":
                        close = text.find(text[j], j + 1)
                        if close < 0:
                            raise HtmlError(f'Unclosed attribute value in tag "{name}" {at(j)}')
                        value = text[j + 1 : close]
                        j = close + 1
                    else:
                        start = j
                        while j < n and not text[j].isspace() and text[j] != ">":
                            j += 1
                        value = text[start:j]
                attrs[attr_name] = _unescape_attribute(value)
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise HtmlError(f'Tag "span" must have class "tg-spoiler" {at(i)}')
            stack.append(_OpenTag(name, attrs, offset, stack[-1].name if stack else None))
            i = j
            continue
        if ch == "&":
            entity_match = _ENTITY_RE.match(text, i)
            decoded = _decode_entity(entity_match) if entity_match else None
            if entity_match is None or decoded is None:
                raise HtmlError(
                    f'Character "&" {at(i)} does not start a supported entity; escape it as &amp;'
                )
            out.append(decoded)
            offset += _utf16_len(decoded)
            i = entity_match.end()
            continue
        out.append(ch)
        offset += 2 if ord(ch) > 0xFFFF else 1
        i += 1
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _entity_for(tag: _OpenTag, end: int) -> JSON | None:
    """The MessageEntity Telegram would create for a closed tag (None for empty ones)."""
    length = end - tag.start
    if length <= 0:
        return None
    entity: JSON = {"offset": tag.start, "length": length}
    if tag.name in _SIMPLE_ENTITY:
        entity["type"] = _SIMPLE_ENTITY[tag.name]
    elif tag.name == "a":
        if not tag.attrs.get("href"):
            return None
        entity.update(type="text_link", url=tag.attrs["href"])
    elif tag.name == "pre":
        entity["type"] = "pre"
    elif tag.name == "code":
        language = tag.attrs.get("class", "")
        if tag.parent == "pre":
            # <pre><code class="language-x"> is one pre entity with a language, not two.
            if not language.startswith("language-"):
                return None
            entity.update(type="pre", language=language.removeprefix("language-"))
        else:
            entity["type"] = "code"
    elif tag.name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
    else:  # pragma: no cover - _ALLOWED_TAGS and this mapping are kept in step
        return None
    return entity


# --------------------------------------------------------------------------------------------
# The spec
# --------------------------------------------------------------------------------------------


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, dict):
        return "Object"
    return type(value).__name__


class ApiSpec:
    """The machine-readable Bot API spec: method fields, type fields, subtypes."""

    def __init__(self, path: Path = SPEC_PATH) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.version: str = data.get("version", "?")
        self.methods: dict[str, JSON] = data["methods"]
        self.types: dict[str, JSON] = data["types"]
        # "All methods in the Bot API are case-insensitive."
        self._by_lower = {name.lower(): name for name in self.methods}

    def canonical(self, method: str) -> str | None:
        return self._by_lower.get(method.lower())

    def fields(self, method: str) -> dict[str, JSON]:
        return {f["name"]: f for f in self.methods[method].get("fields", [])}

    def returns(self, method: str) -> list[str]:
        return list(self.methods[method].get("returns", []))

    def type_fields(self, name: str) -> list[JSON]:
        """The fields of a type (``ChatMemberRestricted``), as the spec lists them."""
        return list(self.types[name].get("fields", []))

    def decode(self, types: list[str] | None, raw: Any) -> Any:
        """Turn a form value back into what the client meant.

        PTB (like most clients) sends each parameter as a form field, with non-strings JSON
        encoded. Decoding blindly would turn the message text ``"42"`` into an integer, so
        fields that can only be strings stay strings; others are JSON-decoded when they parse.
        """
        if not isinstance(raw, str):
            return raw
        if types is not None and all(t == "String" for t in types):
            return raw
        try:
            decoded = json.loads(raw)
        except ValueError:
            return raw
        if types is not None and "String" in types and self.check(decoded, types, "_"):
            return raw  # e.g. chat_id "@channel" stays a string
        return decoded

    def check(self, value: Any, types: list[str], path: str) -> list[str]:
        """Problems with ``value`` as one of ``types`` (empty when it fits any of them)."""
        best: list[str] | None = None
        for type_ in types:
            problems = self._check_one(value, type_, path)
            if not problems:
                return []
            if best is None or len(problems) < len(best):
                best = problems
        return best or []

    def _check_one(self, value: Any, type_: str, path: str) -> list[str]:
        if type_.startswith("Array of "):
            if not isinstance(value, list):
                return [f"{path}: expected {type_}, got {_type_name(value)}"]
            inner = type_.removeprefix("Array of ")
            return [
                p
                for k, item in enumerate(value)
                for p in self._check_one(item, inner, f"{path}[{k}]")
            ]
        if type_ == "Integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif type_ in ("Float", "Float number"):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif type_ == "String":
            ok = isinstance(value, str)
        elif type_ == "Boolean":
            ok = isinstance(value, bool)
        elif type_ == "True":
            ok = value is True
        elif type_ == "InputFile":
            ok = True  # an upload, a file_id or a URL
        elif type_ in self.types:
            return self._check_object(value, type_, path)
        else:
            ok = True  # a type the spec does not describe: nothing to check against
        return [] if ok else [f"{path}: expected {type_}, got {_type_name(value)}"]

    def _check_object(self, value: Any, type_: str, path: str) -> list[str]:
        spec = self.types[type_]
        if spec.get("subtypes"):
            return self.check(value, list(spec["subtypes"]), path)
        if not isinstance(value, dict):
            return [f"{path}: expected {type_}, got {_type_name(value)}"]
        fields = {f["name"]: f for f in spec.get("fields", [])}
        problems = [
            f"{path}: unknown field {key!r} in {type_}" for key in value if key not in fields
        ]
        for name, f in fields.items():
            if name not in value:
                if f.get("required"):
                    problems.append(f"{path}: {type_} is missing required field {name!r}")
                continue
            problems += self.check(value[name], f["types"], f"{path}.{name}")
        return problems


# --------------------------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------------------------


class ApiError(Exception):
    """An error answer, carried from a method handler to the HTTP response."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass
class StoredMessage:
    """A message the bot sent, as the chat currently shows it."""

    chat_id: ChatKey
    message_id: int
    date: int
    text: str | None  # as shown, after entity parsing (what Telegram's Message.text holds)
    raw_text: str | None  # as sent
    parse_mode: str | None
    entities: list[JSON]
    reply_markup: JSON | None
    method: str = "sendMessage"
    caption: str | None = None
    edit_count: int = 0
    edit_date: int | None = None
    deleted: bool = False


@dataclass
class _QueuedUpdate:
    update: JSON
    delivered: bool = False  # handed out by getUpdates since it was queued


@dataclass
class _Failure:
    method: str
    status: int
    description: str
    retry_after: int | None
    chat_id: ChatKey | None
    remaining: int


@dataclass
class WebhookState:
    url: str = ""
    secret_token: str | None = None
    allowed_updates: list[str] | None = None
    max_connections: int | None = None
    params: JSON = field(default_factory=dict)


def _chat_key(value: Any) -> ChatKey:
    """Chat ids arrive as ints or as strings; normalise so lookups agree."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    text = str(value)
    try:
        return int(text)
    except ValueError:
        return text


def _scope_chat(params: JSON) -> ChatKey | None:
    """The chat a command-menu call (``setMyCommands`` and friends) is scoped to, if any."""
    scope = params.get("scope")
    if isinstance(scope, dict) and "chat_id" in scope:
        return _chat_key(scope["chat_id"])
    return None


def _normalise_markup(markup: Any) -> JSON | None:
    """An empty inline keyboard is the same as none, as far as the chat shows."""
    if not isinstance(markup, dict) or not markup:
        return None
    if "inline_keyboard" in markup and not any(markup["inline_keyboard"]):
        return None
    return markup


def _update_kind(update: JSON) -> str:
    return next(key for key in update if key != "update_id")


class FakeTelegram(Waiting):
    """A Telegram Bot API server on 127.0.0.1 with inspection and fault-injection helpers.

    Attributes tests read:

    * ``base_url`` - pass to ``telegram.Bot(token, base_url=...)``; ``base_file_url`` likewise.
    * ``violations`` - requests Telegram would refuse as malformed (assert it stays ``[]``).
    * ``errors`` - every error answer that was not injected or a flood limit, as
      ``(method, status, description)``; includes violations and e.g. "message is not modified".
    * ``injected`` - failures from :meth:`fail_next` / :meth:`block` as they were served.
    * ``rate_limited`` - how many requests hit Telegram's flood limits.
    * ``calls`` - ``(method, params)`` in arrival order, params decoded.
    * ``commands`` - ``setMyCommands`` per scope key (see :meth:`scope_key`).
    * ``webhook`` - the registered webhook; ``token_seen`` - the last token used.
    """

    def __init__(
        self,
        spec_path: Path | None = None,
        *,
        rate_limits: bool = True,
        flood_model: Literal["bucket", "window"] = "bucket",
        flood_jitter: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.spec = ApiSpec(spec_path or SPEC_PATH)
        self.rate_limits = rate_limits
        self.flood_model = flood_model
        self.flood_jitter = flood_jitter
        self.clock = clock

        self.violations: list[str] = []
        self.errors: list[tuple[str, int, str]] = []
        self.injected: list[tuple[str, int, str]] = []
        self.rate_limited = 0
        self.calls: list[tuple[str, JSON]] = []
        self.commands: dict[str, list[JSON]] = {}
        # The language each user's Telegram app is set to (User.language_code), by user id;
        # every update from them carries it, as Telegram's do.
        self.language_codes: dict[int, str] = {}
        self.webhook = WebhookState()
        self.answered_callbacks: dict[str, JSON] = {}
        self.uploads: list[tuple[str, str, str | None, bytes]] = []
        self.token_seen: str | None = None
        # getMe's answer; can_read_all_group_messages True is privacy mode off (see privacy_mode)
        self.bot_user: JSON = dict(BOT_USER)
        # Groups the bot is not in, or may not post in (getChatMember of the bot there)
        self.bot_left: set[ChatKey] = set()
        self.bot_muted: set[ChatKey] = set()

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = False

        self._queue: list[_QueuedUpdate] = []
        self._update_ids = itertools.count(1)
        self._wakeup = asyncio.Event()
        self._poll_generation = 0
        self._allowed_updates: list[str] | None = None

        self._messages: dict[ChatKey, dict[int, StoredMessage]] = defaultdict(dict)
        self._message_ids: dict[ChatKey, itertools.count[int]] = {}
        self._chats: dict[ChatKey, JSON] = {}
        self._callback_ids = itertools.count(1)
        self._callbacks: set[str] = set()
        self._files: dict[str, JSON] = {}
        self._file_contents: dict[str, bytes] = {}  # file_path -> bytes served for download
        self._file_ids = itertools.count(1)

        self._failures: list[_Failure] = []
        self._blocked: set[ChatKey] = set()
        self._blocked_why: dict[ChatKey, str] = {}  # a 403 other than "blocked by the user"
        self._token_revoked = False  # see revoke_token
        self._migrated: dict[ChatKey, int] = {}  # a group upgraded to a supergroup: old -> new
        self._buckets: dict[ChatKey, tuple[float, float]] = {}  # key -> (level, at)
        self._windows: dict[ChatKey, deque[float]] = defaultdict(deque)

        self._handlers: dict[str, Callable[[JSON], Any]] = {
            "getMe": lambda p: dict(self.bot_user),
            "getChatMember": self._get_chat_member,
            "logOut": lambda p: True,
            "close": lambda p: True,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendChatAction": lambda p: True,
            "getFile": self._get_file,
        }

    # ---------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        # handler_cancellation: a client that hangs up on a long poll must not keep it alive.
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
        self._notify()  # long polls answer [] at once instead of holding up shutdown
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeTelegram is not running; use `async with FakeTelegram()`")
        return self._port

    @property
    def base_url(self) -> str:
        """PTB builds ``{base_url}{token}/{method}``."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ---------------------------------------------------------------- HTTP

    async def _read_params(self, request: web.Request, method: str | None) -> JSON:
        fields = self.spec.fields(method) if method else {}
        raw: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            content_type = request.content_type
            if content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise ApiError(400, "Bad Request: request body must be a JSON object")
                raw.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        content = value.file.read()
                        self.uploads.append((method or "?", key, value.filename, content))
                        if key in fields:  # uploaded directly under the parameter's name
                            raw[key] = {"upload": value.filename, "size": len(content)}
                        # otherwise it is an attach://<name> part referenced by a parameter
                    else:
                        raw[key] = value
        return {
            key: self.spec.decode(fields[key]["types"] if key in fields else None, value)
            for key, value in raw.items()
        }

    async def _handle(self, request: web.Request) -> web.Response:
        self.token_seen = request.match_info["token"]
        asked = request.match_info["method"]
        method = self.spec.canonical(asked)
        try:
            params = await self._read_params(request, method)
        except ApiError as exc:
            self.calls.append((method or asked, {}))
            return self._error(method or asked, exc)
        except ValueError as exc:  # a body that is not valid JSON / form data
            self.calls.append((method or asked, {}))
            self.violations.append(f"{method or asked}: unreadable request body: {exc}")
            return self._error(method or asked, ApiError(400, f"Bad Request: {exc}"))
        self.calls.append((method or asked, params))

        if method is None:
            self.violations.append(f"{asked}: no such method in Bot API {self.spec.version}")
            return self._error(asked, ApiError(404, "Not Found"))

        problems = self.validate(method, params)
        if problems:
            for _, detail in problems:
                self.violations.append(f"{method}: {detail}")
            return self._error(method, ApiError(400, problems[0][0]))

        chat = _chat_key(params["chat_id"]) if "chat_id" in params else None
        # fail_next(chat_id=...) also reaches a menu call scoped to that chat
        injected = self._take_failure(method, chat if chat is not None else _scope_chat(params))
        if injected is not None:
            self.injected.append((method, injected.status, injected.description))
            return self._respond_error(injected)
        if chat is not None and chat in self._blocked:
            description = self._blocked_why.get(chat, BLOCKED_DESCRIPTION)
            self.injected.append((method, 403, description))
            return self._respond_error(ApiError(403, description))
        if chat is not None and chat in self._migrated:
            self.injected.append((method, 400, MIGRATED_DESCRIPTION))
            moved = {"migrate_to_chat_id": self._migrated[chat]}
            return self._respond_error(ApiError(400, MIGRATED_DESCRIPTION, moved))
        if self.rate_limits and self._counts_as_message(method):
            retry_after = self._flood_check(chat)
            if retry_after is not None:
                self.rate_limited += 1
                return self._respond_error(
                    ApiError(
                        429,
                        f"Too Many Requests: retry after {retry_after}",
                        {"retry_after": retry_after},
                    )
                )

        try:
            handler = self._handlers.get(method)
            if handler is not None:
                result = handler(params)
                if inspect.isawaitable(result):
                    result = await result
            else:
                result = self._generic(method, params)
        except ApiError as exc:
            return self._error(method, exc)
        except Exception as exc:  # a gap in the fake: make it loud, not a silent 500
            self.violations.append(f"{method}: the fake could not handle this call: {exc!r}")
            return self._error(method, ApiError(500, f"Internal Server Error: {exc!r}"))
        return web.json_response({"ok": True, "result": result})

    def _error(self, method: str, exc: ApiError) -> web.Response:
        self.errors.append((method, exc.status, exc.description))
        return self._respond_error(exc)

    @staticmethod
    def _respond_error(exc: ApiError) -> web.Response:
        body: JSON = {"ok": False, "error_code": exc.status, "description": exc.description}
        if exc.parameters:
            body["parameters"] = exc.parameters
        return web.json_response(body, status=exc.status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        known = any(f.get("file_path") == path for f in self._files.values())
        if not known:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        content = self._file_contents.get(path, f"fake file contents: {path}".encode())
        return web.Response(body=content)

    # ---------------------------------------------------------------- validation

    def validate(self, method: str, params: JSON) -> list[tuple[str, str]]:
        """(Telegram's description, what exactly is wrong) for each problem with a request."""
        fields = self.spec.fields(method)
        problems: list[tuple[str, str]] = []
        for name in params:
            if name not in fields:
                problems.append(
                    (f"Bad Request: unknown parameter {name}", f"unknown field {name!r}")
                )
        for name, spec in fields.items():
            if name not in params:
                if spec.get("required"):
                    problems.append(
                        (f"Bad Request: {name} is empty", f"missing required field {name!r}")
                    )
                continue
            for detail in self.spec.check(params[name], spec["types"], name):
                problems.append((f"Bad Request: wrong type of parameter {name}", detail))
        if problems:
            return problems  # the checks below assume well-typed parameters

        parse_mode = params.get("parse_mode")
        if parse_mode and parse_mode.lower() not in PARSE_MODES:
            problems.append(
                (f"Bad Request: unsupported parse_mode {parse_mode}", f"parse_mode {parse_mode!r}")
            )
        if method in ("sendMessage", "editMessageText") and "rich_message" not in params:
            problems += self._check_text(params.get("text"), parse_mode, "text", TEXT_LIMIT)
        elif "caption" in params:
            problems += self._check_text(params["caption"], parse_mode, "caption", CAPTION_LIMIT)
        if (
            method == "answerCallbackQuery"
            and len(params.get("text") or "") > CALLBACK_ANSWER_LIMIT
        ):
            problems.append(
                ("Bad Request: MESSAGE_TOO_LONG", f"callback answer over {CALLBACK_ANSWER_LIMIT}")
            )
        if method == "sendChatAction" and params["action"] not in CHAT_ACTIONS:
            problems.append(
                ("Bad Request: wrong parameter action in request", f"action {params['action']!r}")
            )
        if method == "setMyCommands":
            problems += self._check_commands(params["commands"])
        if method == "setWebhook":
            problems += self._check_webhook(params)
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and isinstance(markup.get("inline_keyboard"), list):
            problems += self._check_inline_keyboard(markup["inline_keyboard"])
        return problems

    def _check_text(
        self, text: str | None, parse_mode: str | None, name: str, limit: int
    ) -> list[tuple[str, str]]:
        if text is None:
            if name == "text":
                return [("Bad Request: message text is empty", "text is missing")]
            return []
        try:
            plain, _ = self.render(text, parse_mode)
        except HtmlError as exc:
            return [(f"Bad Request: can't parse entities: {exc}", f"{name}: {exc}: {text[:200]!r}")]
        if name == "text" and not plain.strip():
            return [("Bad Request: message text is empty", "text is empty after entity parsing")]
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return [("Bad Request: strings must be encoded in UTF-8", f"{name} is not valid UTF-8")]
        length = _utf16_len(plain)  # Telegram counts UTF-16 code units, not characters
        if length > limit:
            what = "message is too long" if name == "text" else "message caption is too long"
            return [
                (
                    f"Bad Request: {what}",
                    f"{name} is {length} UTF-16 code units after entity parsing (limit {limit})",
                )
            ]
        return []

    def _check_inline_keyboard(self, rows: list[Any]) -> list[tuple[str, str]]:
        # "Exactly one of the fields other than text, icon_custom_emoji_id, and style must be used"
        button_fields = {f["name"] for f in self.spec.types["InlineKeyboardButton"]["fields"]}
        actions = button_fields - {"text", "icon_custom_emoji_id", "style"}
        problems: list[tuple[str, str]] = []
        for r, row in enumerate(rows):
            for c, button in enumerate(row):
                where = f"inline_keyboard[{r}][{c}] {button.get('text')!r}"
                used = [key for key in actions if key in button]
                if len(used) != 1:
                    problems.append(
                        (
                            "Bad Request: can't parse inline keyboard button: "
                            "Text buttons are unallowed in the inline keyboard",
                            f"{where} must use exactly one action field, has {sorted(used)}",
                        )
                    )
                data = button.get("callback_data")
                if data is not None:
                    size = len(data.encode("utf-8"))
                    if not 1 <= size <= CALLBACK_DATA_LIMIT:
                        problems.append(
                            (
                                "Bad Request: BUTTON_DATA_INVALID",
                                f"{where}: callback_data is {size} bytes "
                                f"(1-{CALLBACK_DATA_LIMIT} allowed)",
                            )
                        )
        return problems

    @staticmethod
    def _check_commands(commands: list[JSON]) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        for command in commands:
            name, description = command.get("command", ""), command.get("description", "")
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                problems.append(("Bad Request: BOT_COMMAND_INVALID", f"command {name!r}"))
            if not 1 <= len(description) <= 256:
                problems.append(
                    ("Bad Request: command description is invalid", f"description of {name!r}")
                )
        if len(commands) > 100:
            problems.append(("Bad Request: too many commands", f"{len(commands)} commands"))
        return problems

    @staticmethod
    def _check_webhook(params: JSON) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        url = params["url"]
        if url and not url.startswith("https://"):
            problems.append(
                (
                    "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
                    f"webhook url {url!r} is not HTTPS",
                )
            )
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            problems.append(
                ("Bad Request: secret token contains unallowed characters", "secret_token")
            )
        return problems

    @staticmethod
    def render(text: str, parse_mode: str | None, entities: Any = None) -> tuple[str, list[JSON]]:
        """Text as the chat shows it, with its entities (HTML is parsed; Markdown is not)."""
        if parse_mode and parse_mode.lower() == "html":
            return parse_html(text)
        return text, list(entities) if isinstance(entities, list) else []

    # ---------------------------------------------------------------- failures & flood limits

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        chat_id: int | str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` ("*" = any) with an error.

        With ``chat_id`` only calls to that chat are affected (a ``setMyCommands`` whose scope
        names that chat among them). A 429 always carries
        ``parameters.retry_after`` (default 1), as Telegram's do.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                description = DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
        canonical = method if method == "*" else self.spec.canonical(method)
        if canonical is None:
            raise ValueError(f"fail_next: {method!r} is not a Bot API method")
        self._failures.append(
            _Failure(
                method=canonical,
                status=status,
                description=description,
                retry_after=retry_after,
                chat_id=None if chat_id is None else _chat_key(chat_id),
                remaining=times,
            )
        )

    def block(self, chat_id: int | str) -> None:
        """The user blocked the bot: every call to that chat gets 403 until :meth:`unblock`."""
        self._blocked.add(_chat_key(chat_id))

    def unblock(self, chat_id: int | str) -> None:
        self._blocked.discard(_chat_key(chat_id))
        self._blocked_why.pop(_chat_key(chat_id), None)

    def never_started(self, chat_id: int | str) -> None:
        """The user never pressed Start: Telegram refuses every call to their private chat with
        403 "Forbidden: bot can't initiate conversation with a user" until :meth:`unblock`."""
        self._blocked.add(_chat_key(chat_id))
        self._blocked_why[_chat_key(chat_id)] = NOT_STARTED_DESCRIPTION

    def privacy_mode(self, enabled: bool) -> None:
        """@BotFather's /setprivacy: getMe's ``can_read_all_group_messages`` is True when it is
        disabled (the bot then receives every message in its groups)."""
        self.bot_user["can_read_all_group_messages"] = not enabled

    def leave_group(self, chat_id: int | str, *, muted: bool = False) -> None:
        """The bot was removed from a group (``muted``: it stays but may not send messages), as
        getChatMember of the bot there answers."""
        (self.bot_muted if muted else self.bot_left).add(_chat_key(chat_id))

    def _get_chat_member(self, params: JSON) -> JSON:
        """A ChatMember: the bot as a member of a group (left or restricted as set by
        :meth:`leave_group`); anyone else as a plain member. A private chat other than the
        user's own has no members to ask about."""
        chat = _chat_key(params["chat_id"])
        user_id = int(params["user_id"])
        if user_id == BOT_ID:
            user: JSON = dict(self.bot_user)
            if chat in self.bot_left:  # as Telegram answers about a group the bot is not in
                raise ApiError(403, "Forbidden: bot is not a member of the group chat")
            if chat in self.bot_muted:
                # every field the spec requires of a ChatMemberRestricted, permissions all off
                restricted: JSON = {"status": "restricted", "user": user, "until_date": 0}
                for spec_field in self.spec.type_fields("ChatMemberRestricted"):
                    name = spec_field["name"]
                    if spec_field.get("required") and name not in restricted:
                        restricted[name] = name == "is_member"
                return restricted
            return {"status": "member", "user": user}
        return {"status": "member", "user": self._user(user_id, f"User {user_id}", None)}

    def revoke_token(self) -> None:
        """The bot's token was revoked (BotFather): every call answers 401 Unauthorized until
        :meth:`restore_token`."""
        self._token_revoked = True

    def restore_token(self) -> None:
        self._token_revoked = False

    def migrate_group(
        self,
        old: int,
        new: int,
        *,
        by_user: int = 1,
        service_messages: tuple[str, ...] = ("migrate_to", "migrate_from"),
    ) -> list[JSON]:
        """Upgrade group ``old`` to supergroup ``new``, as Telegram does: from now on every call
        to ``old`` is answered 400 with ``parameters.migrate_to_chat_id``, and (unless left out
        of ``service_messages``) the bot receives the service message in each chat, the old
        group's carrying ``migrate_to_chat_id`` and the new supergroup's
        ``migrate_from_chat_id``. Returns the updates queued."""
        if old >= 0 or new >= 0:
            raise ValueError("group and supergroup ids are negative")
        self._migrated[old] = new
        title = (self._chats.get(old) or {}).get("title", "Test Group")
        self._chats[old] = {"id": old, "type": "group", "title": title}
        self._chats[new] = {"id": new, "type": "supergroup", "title": title}
        updates = []
        for kind, chat, content in (
            ("migrate_to", old, {"migrate_to_chat_id": new}),
            ("migrate_from", new, {"migrate_from_chat_id": old}),
        ):
            if kind in service_messages:
                message: JSON = {
                    "message_id": self._next_message_id(chat),
                    "from": self._user(by_user, "Lena", None),
                    "date": int(time.time()),
                    "chat": dict(self._chats[chat]),
                    **content,
                }
                update = {"update_id": next(self._update_ids), "message": message}
                updates.append(self._queue_update(update))
        return updates

    def _take_failure(self, method: str, chat: ChatKey | None) -> ApiError | None:
        if self._token_revoked:  # Telegram's answer to a token it no longer knows, for any call
            return ApiError(401, "Unauthorized")
        for failure in self._failures:
            if failure.method not in ("*", method):
                continue
            if failure.chat_id is not None and failure.chat_id != chat:
                continue
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failures.remove(failure)
            parameters = {"retry_after": failure.retry_after} if failure.retry_after else None
            return ApiError(failure.status, failure.description, parameters)
        return None

    @staticmethod
    def _counts_as_message(method: str) -> bool:
        """Flood limits are about messages, not chat actions or edits."""
        if method in ("sendChatAction", "sendMessageDraft", "sendRichMessageDraft"):
            return False
        return method.startswith("send") or method in (
            "copyMessage",
            "copyMessages",
            "forwardMessage",
            "forwardMessages",
        )

    def _flood_check(self, chat: ChatKey | None) -> int | None:
        """Seconds to wait if this message would break a limit, else count it and return None.

        Telegram does not publish its algorithm ("30 messages per second or so"). The default
        model is a leaky bucket per limit - a burst of up to N, draining at N per period - which
        is the model PTB's ``AIORateLimiter`` (aiolimiter) enforces on the client, so a bot using
        it with the default limits stays at ``rate_limited == 0``. ``flood_model="window"`` is the
        stricter literal reading: never more than N in any sliding period.

        ``flood_jitter`` (seconds, bucket model only) forgives requests that a client paced
        correctly but that arrive bunched: the first requests of a burst queue behind connection
        set-up, later ones do not. Measured against AIORateLimiter at its defaults, 0 s gives
        1-8 false hits per 100 sends, 0.1 s none (also under CPU load). The price: a burst in
        one instant gets ``30 + 0.1 * 30 = 33`` through before the 429s; pass
        ``flood_jitter=0`` for the exact limit.
        """
        now = self.clock()
        limits: list[tuple[ChatKey, int, float]] = [("*", GLOBAL_PER_SECOND, 1.0)]
        if isinstance(chat, int) and chat < 0:
            limits.append((chat, GROUP_PER_MINUTE, 60.0))
        waits = [self._limit_wait(key, n, period, now) for key, n, period in limits]
        if any(wait is not None for wait in waits):
            return max(wait for wait in waits if wait is not None)
        for key, n, period in limits:
            if self.flood_model == "window":
                self._windows[key].append(now)
            else:
                self._buckets[key] = (self._drained(key, n, period, now) + 1, now)
        return None

    def _drained(self, key: ChatKey, n: int, period: float, now: float) -> float:
        level, last = self._buckets.get(key, (0.0, now))
        return max(0.0, level - (now - last) * n / period)

    def _limit_wait(self, key: ChatKey, n: int, period: float, now: float) -> int | None:
        if self.flood_model == "window":
            window = self._windows[key]
            while window and now - window[0] >= period:
                window.popleft()
            if len(window) < n:
                return None
            return max(1, math.ceil(period - (now - window[0])))
        level = self._drained(key, n, period, now + self.flood_jitter)
        if level + 1 <= n + 1e-9:
            return None
        return max(1, math.ceil((level + 1 - n) * period / n))

    # ---------------------------------------------------------------- webhook & updates

    def _set_webhook(self, params: JSON) -> bool:
        if not params["url"]:
            return self._delete_webhook(params)
        self.webhook = WebhookState(
            url=params["url"],
            secret_token=params.get("secret_token"),
            allowed_updates=params.get("allowed_updates"),
            max_connections=params.get("max_connections"),
            params=dict(params),
        )
        if params.get("allowed_updates") is not None:
            self._allowed_updates = params["allowed_updates"]
        if params.get("drop_pending_updates"):
            self._queue.clear()
        self._notify()  # a waiting getUpdates now conflicts with the webhook
        return True

    def _delete_webhook(self, params: JSON) -> bool:
        self.webhook = WebhookState()
        if params.get("drop_pending_updates"):
            self._queue.clear()
        return True

    def _get_webhook_info(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self.webhook.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        if self.webhook.max_connections is not None:
            info["max_connections"] = self.webhook.max_connections
        if self.webhook.allowed_updates is not None:
            info["allowed_updates"] = self.webhook.allowed_updates
        return info

    def _notify(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    def _confirm(self, offset: int | None) -> None:
        """Forget confirmed updates (ids below ``offset``), as Telegram does.

        A redelivered copy that has not been handed out again is kept even though its id is
        old: that is the point of :meth:`redeliver`.
        """
        if offset is None or offset == 0:
            return
        if offset < 0:
            del self._queue[: max(0, len(self._queue) + offset)]
            return
        self._queue = [
            q for q in self._queue if not (q.delivered and q.update["update_id"] < offset)
        ]

    def _wanted(self, update: JSON) -> bool:
        kind = _update_kind(update)
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in NOT_DEFAULT_UPDATES

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook.url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if params.get("allowed_updates") is not None:
            self._allowed_updates = params["allowed_updates"]
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = max(0.0, float(params.get("timeout") or 0))
        self._confirm(params.get("offset"))
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older poll still waiting gets the Conflict it would get from Telegram
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            self._queue = [q for q in self._queue if self._wanted(q.update)]
            ready = sorted(self._queue, key=lambda q: q.update["update_id"])[:limit]
            if ready:
                for queued in ready:
                    queued.delivered = True
                return [copy.deepcopy(q.update) for q in ready]
            if self._closing:
                return []
            if generation != self._poll_generation:
                raise ApiError(409, DEFAULT_DESCRIPTIONS[409])
            if self.webhook.url:
                raise ApiError(409, "Conflict: webhook was set while getUpdates was waiting")
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            try:
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            except TimeoutError:
                return []

    def _queue_update(self, update: JSON) -> JSON:
        self._queue.append(_QueuedUpdate(copy.deepcopy(update)))
        self._notify()
        return update

    # ---------------------------------------------------------------- messages

    def _next_message_id(self, chat: ChatKey) -> int:
        """User and bot messages share one id sequence per chat, as in Telegram."""
        counter = self._message_ids.setdefault(chat, itertools.count(1))
        return next(counter)

    def _chat_object(self, chat: ChatKey) -> JSON:
        if chat in self._chats:
            return dict(self._chats[chat])
        if isinstance(chat, int) and chat > 0:
            return {"id": chat, "type": "private", "first_name": "User"}
        if isinstance(chat, int):
            return {"id": chat, "type": "supergroup", "title": "Test Group"}
        return {"id": -1000000000001, "type": "channel", "title": chat}

    def _message_object(self, stored: StoredMessage) -> JSON:
        message: JSON = {
            "message_id": stored.message_id,
            "from": dict(BOT_USER),
            "date": stored.date,
            "chat": self._chat_object(stored.chat_id),
        }
        if stored.edit_date is not None:
            message["edit_date"] = stored.edit_date
        if stored.text is not None:
            message["text"] = stored.text
            if stored.entities:
                message["entities"] = copy.deepcopy(stored.entities)
        if stored.caption is not None:
            message["caption"] = stored.caption
            if stored.entities:
                message["caption_entities"] = copy.deepcopy(stored.entities)
        if stored.method != "sendMessage":
            message.update(self._media_stub(stored.method))
        markup = _normalise_markup(stored.reply_markup)
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = copy.deepcopy(markup)  # only inline keyboards come back
        return message

    def _media_stub(self, method: str) -> JSON:
        """Enough of a sent photo/document/... for the client to parse the Message."""
        fid = {"file_id": f"sent-{method}", "file_unique_id": f"u-sent-{method}"}
        stubs: dict[str, JSON] = {
            "sendPhoto": {"photo": [{**fid, "width": 90, "height": 90}]},
            "sendDocument": {"document": dict(fid)},
            "sendVoice": {"voice": {**fid, "duration": 1}},
            "sendAudio": {"audio": {**fid, "duration": 1}},
            "sendVideo": {"video": {**fid, "width": 90, "height": 90, "duration": 1}},
            "sendLocation": {"location": {"latitude": 0.0, "longitude": 0.0}},
        }
        return stubs.get(method, {})

    def _store(self, method: str, params: JSON) -> StoredMessage:
        chat = _chat_key(params["chat_id"])
        parse_mode = params.get("parse_mode") or None
        if method == "sendMessage":
            raw, given_entities = params.get("text"), params.get("entities")
        else:
            raw, given_entities = params.get("caption"), params.get("caption_entities")
        plain, entities = (
            self.render(raw, parse_mode, given_entities) if raw is not None else (None, [])
        )
        stored = StoredMessage(
            chat_id=chat,
            message_id=self._next_message_id(chat),
            date=int(time.time()),
            text=plain if method == "sendMessage" else None,
            raw_text=raw,
            parse_mode=parse_mode,
            entities=entities,
            reply_markup=params.get("reply_markup"),
            method=method,
            caption=plain if method != "sendMessage" else None,
        )
        self._messages[chat][stored.message_id] = stored
        return stored

    def _send_message(self, params: JSON) -> JSON:
        return self._message_object(self._store("sendMessage", params))

    def _find(self, params: JSON, what: str) -> StoredMessage:
        if "chat_id" not in params or "message_id" not in params:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        chat = _chat_key(params["chat_id"])
        stored = self._messages.get(chat, {}).get(params["message_id"])
        if stored is None or stored.deleted:
            raise ApiError(400, f"Bad Request: message to {what} not found")
        return stored

    def _apply_edit(
        self,
        stored: StoredMessage,
        *,
        text: str | None,
        raw: str | None,
        parse_mode: str | None,
        entities: list[JSON],
        markup: JSON | None,
        caption: bool = False,
    ) -> JSON:
        """Apply an edit, refusing a no-op the way Telegram does."""
        old = (stored.caption if caption else stored.text, stored.entities)
        old_markup = _normalise_markup(stored.reply_markup)
        if (text, entities) == old and _normalise_markup(markup) == old_markup:
            raise ApiError(400, NOT_MODIFIED)
        if caption:
            stored.caption = text
        else:
            stored.text = text
        stored.raw_text, stored.parse_mode, stored.entities = raw, parse_mode, entities
        stored.reply_markup = markup
        stored.edit_count += 1
        stored.edit_date = int(time.time())
        return self._message_object(stored)

    def _edit_message_text(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        stored = self._find(params, "edit")
        if stored.method != "sendMessage":
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        if "text" not in params:
            raise ApiError(400, "Bad Request: the fake does not model rich_message edits")
        parse_mode = params.get("parse_mode") or None
        plain, entities = self.render(params["text"], parse_mode, params.get("entities"))
        # Leaving reply_markup out of editMessageText removes the inline keyboard in Telegram.
        return self._apply_edit(
            stored,
            text=plain,
            raw=params["text"],
            parse_mode=parse_mode,
            entities=entities,
            markup=params.get("reply_markup"),
        )

    def _edit_message_caption(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        stored = self._find(params, "edit")
        if stored.method == "sendMessage":
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        parse_mode = params.get("parse_mode") or None
        raw = params.get("caption")
        plain, entities = (
            self.render(raw, parse_mode, params.get("caption_entities")) if raw else (None, [])
        )
        return self._apply_edit(
            stored,
            text=plain,
            raw=raw,
            parse_mode=parse_mode,
            entities=entities,
            markup=params.get("reply_markup"),
            caption=True,
        )

    def _edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        stored = self._find(params, "edit")
        return self._apply_edit(
            stored,
            text=stored.caption if stored.method != "sendMessage" else stored.text,
            raw=stored.raw_text,
            parse_mode=stored.parse_mode,
            entities=stored.entities,
            markup=params.get("reply_markup"),
            caption=stored.method != "sendMessage",
        )

    def _delete_message(self, params: JSON) -> bool:
        self._find(params, "delete").deleted = True
        return True

    def _answer_callback_query(self, params: JSON) -> bool:
        query_id = params["callback_query_id"]
        if query_id not in self._callbacks or query_id in self.answered_callbacks:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.answered_callbacks[query_id] = dict(params)
        return True

    @staticmethod
    def scope_key(scope: JSON | None = None, language_code: str | None = None) -> str:
        """``"default"``, ``"all_private_chats"``, ``"chat:<id>"``, ``"chat_member:<id>:<user>"``,
        with ``"@<lang>"`` appended when a language code was given."""
        scope = scope or {"type": "default"}
        key = str(scope.get("type", "default"))
        if "chat_id" in scope:
            key += f":{scope['chat_id']}"
        if "user_id" in scope:
            key += f":{scope['user_id']}"
        return f"{key}@{language_code}" if language_code else key

    def _set_my_commands(self, params: JSON) -> bool:
        key = self.scope_key(params.get("scope"), params.get("language_code"))
        self.commands[key] = copy.deepcopy(params["commands"])
        return True

    def _get_my_commands(self, params: JSON) -> list[JSON]:
        key = self.scope_key(params.get("scope"), params.get("language_code"))
        return copy.deepcopy(self.commands.get(key, []))

    def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(self.scope_key(params.get("scope"), params.get("language_code")), None)
        return True

    def _get_file(self, params: JSON) -> JSON:
        file = self._files.get(params["file_id"])
        if file is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return dict(file)

    def _generic(self, method: str, params: JSON) -> Any:
        """Methods without their own model: sends are stored, everything else answers True."""
        if (
            "Message" in self.spec.returns(method)
            and "chat_id" in params
            and method.startswith("send")
        ):
            return self._message_object(self._store(method, params))
        return True

    # ---------------------------------------------------------------- creating updates

    def _user(self, user_id: int, first_name: str, username: str | None) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if user_id in self.language_codes:
            user["language_code"] = self.language_codes[user_id]
        return user

    def _incoming(
        self,
        user_id: int,
        chat_id: int | None,
        chat_type: str,
        first_name: str,
        username: str | None,
        content: JSON,
    ) -> JSON:
        if chat_type == "private":
            if chat_id not in (None, user_id):
                raise ValueError("a private chat's id is the user's id")
            chat_id = user_id
            chat: JSON = {"id": user_id, "type": "private", "first_name": first_name}
            if username:
                chat["username"] = username
        else:
            if chat_id is None or chat_id >= 0:
                raise ValueError(f"a {chat_type} chat needs a negative chat_id")
            chat = self._chats.get(chat_id) or {
                "id": chat_id,
                "type": chat_type,
                "title": "Test Group",
            }
        self._chats[chat_id] = chat
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "from": self._user(user_id, first_name, username),
            "date": int(time.time()),
            "chat": dict(chat),
            **content,
        }
        return self._queue_update({"update_id": next(self._update_ids), "message": message})

    def push_message(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Sam",
        username: str | None = None,
        reply_to_message_id: int | None = None,
        forward_origin: JSON | None = None,
    ) -> JSON:
        """A user writes ``text``. A leading ``/command`` gets its ``bot_command`` entity.
        Like Telegram's apps, a user cannot send more than 4096 UTF-16 units in one message
        (:meth:`push_paste` sends a longer text as the apps do). ``forward_origin`` (see
        :meth:`origin_user` and its siblings) makes it a message forwarded from elsewhere."""
        if _utf16_len(text) > TEXT_LIMIT:
            raise ValueError(f"a message holds at most {TEXT_LIMIT} UTF-16 units; see push_paste")
        content: JSON = {"text": text}
        if forward_origin is not None:
            problems = self.spec.check(forward_origin, ["MessageOrigin"], "forward_origin")
            if problems:
                raise ValueError(f"not a MessageOrigin: {problems}")
            content["forward_origin"] = forward_origin
        command = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?", text)
        if command:
            length = _utf16_len(command.group(0))
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to_message_id is not None:
            chat = user_id if chat_id is None else chat_id
            stored = self._messages.get(chat, {}).get(reply_to_message_id)
            if stored is None:
                raise LookupError(f"no bot message {reply_to_message_id} in chat {chat}")
            content["reply_to_message"] = self._message_object(stored)
        return self._incoming(user_id, chat_id, chat_type, first_name, username, content)

    def push_paste(
        self, user_id: int, text: str, *, first_name: str = "Sam", username: str | None = None
    ) -> list[JSON]:
        """A long text pasted into a private chat: Telegram's apps send it as several messages of
        at most 4096 UTF-16 units, cut after the last space that fits, one right after another."""
        updates: list[JSON] = []
        rest = text
        while rest:
            cut, units = 0, 0
            for index, char in enumerate(rest):
                units += _utf16_len(char)
                if units > TEXT_LIMIT:
                    break
                cut = index + 1
            if cut < len(rest):
                space = rest.rfind(" ", 0, cut)
                cut = space + 1 if space > 0 else cut
            piece, rest = rest[:cut], rest[cut:]
            updates.append(
                self.push_message(user_id, piece, first_name=first_name, username=username)
            )
        return updates

    def edit_message(self, update: JSON, text: str) -> JSON:
        """The user edits a message they sent (``update`` is what :meth:`push_message` or the
        like returned): Telegram sends an ``edited_message`` update with the new text (or caption)
        and the same ``message_id``."""
        if _utf16_len(text) > TEXT_LIMIT:
            raise ValueError(f"a message holds at most {TEXT_LIMIT} UTF-16 units")
        message = copy.deepcopy(update["message"])
        message.pop("entities", None)
        message["caption" if "caption" in message else "text"] = text
        message["edit_date"] = int(time.time())
        edited = {"update_id": next(self._update_ids), "edited_message": message}
        return self._queue_update(edited)

    @staticmethod
    def origin_user(
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        date: int = 1_786_000_000,
    ) -> JSON:
        """``forward_origin`` of a message first sent by a user who allows linking to them."""
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        return {"type": "user", "date": date, "sender_user": user}

    @staticmethod
    def origin_hidden_user(name: str, *, date: int = 1_786_000_000) -> JSON:
        """``forward_origin`` of a message first sent by a user who hides their account."""
        return {"type": "hidden_user", "date": date, "sender_user_name": name}

    @staticmethod
    def origin_channel(
        chat_id: int,
        title: str,
        *,
        username: str | None = None,
        message_id: int = 1,
        author_signature: str | None = None,
        date: int = 1_786_000_000,
    ) -> JSON:
        """``forward_origin`` of a channel post."""
        chat: JSON = {"id": chat_id, "type": "channel", "title": title}
        if username:
            chat["username"] = username
        origin: JSON = {"type": "channel", "date": date, "chat": chat, "message_id": message_id}
        if author_signature:
            origin["author_signature"] = author_signature
        return origin

    def push_location(
        self,
        user_id: int,
        latitude: float,
        longitude: float,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Sam",
        username: str | None = None,
    ) -> JSON:
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return self._incoming(user_id, chat_id, chat_type, first_name, username, content)

    def _new_file(self, kind: str, extension: str, size: int = 1024) -> JSON:
        number = next(self._file_ids)
        file_id = f"{kind}-{number}"
        file: JSON = {
            "file_id": file_id,
            "file_unique_id": f"u{kind}{number}",
            "file_size": size,
            "file_path": f"{kind}s/file_{number}.{extension}",
        }
        self._files[file_id] = file
        return {k: v for k, v in file.items() if k != "file_path"}

    def push_photo(
        self,
        user_id: int,
        caption: str | None = None,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Sam",
        username: str | None = None,
    ) -> JSON:
        """A photo in two sizes, like Telegram sends; ``getFile`` knows both file_ids."""
        small = {**self._new_file("photo", "jpg", 2048), "width": 90, "height": 90}
        large = {**self._new_file("photo", "jpg", 65536), "width": 1280, "height": 960}
        content: JSON = {"photo": [small, large]}
        if caption is not None:
            content["caption"] = caption
        return self._incoming(user_id, chat_id, chat_type, first_name, username, content)

    def push_document(
        self,
        user_id: int,
        file_name: str = "report.pdf",
        *,
        mime_type: str = "application/pdf",
        caption: str | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Sam",
        username: str | None = None,
        data: bytes | None = None,
    ) -> JSON:
        """A document; ``data`` is what downloading it (getFile, then its file_path) returns.
        A caption that starts with ``/command`` gets its ``bot_command`` caption entity."""
        extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        size = len(data) if data is not None else 1024
        document = {**self._new_file("document", extension, size), "file_name": file_name}
        document["mime_type"] = mime_type
        if data is not None:
            self._file_contents[self._files[document["file_id"]]["file_path"]] = data
        content: JSON = {"document": document}
        if caption is not None:
            content["caption"] = caption
            command = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?", caption)
            if command:
                length = _utf16_len(command.group(0))
                content["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": length}
                ]
        return self._incoming(user_id, chat_id, chat_type, first_name, username, content)

    def push_voice(
        self,
        user_id: int,
        duration: int = 3,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Sam",
        username: str | None = None,
    ) -> JSON:
        voice = {**self._new_file("voice", "oga"), "duration": duration, "mime_type": "audio/ogg"}
        content = {"voice": voice}
        return self._incoming(user_id, chat_id, chat_type, first_name, username, content)

    def push_callback(
        self,
        user_id: int,
        message_id: int,
        data: str,
        chat_id: int | None = None,
        *,
        first_name: str = "Sam",
        username: str | None = None,
    ) -> JSON:
        """A button press on the bot's message ``message_id`` (its current state)."""
        chat = user_id if chat_id is None else chat_id
        stored = self._messages.get(chat, {}).get(message_id)
        if stored is None or stored.deleted:
            raise LookupError(f"no bot message {message_id} in chat {chat} to press a button on")
        query_id = f"cbq-{next(self._callback_ids)}"
        self._callbacks.add(query_id)
        query: JSON = {
            "id": query_id,
            "from": self._user(user_id, first_name, username),
            "message": self._message_object(stored),
            "chat_instance": f"ci{chat}",
            "data": data,
        }
        return self._queue_update({"update_id": next(self._update_ids), "callback_query": query})

    def push_my_chat_member(
        self, user_id: int, status: str, *, first_name: str = "Sam", username: str | None = None
    ) -> JSON:
        """The user blocks the bot (``"kicked"``) or starts or unblocks it (``"member"``) in
        their private chat: Telegram tells the bot with a ``my_chat_member`` update (about the
        bot's own membership), and calls to the chat fail (or work again) from then on."""
        if status not in ("kicked", "member"):
            raise ValueError("a private chat's bot is 'kicked' (blocked) or a 'member'")
        if status == "kicked":
            self.block(user_id)
        else:
            self.unblock(user_id)

        def member(state: str) -> JSON:
            bot = {k: v for k, v in BOT_USER.items() if k in ("id", "is_bot", "first_name")}
            bot["username"] = BOT_USERNAME
            until = {"until_date": 0} if state == "kicked" else {}
            return {"status": state, "user": bot, **until}

        chat: JSON = {"id": user_id, "type": "private", "first_name": first_name}
        change: JSON = {
            "chat": chat,
            "from": self._user(user_id, first_name, username),
            "date": int(time.time()),
            "old_chat_member": member("member" if status == "kicked" else "kicked"),
            "new_chat_member": member(status),
        }
        return self._queue_update({"update_id": next(self._update_ids), "my_chat_member": change})

    def redeliver(self, update: JSON) -> JSON:
        """Queue exactly the same update again (same update_id): a platform retry."""
        return self._queue_update(update)

    async def webhook_post(
        self, url: str, update: JSON, secret_token: str | None = None
    ) -> tuple[int, str]:
        """POST ``update`` to a bot's webhook as Telegram would; returns (status, body)."""
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=json.dumps(update), headers=headers) as response,
        ):
            return response.status, await response.text()

    # ---------------------------------------------------------------- inspection

    def messages(self, chat_id: int | str) -> list[JSON]:
        """The bot's messages in a chat as the user sees them now: edits applied, deletions gone."""
        chat = _chat_key(chat_id)
        shown = []
        for stored in sorted(self._messages.get(chat, {}).values(), key=lambda m: m.message_id):
            if stored.deleted:
                continue
            shown.append(
                {
                    "message_id": stored.message_id,
                    "text": stored.text if stored.method == "sendMessage" else stored.caption,
                    "raw_text": stored.raw_text,
                    "parse_mode": stored.parse_mode,
                    "entities": copy.deepcopy(stored.entities),
                    "reply_markup": copy.deepcopy(_normalise_markup(stored.reply_markup)),
                    "edit_count": stored.edit_count,
                    "method": stored.method,
                }
            )
        return shown

    def calls_to(self, method: str) -> list[JSON]:
        """Params of every call to ``method``, in order."""
        return [params for name, params in self.calls if name == method]

    def button_data(self, chat_id: int | str, label: str) -> str:
        """callback_data of the newest visible button labelled ``label`` in the chat."""
        labels: list[str] = []
        for message in reversed(self.messages(chat_id)):
            markup = message["reply_markup"] or {}
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    labels.append(button.get("text", ""))
                    if button.get("text") == label and "callback_data" in button:
                        return str(button["callback_data"])
        raise LookupError(f"no button {label!r} in chat {chat_id}; buttons there: {labels}")
