"""What the Slack app manifest asks for, and what the code needs: the Web API methods it calls
(found in its source) and the scope each requires (from the Web API description in tests/specs).

Used by tests/adapters/test_slack_manifest.py, which compares the two, and by the Slack tests,
whose fake
grants the bot exactly the manifest's scopes and refuses any call that needs another.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from fakes.slack_api import WebApiSpec
from slack_sdk.web.async_client import AsyncWebClient

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "slack-app-manifest.yml"
CODE = ("adapters", "bot", "handlers", "storage")  # the application, not its tests

# Scopes an event subscription needs (Slack's Events API reference, per event type).
EVENT_SCOPES: dict[str, frozenset[str]] = {
    "message.im": frozenset({"im:history"}),
    "message.channels": frozenset({"channels:history"}),
    "message.groups": frozenset({"groups:history"}),
    "message.mpim": frozenset({"mpim:history"}),
    "app_mention": frozenset({"app_mentions:read"}),
    "app_home_opened": frozenset(),
}
_API_CALL = re.compile(r"api_call\(\s*\"([A-Za-z0-9_.]+)\"")
_SELF_CALL = re.compile(r"self\.([A-Za-z0-9_]+)\(")


def manifest() -> dict[str, Any]:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def bot_scopes() -> set[str]:
    """The bot token scopes the manifest asks for."""
    return set(manifest()["oauth_config"]["scopes"]["bot"])


def bot_events() -> set[str]:
    return set(manifest()["settings"]["event_subscriptions"]["bot_events"])


def slash_commands() -> list[str]:
    return [c["command"] for c in manifest()["features"].get("slash_commands", [])]


def method_scopes() -> dict[str, frozenset[str]]:
    """Each Web API method and the bot scopes it requires, as the fake reads the description;
    the methods it allows by name (newer than the description, or taking the app-level token,
    such as apps.connections.open for Socket Mode) with the scopes it knows for them."""
    spec = WebApiSpec()
    return {method: spec.scopes_for(method) for method in spec.methods}


@cache
def client_methods() -> dict[str, frozenset[str]]:
    """slack_sdk's client methods (``chat_postMessage``) and the Web API methods each calls,
    read from its source: a helper such as ``files_upload_v2`` calls several."""
    sources = {
        name: inspect.getsource(function)
        for name, function in inspect.getmembers(AsyncWebClient, inspect.isfunction)
    }

    def calls(name: str, seen: frozenset[str]) -> set[str]:
        found = set(_API_CALL.findall(sources[name]))
        for other in _SELF_CALL.findall(sources[name]):
            if other in sources and other not in seen and other != "api_call":
                found |= calls(other, seen | {other})
        return found

    return {
        name: frozenset(found)
        for name in sources
        if not name.startswith("_") and (found := calls(name, frozenset({name})))
    }


def _python_files() -> Iterator[Path]:
    for folder in CODE:
        yield from sorted((ROOT / folder).rglob("*.py"))


def called_methods() -> dict[str, set[str]]:
    """Every Web API method the application's code calls, with the files that call it: calls of
    a slack_sdk client method (``client.files_info(...)``) and ``api_call("files.info")``."""
    known = client_methods()
    found: dict[str, set[str]] = {}
    for path in _python_files():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            methods = set(known.get(node.func.attr, ()))
            if node.func.attr == "api_call" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    methods.add(first.value)
            for method in methods:
                found.setdefault(method, set()).add(where)
    return found


def listened_events() -> set[str]:
    """The event types the Slack adapter listens to: ``@bolt.event("message")``."""
    events: set[str] = set()
    for path in sorted((ROOT / "adapters" / "slack").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "event"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                events.add(str(node.args[0].value))
    return events
