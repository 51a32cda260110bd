"""``FSB_LOG_FORMAT=json``: one JSON object a line, guarded as the plain lines are (secrets
redacted, tracebacks too; library values withheld; nothing a caller put on a record with
``extra=``)."""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.runtime import logsafety

KEY = "kEYmarker-0d7c1e5a9b"


@pytest.fixture
def written() -> Iterator[io.StringIO]:
    """The guarded JSON log for the test; logging and Python's hooks put back after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = sys.excepthook, threading.excepthook
    stream = io.StringIO()
    logsafety.configure(logging.DEBUG, [KEY], stream, form="json")
    yield stream
    sys.excepthook, threading.excepthook = hooks
    root.handlers[:] = handlers
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_our_line_is_one_json_object_with_the_fixed_fields(written: io.StringIO) -> None:
    logging.getLogger("bot.runtime.x").info(
        "delivered outbox row %s with %s", 7, KEY, extra={"reporter": "Namemark Quill"}
    )
    (line,) = lines(written)
    assert set(line) == {"time", "level", "logger", "message"}
    assert (line["level"], line["logger"]) == ("INFO", "bot.runtime.x")
    assert datetime.fromisoformat(line["time"]).utcoffset() == timedelta(0)  # ISO 8601, UTC
    assert line["message"] == "delivered outbox row 7 with [secret]"
    assert "Namemark" not in written.getvalue()  # extra= is never written


def test_a_traceback_in_json_is_redacted(written: io.StringIO) -> None:
    try:
        raise RuntimeError(f"could not open with {KEY}")
    except RuntimeError:
        logging.getLogger("bot.main.app").exception("failed")
    (line,) = lines(written)
    assert "RuntimeError" in line["exc_info"] and "Traceback" in line["exc_info"]
    assert KEY not in written.getvalue()


def test_a_library_line_in_json_keeps_its_words_but_not_its_values(
    written: io.StringIO,
) -> None:
    logging.getLogger("telegram.ext").warning('Invalid JSON: "%s"', "ACCOUNTMARK")
    logging.getLogger("httpx").info("POST %s", "https://api.telegram.org/bot1:x/sendMessage")
    (line,) = lines(written)  # the library's INFO line is not written at all
    assert line["message"] == 'Invalid JSON: "%s" (details withheld)'
    assert "ACCOUNTMARK" not in written.getvalue()
