"""Handing a case to an outside contact with only what they need (story 2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from support import Harness, case_code

from bot.ports.events import Forwarded

ACCOUNT = "He keeps inviting me to hang out after I said no, always when I'm alone."
WHO = "Tall man with a lanyard of the conference next door"


async def _taken(bot: Harness, disclosure: str = "Named") -> str:
    code = await bot.file_report(account=ACCOUNT, who_text=WHO, disclosure=disclosure)
    await bot.press("alice", "Acknowledge")
    return code


async def test_only_the_ticked_fields_reach_the_outside_contact(team_bot: Harness) -> None:
    bot = team_bot
    code = await _taken(bot)
    await bot.say("alice", f"/handoff {code} nextdoor Please keep him away from our venue")
    preview = bot.platform.last("alice")
    assert "Handoff to Organizers of the event next door" in preview.text
    assert "Who was involved" in preview.labels and "Reporter's name and contact" in preview.labels
    await bot.press("alice", "Who was involved")
    assert "✓ Who was involved" in bot.platform.last("alice").labels
    await bot.press("alice", "Send to Organizers of the event next door")
    # A part of the report goes only with the reporter's yes (issue 15).
    assert bot.last_text("alice").startswith("I've asked the reporter whether")
    assert bot.platform.texts("nextdoor") == []
    await bot.press("sam", "Yes, share it")
    assert bot.last_text("alice").endswith(
        "Agreed: sent to Organizers of the event next door: the code, severity and what you"
        " need, and: Who was involved."
    )
    received = bot.platform.texts("nextdoor")
    assert len(received) == 1
    assert code in received[0] and "Please keep him away from our venue" in received[0]
    assert WHO in received[0]
    assert ACCOUNT not in received[0] and "Sam" not in received[0]  # not ticked
    handoffs = [(a, d) for a, k, d in await bot.audit(code) if k == "handoff"]
    assert len(handoffs) == 1 and handoffs[0][0] == "member:alice"
    assert handoffs[0][1]["fields"] == ["who"] and handoffs[0][1]["to"] == "nextdoor"

    await bot.press("alice", "Send to Organizers of the event next door")  # pressed twice
    assert bot.last_text("alice") == "This handoff was already sent; nothing was sent again."
    assert len(bot.platform.texts("nextdoor")) == 1


async def test_a_pseudonymous_reporter_is_never_offered(team_bot: Harness) -> None:
    bot = team_bot
    code = await _taken(bot, disclosure="Pseudonymous")
    await bot.say("alice", f"/handoff {code} venue Watch the side entrance")
    assert "Reporter's name and contact" not in bot.platform.last("alice").labels


async def test_speaking_to_the_reported_person_needs_two_people(team_bot: Harness) -> None:
    bot = team_bot
    code = await _taken(bot)
    await bot.say("alice", f"/handoff {code} nextdoor Please talk to him")
    await bot.press("alice", "Ask them to speak to the reported person")
    await bot.press("alice", "Send to Organizers of the event next door")
    assert "needs two named people on the case" in bot.last_text("alice")
    assert bot.platform.texts("nextdoor") == []
    assert "handoff_refused" in [k for _, k, _ in await bot.audit(code)]

    await bot.say("alice", f"/second {code} bob")
    await bot.press("alice", "Send to Organizers of the event next door")
    assert len(bot.platform.texts("nextdoor")) == 1
    assert "speak to the person this is about" in bot.platform.texts("nextdoor")[0]


async def test_bad_handoffs_change_nothing(team_bot: Harness) -> None:
    bot = team_bot
    code = await _taken(bot)
    await bot.say("alice", f"/handoff {code} nobody help")
    assert "External contacts: foundation (Foundation safety team)" in bot.last_text("alice")
    await bot.say("alice", f"/handoff {code} venue")
    assert bot.last_text("alice").startswith("Use /handoff")
    await bot.say("bob", f"/handoff {code} venue help")  # not the handler
    assert "only they, the second person on it or a lead can change it" in bot.last_text("bob")
    await bot.say("alice", f"/handoff {code} venue Watch the door")
    await bot.press("alice", "Send to Venue security", as_who="bob")  # someone else's button
    assert bot.last_text("bob") == "That button isn't for you, so I did nothing with it."
    await bot.press("alice", "Cancel")
    assert bot.last_text("alice") == "Handoff cancelled; nothing was sent."
    assert bot.platform.texts("venue") == []


async def test_a_forwarded_message_reaches_the_outside_contact_marked_as_forwarded(
    team_bot: Harness,
) -> None:
    bot = team_bot
    await bot.say("sam", "/report")
    await bot.press("sam", "No")
    for label in ("It happened to me", "Named", "Message me here"):
        await bot.press("sam", label)
    await bot.say("sam", ACCOUNT)
    origin = Forwarded("hidden_user", "Rik", datetime(2027, 8, 10, 21, 5, tzinfo=UTC))
    await bot.app.handle(replace(bot.event("sam", "you will regret this"), forwarded=origin))
    await bot.app.flush()
    assert "Got it. Add more" in bot.last_text("sam")
    await bot.press("sam", "Done")
    for label in ("Earlier today", "At the event venue"):
        await bot.press("sam", label)
    await bot.say("sam", WHO)
    for label in ("A participant", "No one", "Done", "Skip"):
        await bot.press("sam", label)
    await bot.press("sam", "Send report")
    code = case_code(bot.confirmation("sam"))
    await bot.press("alice", "Acknowledge")
    await bot.say("alice", f"/handoff {code} nextdoor Please keep him away")
    await bot.press("alice", "What happened")
    await bot.press("alice", "Send to Organizers of the event next door")
    assert bot.platform.texts("nextdoor") == []  # a part of the report waits for the yes
    await bot.press("sam", "Yes, share it")
    (received,) = bot.platform.texts("nextdoor")
    assert (
        f"What happened: {ACCOUNT} / Forwarded message from Rik (their account is hidden),"
        " first sent Tue 10 Aug 21:05: you will regret this"
    ) in received
