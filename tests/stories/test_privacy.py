"""Private by default: the team channel and the database file never show what a reporter said."""

from __future__ import annotations

from pathlib import Path

from support import Harness

MARKER = "ZQXJ-UNIQUE-MARKER-7731"


def _raw_database(path: Path) -> bytes:
    """Every byte SQLite keeps for this database: the file and its write-ahead log."""
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            data += candidate.read_bytes()
    return data


async def test_account_marker_never_reaches_the_channel_or_the_raw_file(bot: Harness) -> None:
    code = await bot.file_report(
        "sam",
        account=f"It happened by the stairs. {MARKER}",
        who_text=f"Someone called {MARKER}-person",
        disclosure="Named",
    )
    await bot.press("alice", "Acknowledge")
    await bot.say("lena", "/summary", channel=True)
    await bot.say("alice", "/summary", channel=True)

    channel = bot.platform.chat("team")
    assert channel, "the channel should have had posts"
    assert any(code in shown.text for shown in channel)
    for message in bot.platform.sends:
        if message.address.chat_id == "team":
            assert MARKER not in message.text.plain
            assert "Sam" not in message.text.plain
            assert "sam" not in message.text.plain
    # the handler does get the account
    assert any(MARKER in text for text in bot.platform.texts("alice"))

    await bot.stop()
    raw = _raw_database(bot.path)
    assert raw, "the database file should exist"
    assert MARKER.encode() not in raw
    assert b"stairs" not in raw
    assert b"console:sam" not in raw


async def test_draft_in_progress_is_encrypted_too(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "No")
    await bot.press("sam", "It happened to me")
    await bot.press("sam", "Pseudonymous")
    await bot.press("sam", "Message me here")
    await bot.say("sam", f"Draft text {MARKER}")
    await bot.stop()
    assert MARKER.encode() not in _raw_database(bot.path)


async def test_the_channel_line_shows_only_code_severity_state_and_age(bot: Harness) -> None:
    code = await bot.file_report()
    (post,) = bot.platform.chat("team")
    assert post.text == f"{code} · medium · awaiting acknowledgement · opened just now"
    assert post.message.choices == []


async def test_a_named_reporter_hidden_from_a_lead_is_not_called_pseudonymous(bot: Harness) -> None:
    """A lead who looks at a case they do not handle sees no identity, and is told the truth
    about why: the reporter chose to be named to the person handling it."""
    code = await bot.file_report(disclosure="Named")
    await bot.say("lena", f"/case {code}")
    shown = bot.last_text("lena")
    assert "Identity: named: shown to the person handling it" in shown
    assert "pseudonymous" not in shown and "(id sam)" not in shown


async def test_a_reporter_who_excluded_the_contact_on_duty_is_not_told_that_contact_has_it(
    bot: Harness,
) -> None:
    code = await bot.file_report(exclude=("Alice Example",))
    assert not any(code in text for text in bot.platform.texts("alice"))
    told = bot.confirmation("sam")
    assert "the safety team has been alerted" in told
    assert "on duty has been alerted" not in told
