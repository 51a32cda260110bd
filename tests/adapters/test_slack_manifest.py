"""The Slack app manifest asks for exactly what the code uses: every scope a Web API call, an event
subscription or the slash command needs, and nothing more; every event the adapter listens to is
subscribed, and nothing else is."""

from __future__ import annotations

from slack_manifest import (
    EVENT_SCOPES,
    bot_events,
    bot_scopes,
    called_methods,
    listened_events,
    manifest,
    method_scopes,
    slash_commands,
)

from bot.text.commands import COMMANDS


def needed_scopes() -> dict[str, set[str]]:
    """Each scope the app needs, with what needs it."""
    scopes = method_scopes()
    needs: dict[str, set[str]] = {}
    for method, files in called_methods().items():
        assert method in scopes, f"{method} (called in {sorted(files)}) is not a Web API method"
        for scope in scopes[method]:
            needs.setdefault(scope, set()).add(f"{method} in {', '.join(sorted(files))}")
    for event in bot_events():
        assert event in EVENT_SCOPES, f"add the scope the {event} event needs to EVENT_SCOPES"
        for scope in EVENT_SCOPES[event]:
            needs.setdefault(scope, set()).add(f"the {event} event")
    if slash_commands():
        needs.setdefault("commands", set()).add(f"the slash commands {slash_commands()}")
    return needs


def test_the_manifest_asks_for_exactly_the_scopes_the_code_needs() -> None:
    needs = needed_scopes()
    missing = {scope: sorted(why) for scope, why in needs.items() if scope not in bot_scopes()}
    unused = bot_scopes() - needs.keys()
    assert not missing, f"the manifest lacks scopes the code needs: {missing}"
    assert not unused, f"the manifest asks for scopes nothing uses: {sorted(unused)}"


def test_screening_a_shared_csv_file_is_allowed_to_read_it() -> None:
    # The given case: files.info (and the download of url_private) need files:read.
    assert "files.info" in called_methods()
    assert "files:read" in bot_scopes()


def test_the_calls_are_found_wherever_the_client_is_used() -> None:
    # The finder itself: it sees the calls the adapter is known to make, in every module.
    found = called_methods()
    for method in ("chat.postMessage", "chat.update", "views.publish", "views.open", "auth.test"):
        assert method in found, method
    assert {"adapters/slack/messenger.py", "adapters/slack/runner.py"} <= set().union(
        *found.values()
    )


def test_the_subscribed_events_are_the_ones_the_adapter_listens_to() -> None:
    subscribed = {event.split(".", 1)[0] for event in bot_events()}
    assert subscribed == listened_events()
    # direct messages only: never the team's channel conversations
    assert {e for e in bot_events() if e.startswith("message.")} == {"message.im"}


def test_the_slash_command_offers_only_declared_commands() -> None:
    declared = {c.name for c in COMMANDS}
    (safety,) = [c for c in manifest()["features"]["slash_commands"] if c["command"] == "/safety"]
    listed = safety["description"].split(":", 1)[1]
    words = {w.strip() for w in listed.split(",")}
    words |= {part.split()[0] for part in safety["usage_hint"].split(" | ")}
    assert words <= declared, words - declared
