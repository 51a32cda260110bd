"""Logging that never writes a secret, report content or a person's identity, at any level.

The one place where logging is set up for every command (``fsbot run``, ``fsbot demo``). Two
guards sit on the handler that writes the log, so they hold whatever level anyone chooses:

* **Quiet libraries.** Below WARNING, only this project's own loggers (``bot``, ``handlers``,
  ``adapters``, ``storage``) are written. The libraries under them log what they carry: httpx
  logs each Bot API URL, and the Bot API puts the bot token in the URL; python-telegram-bot and
  slack_sdk log request and response bodies (the account, the reporter's name and ids); aiosqlite
  logs every statement with its parameters. Their warnings and errors are still written, with the
  template of the message but not the values put into it ("details withheld"), since those values
  are where content travels. The same libraries' loggers are also set to WARNING, so their
  debug lines are not even built.
* **Redaction.** Every line that is written, its traceback included, has the secrets the process
  knows (bot tokens, the signing secret, the encryption key) and anything shaped like a Telegram
  bot token, a Slack token or an ``Authorization: Bearer`` value replaced by ``[secret]``.

An error nobody caught would otherwise be printed by Python itself, past both guards (a token the
Bot API rejects is in python-telegram-bot's error message); such errors are logged instead.

Lines are plain text (:data:`FORMAT`) or, on request (``FSB_LOG_FORMAT=json``), one JSON object
each (python-json-logger) with the fields :data:`JSON_FIELDS` only, so nothing a library puts on a
record (``extra=``) is written; both go through the same guard.

Our own log lines carry ids (outbox row, timer, update), kinds and counts, never content; that
rule is kept by review and by ``tests/test_log_safety.py``, which runs whole reports at DEBUG and
searches the output.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TextIO
from urllib.parse import quote, quote_plus

from pythonjsonlogger.json import JsonFormatter

__all__ = ["OWN_LOGGERS", "QUIET_LOGGERS", "LogGuard", "configure", "redact"]

OWN_LOGGERS = frozenset({"bot", "handlers", "adapters", "storage", "__main__"})
"""Top-level logger names of this project: the only ones written below WARNING."""

QUIET_LOGGERS = (
    "httpx",
    "httpcore",
    "hpack",
    "telegram",
    "slack_sdk",
    "slack_bolt",
    "aiohttp",
    "aiosqlite",
    "asyncio",
    "matplotlib",
    "PIL",
)
"""Libraries known to log URLs, bodies or statements below WARNING; set to WARNING at source.
The guard does not rely on this list: it drops any other library's lines below WARNING too."""

LIBRARY_FLOOR = logging.WARNING
SECRET = "[secret]"
WITHHELD = " (details withheld)"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = ("time", "level", "logger", "message", "exc_info", "stack_info")
"""The keys of a JSON log line (the last two only when there is a traceback or a stack)."""
_MIN_SECRET = 4  # shorter values would redact ordinary text; real tokens and keys are long

# Shapes of credentials, redacted even when the process was not told the value.
_PATTERNS = (
    re.compile(r"(?<=/bot)\d+(?::|%3A)[^/\s]+"),  # Bot API paths: /bot<token>/, /file/bot<token>/
    re.compile(r"\b\d{3,}:[A-Za-z0-9_-]{30,}"),  # a Telegram bot token on its own
    re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+"),  # Slack bot, user and app-level tokens
    re.compile(r"(?i)(?<=bearer )[^\s'\",}]+"),  # an Authorization header's value
)


def _ours(name: str) -> bool:
    return name.split(".", 1)[0] in OWN_LOGGERS


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every known secret and every credential-shaped string replaced.

    Longer secrets are replaced first, so a secret that contains another is not half-shown.
    """
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, SECRET)
    for pattern in _PATTERNS:
        text = pattern.sub(SECRET, text)
    return text


class LogGuard(logging.Filter):
    """The filter on the log handler: drops library lines below WARNING, withholds the values in
    library messages, and redacts secrets from every line and traceback it lets through."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        known = {s for s in secrets if len(s.strip()) >= _MIN_SECRET}
        # as they appear in a URL or a form body, too
        self.secrets = known | {quote(s, safe="") for s in known} | {quote_plus(s) for s in known}
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        """Decide whether ``record`` is written, and make it safe to write (in place)."""
        ours = _ours(record.name)
        if not ours and record.levelno < LIBRARY_FLOOR:
            return False
        record.msg, record.args = redact(_message(record, ours), self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def _message(record: logging.LogRecord, ours: bool) -> str:
    """The line to write: ours in full; a library's without the values put into it (a request
    body logged as an object, or the arguments of a ``%s`` template)."""
    if ours:
        return record.getMessage()
    if not isinstance(record.msg, str):
        return type(record.msg).__name__ + WITHHELD
    return record.msg + WITHHELD if record.args else record.msg


class _Stderr(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time (as logging's own last resort does), so
    a command run inside a test runner never holds on to a stream that was swapped and closed."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        """Ignored: logging sets the stream once; this handler always writes to sys.stderr."""


class _JsonLines(JsonFormatter):
    """One JSON object a line, with :data:`JSON_FIELDS` only and the guard's redacted traceback
    (python-json-logger would format the exception afresh, secrets and all)."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """ISO 8601 in UTC, to the millisecond: ``2027-08-11T10:00:00.123+00:00``."""
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

    def format(self, record: logging.LogRecord) -> str:
        exc_info, record.exc_info = record.exc_info, None  # exc_text: redacted by the guard
        try:
            return super().format(record)
        finally:
            record.exc_info = exc_info

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: log_data[key] for key in JSON_FIELDS if key in log_data}


def configure(
    level: int | str,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
    *,
    form: str = "plain",
) -> logging.Handler:
    """Write log lines at ``level`` and above to ``stream`` (stderr), guarded (see the module).

    ``secrets`` are the values this process holds that must never be written (tokens, signing
    secrets, the encryption key); unset ones (None, "") may be passed and are ignored. ``form``
    is ``"plain"`` or ``"json"`` (``FSB_LOG_FORMAT``). Replaces handlers an earlier call added;
    returns the handler, so a test can remove it.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if any(isinstance(f, LogGuard) for f in h.filters)]:
        root.removeHandler(old)
    handler: logging.Handler = _Stderr() if stream is None else logging.StreamHandler(stream)
    handler.setFormatter(_JsonLines() if form == "json" else logging.Formatter(FORMAT))
    handler.addFilter(LogGuard(s for s in secrets if s))
    root.addHandler(handler)
    root.setLevel(level)
    floor = max(root.level, LIBRARY_FLOOR)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(floor)
    sys.excepthook = _uncaught
    threading.excepthook = _uncaught_in_thread
    return handler


_UNCAUGHT = "stopped on an error nothing caught"


def _uncaught(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    """Python's last word on an uncaught error, through the guarded log instead of stderr."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    logging.getLogger("bot").critical(_UNCAUGHT, exc_info=(kind, error, trace))


def _uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        _uncaught(args.exc_type, args.exc_value, args.exc_traceback)
