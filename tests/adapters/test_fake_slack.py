"""The fake Slack platform, proven against the real slack_sdk and slack_bolt over real HTTP and a
real websocket.

The adapter tests trust this fake to answer like Slack; these tests are why they may.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from fakes.slack_api import BOT_USER_ID, TEAM_ID, FakeSlack, check_blocks
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

BOT_TOKEN = "xoxb-1-fake"
APP_TOKEN = "xapp-1-fake"
SECRET = "fake-signing-secret"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)


def report_blocks(text: str, *, button: str = "Acknowledge", value: str = "ack:1") -> list[Any]:
    return [
        {"type": "header", "text": {"type": "plain_text", "text": "New report"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "via Friendly Space Bot"}]},
        {
            "type": "actions",
            "block_id": "report-actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "ack",
                    "text": {"type": "plain_text", "text": button},
                    "value": value,
                    "style": "primary",
                }
            ],
        },
    ]


def bolt_app(fake: FakeSlack, **kwargs: Any) -> AsyncApp:
    """How an AsyncApp talks to the fake: the token lives in the client, the client points at
    the fake; everything else (signature checks, single-team authorization via auth.test) is
    Bolt's default."""
    return AsyncApp(
        client=AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url),
        signing_secret=SECRET,
        **kwargs,
    )


async def serve(app: AsyncApp) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app.web_app(path="/slack/events"))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/slack/events"


# ------------------------------------------------------------------------------ Web API


async def test_the_real_client_posts_and_updates_blocks_without_violations(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    me = await client.auth_test()
    assert (me["user_id"], me["team_id"], me["user"]) == (BOT_USER_ID, TEAM_ID, "fsb")
    assert fake.token_seen == BOT_TOKEN

    sent = await client.chat_postMessage(
        channel="C0SAFETY", text="New report", blocks=report_blocks("Someone needs help")
    )
    assert sent["channel"] == "C0SAFETY"
    assert sent["ts"] == "1700000000.000100"
    assert fake.requests[-1].content_type == "application/json"  # blocks go as a JSON body

    updated = await client.chat_update(
        channel="C0SAFETY",
        ts=sent["ts"],
        text="Report acknowledged",
        blocks=report_blocks("Taken by Ana", button="Taken"),
    )
    assert updated["ts"] == sent["ts"]

    [message] = fake.messages("C0SAFETY")
    assert message["ts"] == sent["ts"]
    assert message["edit_count"] == 1
    assert message["text"] == "Report acknowledged"
    assert message["blocks"][3]["elements"][0]["text"]["text"] == "Taken"
    assert all("block_id" in block for block in message["blocks"])  # Slack fills them in
    assert fake.visible_text(message).splitlines() == [
        "Report acknowledged",
        "New report",
        "Taken by Ana",
        "via Friendly Space Bot",
        "Taken",
    ]
    assert fake.calls_to("chat.update")[0]["ts"] == sent["ts"]
    assert fake.violations == []


async def test_form_encoded_calls_and_dms_by_user_id(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    # The form encoding: blocks as a JSON string in a form field, as older clients send them.
    await client.api_call(
        "chat.postMessage",
        data={"channel": "U123", "text": "hi", "blocks": json.dumps(report_blocks("x"))},
    )
    assert fake.requests[-1].content_type == "application/x-www-form-urlencoded"
    assert fake.calls_to("chat.postMessage")[0]["blocks"][0]["type"] == "header"

    opened = await client.conversations_open(users="U123")
    assert opened["channel"]["id"] == "DU123"
    second = await client.chat_postMessage(channel="DU123", text="second")
    assert second["channel"] == "DU123"
    # The user id and the IM channel id name one conversation.
    assert [m["text"] for m in fake.messages("U123")] == ["hi", "second"]
    assert fake.messages("DU123") == fake.messages("U123")

    eph = await client.chat_postEphemeral(channel="C0SAFETY", user="U123", text="only you")
    assert eph["message_ts"]
    assert [m["text"] for m in fake.ephemeral("C0SAFETY", "U123")] == ["only you"]

    fake.add_user("U777", "Ana Lima", display_name="ana")
    info = await client.users_info(user="U777")  # a GET with query parameters
    assert info["user"]["real_name"] == "Ana Lima"
    assert fake.requests[-1].http_method == "GET"
    assert (await client.users_info(user="U888"))["user"]["real_name"] == "User U888"
    assert fake.violations == []


async def test_unknown_methods_and_missing_parameters_are_violations(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    with pytest.raises(SlackApiError) as unknown:
        await client.api_call("no.such")
    assert unknown.value.response["error"] == "unknown_method"

    with pytest.raises(SlackApiError) as missing:
        await client.api_call("chat.postMessage", json={"text": "where to?"})
    assert missing.value.response["error"] == "invalid_arguments"
    assert "channel" in missing.value.response["response_metadata"]["messages"][0]

    with pytest.raises(SlackApiError) as wrong_token:
        await client.apps_connections_open(app_token=BOT_TOKEN)
    assert wrong_token.value.response["error"] == "not_allowed_token_type"

    assert len(fake.violations) == 3
    assert fake.violations[0].startswith("no.such: unknown_method")
    assert "missing required field 'channel'" in fake.violations[1]
    assert fake.calls_to("no.such") == [{}]
    assert "apps.connections.open" in fake.spec.added  # newer than the 2020 description


@pytest.mark.parametrize(
    ("blocks", "text", "error", "detail"),
    [
        (report_blocks("x", button="b" * 76), "t", "invalid_blocks", "at most 75 characters"),
        (report_blocks("x", value="v" * 2001), "t", "invalid_blocks", "at most 2000"),
        (report_blocks("s" * 3001), "t", "invalid_blocks", "at most 3000 characters"),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "a" * 256,
                            "text": {"type": "plain_text", "text": "ok"},
                        }
                    ],
                }
            ],
            "t",
            "invalid_blocks",
            "action_id: must be at most 255",
        ),
        ([{"type": "divider"}] * 51, "t", "invalid_blocks", "at most 50 blocks"),
        (None, "x" * 40_001, "msg_too_long", "40001 characters"),
        pytest.param(
            None,
            "",
            "no_text",
            "no text",
            marks=pytest.mark.filterwarnings("ignore:The top-level `text`"),
        ),
        ([{"type": "section"}], "t", "invalid_blocks", "needs text or fields"),
    ],
)
async def test_what_slack_refuses_is_answered_and_recorded(
    fake: FakeSlack,
    client: AsyncWebClient,
    blocks: list[Any] | None,
    text: str,
    error: str,
    detail: str,
) -> None:
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel="C1", text=text, blocks=blocks)
    assert refused.value.response["error"] == error
    assert len(fake.violations) >= 1
    assert detail in fake.violations[0], fake.violations
    assert fake.messages("C1") == []


def test_the_block_checks_accept_what_slack_accepts() -> None:
    assert check_blocks(report_blocks("fine")) == []
    assert check_blocks([{"type": "divider"}] * 50) == []
    duplicate = [{"type": "divider", "block_id": "x"}, {"type": "divider", "block_id": "x"}]
    assert check_blocks(duplicate) == ["blocks[1].block_id: 'x' is used twice"]


async def test_views_are_stored_and_checked(fake: FakeSlack, client: AsyncWebClient) -> None:
    home = {"type": "home", "blocks": report_blocks("Your reports")}
    published = await client.views_publish(user_id="U1", view=home)
    assert fake.home("U1")["id"] == published["view"]["id"]
    again = await client.views_publish(user_id="U1", view=home)
    assert again["view"]["id"] == published["view"]["id"]  # one Home tab per user
    assert fake.app_home_opened("U1")["view"]["id"] == published["view"]["id"]
    pressed = fake.view_action("U1", published["view"]["id"], "ack")
    assert pressed["container"] == {"type": "view", "view_id": published["view"]["id"]}
    assert pressed["actions"][0]["value"] == "ack:1"

    modal = {
        "type": "modal",
        "callback_id": "report",
        "title": {"type": "plain_text", "text": "Report"},
        "submit": {"type": "plain_text", "text": "Send"},
        "private_metadata": "ctx-1",
        "blocks": [
            {
                "type": "input",
                "block_id": "what",
                "label": {"type": "plain_text", "text": "What happened?"},
                "element": {"type": "plain_text_input", "action_id": "what_text"},
            }
        ],
    }
    trigger = fake.new_trigger_id()
    opened = await client.views_open(trigger_id=trigger, view=modal)
    view_id = opened["view"]["id"]
    assert view_id.startswith("V")
    assert fake.modals[trigger]["callback_id"] == "report"
    await client.views_update(view_id=view_id, view={**modal, "private_metadata": "ctx-2"})
    assert fake.modals[trigger]["private_metadata"] == "ctx-2"
    assert fake.violations == []

    with pytest.raises(SlackApiError) as refused:
        await client.views_open(
            trigger_id=fake.new_trigger_id(),
            view={**modal, "title": {"type": "plain_text", "text": "A title far too long for it"}},
        )
    assert refused.value.response["error"] == "invalid_arguments"
    assert "view.title.text: must be at most 24" in fake.violations[0]

    submission = fake.view_submission("U1", "report", values={"what_text": "a fall"})
    assert submission["view"]["state"]["values"] == {
        "what": {"what_text": {"type": "plain_text_input", "value": "a fall"}}
    }
    assert submission["view"]["private_metadata"] == "ctx-2"


# ------------------------------------------------------------------------------ failures


async def test_an_injected_429_is_a_slack_api_error_by_default(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    """slack_sdk's AsyncWebClient only retries connection errors by default: a 429 raises."""
    fake.fail_next("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        await client.chat_postMessage(channel="C1", text="hello")
    response = limited.value.response
    assert (response.status_code, response["error"]) == (429, "ratelimited")
    assert response.headers["Retry-After"] == "7"
    assert fake.injected == [("chat.postMessage", 429, "ratelimited")]
    assert fake.rate_limited == 0  # injected, not provoked
    await client.chat_postMessage(channel="C1", text="hello")  # only the next call failed
    assert len(fake.messages("C1")) == 1


async def test_the_rate_limit_retry_handler_waits_retry_after_and_retries(
    fake: FakeSlack,
) -> None:
    client = AsyncWebClient(
        token=BOT_TOKEN,
        base_url=fake.api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.fail_next("chat.postMessage", retry_after=0)  # sleeps Retry-After + up to 1 s
    sent = await client.chat_postMessage(channel="C1", text="hello")
    assert sent["ok"]
    assert len(fake.calls_to("chat.postMessage")) == 2
    assert len(fake.messages("C1")) == 1


async def test_error_answers_can_be_injected_per_channel(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    fake.fail_next("chat.postMessage", error="cannot_dm_bot", channel="U9")
    await client.chat_postMessage(channel="U1", text="not affected")
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel="DU9", text="to U9")  # same conversation
    assert (refused.value.response.status_code, refused.value.response["error"]) == (
        200,
        "cannot_dm_bot",
    )
    fake.fail_next("users.info", error="user_not_found")
    with pytest.raises(SlackApiError):
        await client.users_info(user="U1")
    assert fake.violations == []


async def test_more_than_a_burst_then_one_a_second_per_channel_is_rate_limited(
    client: AsyncWebClient,
) -> None:
    now = [100.0]
    async with FakeSlack(clock=lambda: now[0]) as fake:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)
        for n in range(3):
            await client.chat_postMessage(channel="C1", text=f"burst {n}")
        with pytest.raises(SlackApiError) as limited:
            await client.chat_postMessage(channel="C1", text="one too many")
        assert limited.value.response.headers["Retry-After"] == "1"
        assert fake.rate_limited == 1
        await client.chat_postMessage(channel="C2", text="another channel is fine")
        now[0] += 1.0
        await client.chat_postMessage(channel="C1", text="a second later")
        for _ in range(5):  # a steady 1/s never hits the limit
            now[0] += 1.0
            await client.chat_postMessage(channel="C1", text="steady")
        assert fake.rate_limited == 1
        assert len(fake.messages("C1")) == 9


# ------------------------------------------------------------------------------ Bolt over HTTP


async def test_a_bolt_app_gets_signed_events_and_refuses_bad_signatures(fake: FakeSlack) -> None:
    app = bolt_app(fake)
    seen: list[tuple[str, str | None]] = []

    @app.event("message")
    async def on_dm(event: dict[str, Any], say: Any, request: Any) -> None:
        # Bolt keeps X-Slack-Retry-Num in the request headers (values are lists).
        retry = request.headers.get("x-slack-retry-num")
        seen.append((event["text"], retry[0] if retry else None))
        await say(f"got {event['text']}")

    runner, url = await serve(app)
    try:
        status, _ = await fake.send_event(url, SECRET, fake.dm_event("U123", "hello"))
        assert status == 200
        await fake.wait_for(lambda: fake.messages("DU123"))
        assert fake.messages("U123")[0]["text"] == "got hello"
        assert len(fake.calls_to("auth.test")) == 1  # Bolt authorizes once, lazily

        status, body = await fake.send_event(
            url, SECRET, fake.dm_event("U123", "forged"), bad_signature=True
        )
        assert status == 401
        assert json.loads(body) == {"error": "invalid request"}
        status, _ = await fake.send_event(
            url, SECRET, fake.dm_event("U123", "stale"), timestamp=1_600_000_000
        )
        assert status == 401

        event = fake.dm_event("U123", "again")
        await fake.send_event(url, SECRET, event, event_id="Ev1")
        await fake.send_event(url, SECRET, event, event_id="Ev1", retry_num=1)
        await fake.wait_for(lambda: len(seen) == 3)
        assert seen == [("hello", None), ("again", None), ("again", "1")]

        status, body = await fake.send_url_verification(url, SECRET, "c-123")
        assert (status, json.loads(body)) == (200, {"challenge": "c-123"})
        assert fake.violations == []
        assert fake.late == []
    finally:
        await runner.cleanup()


async def test_a_bolt_app_handles_commands_buttons_and_modals(fake: FakeSlack) -> None:
    app = bolt_app(fake)
    modal = {
        "type": "modal",
        "callback_id": "report",
        "title": {"type": "plain_text", "text": "Report"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "what",
                "label": {"type": "plain_text", "text": "What happened?"},
                "element": {"type": "plain_text_input", "action_id": "what_text"},
            }
        ],
    }

    @app.command("/safety")
    async def safety(ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=modal)
        await respond("Opening the form")

    @app.action("ack")
    async def pressed(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.chat_update(
            channel=body["container"]["channel_id"],
            ts=body["container"]["message_ts"],
            text=f"Taken by {body['user']['id']}",
            blocks=[],
        )

    @app.view("report")
    async def submitted(ack: Any, view: dict[str, Any]) -> None:
        text = view["state"]["values"]["what"]["what_text"]["value"]
        if len(text) < 5:
            await ack(response_action="errors", errors={"what": "Tell us a little more"})
        else:
            await ack()

    runner, url = await serve(app)
    try:
        status, _ = await fake.send_command(url, SECRET, "/safety", "", user_id="U5")
        assert status == 200
        await fake.wait_for(lambda: fake.modals)
        [opened] = fake.modals.values()
        assert opened["callback_id"] == "report"
        await fake.wait_for(lambda: fake.ephemeral("DU5", "U5"))
        assert fake.ephemeral("U5", "U5")[0]["text"] == "Opening the form"

        status, body = await fake.send_interaction(
            url, SECRET, fake.view_submission("U5", opened["id"], values={"what_text": "hm"})
        )
        assert json.loads(body) == {
            "response_action": "errors",
            "errors": {"what": "Tell us a little more"},
        }
        status, body = await fake.send_interaction(
            url, SECRET, fake.view_submission("U5", "report", values={"what_text": "a fall"})
        )
        assert (status, body) == (200, "")

        client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)
        sent = await client.chat_postMessage(
            channel="C0SAFETY", text="New report", blocks=report_blocks("help")
        )
        action = fake.block_action("U7", "C0SAFETY", sent["ts"], "ack", "ack:1")
        assert action["actions"][0]["block_id"] == "report-actions"
        status, _ = await fake.send_interaction(url, SECRET, action)
        assert status == 200
        await fake.wait_for(lambda: fake.messages("C0SAFETY")[0]["edit_count"] == 1)
        assert fake.messages("C0SAFETY")[0]["text"] == "Taken by U7"
        assert fake.messages("C0SAFETY")[0]["blocks"] == []

        with pytest.raises(LookupError):
            fake.block_action("U7", "C0SAFETY", sent["ts"], "ack", "not-the-value")
        status, _ = await fake.send_interaction(url, SECRET, action, bad_signature=True)
        assert status == 401
        assert fake.violations == []
    finally:
        await runner.cleanup()


# ------------------------------------------------------------------------------ Socket Mode


async def test_a_socket_mode_handler_connects_receives_and_acks(fake: FakeSlack) -> None:
    app = bolt_app(fake)
    texts: list[str] = []

    @app.event("message")
    async def on_dm(event: dict[str, Any], say: Any) -> None:
        texts.append(event["text"])
        await say(f"got {event['text']}")

    @app.command("/safety")
    async def safety(ack: Any) -> None:
        await ack("Here to help")

    handler = AsyncSocketModeHandler(app, app_token=APP_TOKEN, ping_interval=0.2)
    await handler.connect_async()
    try:
        await asyncio.wait_for(fake.socket_connected.wait(), 5)
        assert fake.calls_to("apps.connections.open") == [{}]
        assert fake.requests[0].token == APP_TOKEN

        envelope_id = await fake.socket_send("events_api", fake.dm_event("U42", "hi there"))
        ack = await fake.socket_acked(envelope_id)
        assert ack == {"envelope_id": envelope_id}
        await fake.wait_for(lambda: fake.messages("U42"))
        assert fake.messages("U42")[0]["text"] == "got hi there"

        command_id = await fake.socket_send(
            "slash_commands", fake.slash_command("/safety", user_id="U42")
        )
        ack = await fake.socket_acked(command_id)
        assert ack["payload"] == {"text": "Here to help"}

        # The client pings (and the fake pongs) on its ping_interval.
        await fake.wait_for(lambda: fake.socket_pings >= 2)

        # Slack's periodic refresh: the client fetches a new URL and reconnects.
        await fake.socket_disconnect()
        await fake.wait_for(lambda: fake.socket_connections == 2 and fake.socket_connected.is_set())
        assert len(fake.calls_to("apps.connections.open")) == 2
        envelope_id = await fake.socket_send(
            "events_api", fake.dm_event("U42", "after refresh"), retry_attempt=1
        )
        await fake.socket_acked(envelope_id)
        await fake.wait_for(lambda: len(fake.messages("U42")) == 2)

        # A dropped connection: the client reconnects on its own too.
        await fake.socket_drop()
        await fake.wait_for(lambda: fake.socket_connections == 3 and fake.socket_connected.is_set())
        await fake.socket_acked(await fake.socket_send("events_api", fake.dm_event("U42", "back")))
        assert texts == ["hi there", "after refresh", "back"]
        assert fake.violations == []
        assert fake.late == []
    finally:
        await handler.close_async()


async def test_an_unhandled_socket_event_is_not_acked(
    fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """Bolt acks only when a listener matched: Slack would redeliver an unhandled event."""
    caplog.set_level(logging.INFO)
    handler = AsyncSocketModeHandler(bolt_app(fake), app_token=APP_TOKEN)
    await handler.connect_async()
    try:
        envelope_id = await fake.socket_send("events_api", fake.app_home_opened("U1"))
        # What the client logs, instead of acking, once Bolt has handled the event (no listener)
        await fake.wait_for(
            lambda: any("Unsuccessful Bolt execution" in r.getMessage() for r in caplog.records),
            timeout=10,
        )
        with pytest.raises(AssertionError, match="not acked"):
            await fake.socket_acked(envelope_id, timeout=0)
        assert fake.socket_ack(envelope_id) is None
    finally:
        await handler.close_async()


# ------------------------------------------------------------------------------ helpers


async def test_wait_for_explains_a_timeout(fake: FakeSlack) -> None:
    with pytest.raises(AssertionError, match=r"timed out after 0\.1s waiting for"):
        await fake.wait_for(lambda: fake.messages("C1"), timeout=0.1)


async def test_raw_http_is_checked_too(fake: FakeSlack) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(
            fake.api_url + "chat.postMessage", data={"channel": "C1", "text": "no token"}
        ) as response:
            assert (await response.json())["error"] == "not_authed"
        async with session.post(
            fake.api_url + "chat.postMessage",
            data={"token": BOT_TOKEN, "channel": "C1", "blocks": "[not json"},
        ) as response:
            assert (await response.json())["error"] == "invalid_arguments"
    assert len(fake.violations) == 2
    assert "blocks: not valid JSON" in fake.violations[1]


async def test_a_call_needing_a_scope_the_app_was_not_granted_is_refused() -> None:
    async with FakeSlack(scopes=["chat:write"]) as fake:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)
        posted = await client.chat_postMessage(channel="C1", text="allowed")
        assert posted.headers["x-oauth-scopes"] == "chat:write"
        await client.views_publish(user_id="U1", view={"type": "home", "blocks": []})  # no scope
        shared = fake.add_file("list.csv", b"name\nAlex\n")
        with pytest.raises(SlackApiError) as refused:
            await client.files_info(file=shared["id"])
        assert refused.value.response["error"] == "missing_scope"
        assert fake.violations == [
            "files.info: missing_scope: needs files:read, which the app was not granted"
        ]


async def test_typed_text_arrives_escaped_as_slack_sends_it_and_reads_back_as_typed(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    event = fake.dm_event("U123", "R&D room <2nd floor>")
    assert event["text"] == "R&amp;D room &lt;2nd floor&gt;"
    assert fake.dm_event("U123", "", markup="<@U0BOB> hi")["text"] == "<@U0BOB> hi"
    edit = fake.dm_edit_event(event, "R&D room <3rd floor>")
    assert edit["subtype"] == "message_changed" and edit["channel_type"] == "im"
    assert edit["message"]["ts"] == event["ts"] and edit["message"]["user"] == "U123"
    assert edit["message"]["text"] == "R&amp;D room &lt;3rd floor&gt;"
    assert edit["previous_message"]["text"] == event["text"]
    assert fake.slash_command(text="note R&D")["text"] == "note R&amp;D"
    with pytest.raises(ValueError, match="40000"):
        fake.dm_event("U123", "x" * 40_001)
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "R&amp;D &lt;2&gt; <https://x.org|x> <@U9|kim>"},
        }
    ]
    await client.chat_postMessage(channel="U123", text="fallback", blocks=blocks)
    assert fake.read(fake.messages("U123")[0]) == "R&D <2> x @kim"
