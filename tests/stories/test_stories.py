"""The four stories of ``seed-scenarios.md``, end to end on the console adapter.

Each is typed into the console as the people in it would, and asserts what that story needs.
"""

from __future__ import annotations

import re
from pathlib import Path

from story import Story

HOUR = 3600.0


def report_script(
    who: str,
    account: str,
    reported: str,
    *,
    affiliation: str = "A participant",
    where: str = "At the event venue",
    disclosure: str = "Pseudonymous",
) -> str:
    contact = "" if disclosure == "Anonymous" else "> Message me here"
    return f"""
        @{who} /report
        > No
        > It happened to me
        > {disclosure}
        {contact}
        {account}
        > Done
        > Earlier today
        > {where}
        {reported}
        > {affiliation}
        > No one
        > Done
        > Skip
        > Send report
    """


# -- 1. A known name on the registration list --------------------------------------------------

NOTICEBOARD = "User:JoD is discussed on the admins' noticeboard for off-wiki harassment."


async def test_story_1_a_known_name_on_the_registration_list(story: Story, tmp_path: Path) -> None:
    # A case nobody reported, opened from the noticeboard discussion.
    await story.run(f"""
        @alice /case new
        > No
        {NOTICEBOARD}
        > Done
        > Another day
        > Online
        User:JoD
        > A participant
        > Not sure
        > Done
        > Skip
        > Send report
        > Acknowledge
    """)
    code = story.code("alice")
    # Onto the register in one command, flagged for the event, for the safety team only.
    await story.run(f"""
        /person from {code}
        /person flag P-1 watch until 2027-08-14 Noticeboard thread; brief the people at the door
        @carol /person list
    """)
    assert f"Added P-1 from {code}, linked to it." in story.chat("alice")[-2]
    assert "That is for the safety team" in story.last("carol")

    # Checking the registration list privately: flag and case codes only.
    registrations = tmp_path / "registrations.csv"
    registrations.write_text(
        "Name,Username,Email,Diet\nAnn Example,AnnE,ann@example.org,vegan\n"
        "Johanna Doe,JoD,jd@example.net,none\n",
        encoding="utf-8",
    )
    await story.run(f"@lena /screen [file {registrations}]")
    answer = story.last("lena")
    assert f"line 3 (Username JoD): watch until 2027-08-14, cases {code}" in answer
    assert "Ann" not in answer and "Noticeboard" not in answer

    # The risk is assessed as severe: the foundation's safety team hears of it and whom to call.
    await story.run(f"@alice /severity {code} critical")
    assert story.last("alice") == f"{code} is now critical. Told: Foundation safety team."
    (alert,) = story.chat("foundation")
    assert f"case {code} is assessed as critical" in alert and "Alice Example" in alert
    assert "JoD" not in alert and "noticeboard" not in alert.lower()

    # Two named people on any contact with the reported person.
    await story.run(f"@alice /statement {code} reported JoD says the thread is about someone else.")
    assert "needs two named people" in story.last("alice")

    # During the event a participant reports them: the handler learns of the history, nobody else.
    await story.run(report_script("sam", "He stood in my way at the door.", "jod, at the door"))
    second = story.code("sam")
    await story.run("@alice > Acknowledge")
    taken = story.last("alice")
    assert f"this person appears in 1 other case: {code}." in taken
    assert "On the register: P-1 · watch until 2027-08-14." in taken
    assert second != code
    assert not any(code in text for text in story.chat("sam"))  # the reporter is never told
    for text in story.chat("sam") + story.chat("#team"):
        assert "register" not in text and "P-1" not in text and "appears in" not in text

    # The watch note reaches the people on duty at each shift handoff while the flag lasts.
    await story.advance(8 * HOUR)  # Bob's shift at 18:00
    handoff = next(t for t in story.chat("bob") if "Your shift starts now" in t)
    assert (
        "P-1 User:JoD · watch until 2027-08-14: Noticeboard thread; brief the people at the door"
        in (handoff)
    )
    assert not any("JoD" in text for text in story.chat("#team"))


# -- 2. Someone from the event next door ------------------------------------------------------

NEXT_DOOR = "He keeps inviting me to hang out after I said no twice, only when I'm alone."
RIK = "Rik, tall, blue lanyard of the conference next door"


async def test_story_2_someone_from_the_event_next_door(story: Story) -> None:
    # A description is enough: the reported person is on no list.
    await story.run(report_script("sam", NEXT_DOOR, RIK, affiliation="From another event"))
    code = story.code("sam")
    assert "Your report is in" in story.chat("sam")[-2]
    # opt-in check-ins for the rest of the event
    await story.run("@sam > Every 2 hours")
    assert "check in" in story.last("sam").lower()
    await story.run("@alice > Acknowledge")
    assert "picked up your report" in story.last("sam")

    # Later he finds her alone: "I need help now" pages everyone on duty with where she is.
    await story.run("""
        @sam /help
        > I need help now
        Coffee corner on the 2nd floor, he is standing next to me
    """)
    urgent = story.code("sam")
    assert urgent != code
    for contact in ("alice", "bob", "mira"):
        pages = [t for t in story.chat(contact) if urgent in t and "someone needs help now" in t]
        assert pages, contact
    assert any("Coffee corner on the 2nd floor" in t for t in story.chat("alice"))
    await story.run("@bob > Acknowledge")
    assert any("You're handling" in t and urgent in t for t in story.chat("bob"))

    # Hand the first case to the other event's organizers, with only what they need.
    await story.run(f"""
        @alice /handoff {code} nextdoor Please keep this person away from our participant
        > Who was involved
        > Send to Organizers of the event next door
    """)
    assert story.chat("nextdoor") == []  # a part of her report goes only with her yes
    assert "Is that OK?" in story.last("sam")
    await story.run("@sam > Yes, share it")
    (packet,) = story.chat("nextdoor")
    assert code in packet and RIK in packet and "keep this person away" in packet
    assert NEXT_DOOR not in packet and "Coffee corner" not in packet

    # Check-ins for the rest of the event.
    await story.advance(2 * HOUR)
    assert "How are you doing?" in story.last("sam")
    await story.run("@sam > I'm OK")
    assert story.last("sam").startswith("Thank you for letting us know")

    # The team channel never shows who or what.
    for text in story.chat("#team"):
        assert "Rik" not in text and "lanyard" not in text and "Coffee" not in text


# -- 3. A heated debate on the way to the event -----------------------------------------------

TRAIN = "On the train Kim shouted at Jo during an argument and grabbed Jo's arm."


async def test_story_3_a_heated_debate_on_the_way(story: Story) -> None:
    # Jo tells Carol in person; Carol files it on Jo's behalf.
    await story.run(f"""
        @carol /report for
        > No
        > It happened to me
        > Named
        > Through me
        {TRAIN}
        > Done
        > Another day
        > Travelling to or from the event
        Kim, from the other affiliate group; both are in the shared flat
        > A participant
        > No one
        > Done
        > Skip
        > Send report
    """)
    code = story.code("carol")
    assert "You can give the person this code" in story.last("carol")
    page = next(t for t in story.chat("alice") if code in t)
    assert "taken in person by Carol Organizer" in page

    # Hear both sides separately, each with a second team member present.
    await story.run(f"""
        @alice > Acknowledge
        /statement {code} reported Kim says Jo started it.
    """)
    assert "needs two named people on the case" in story.last("alice")
    await story.run(f"""
        /second {code} bob
        /statement {code} reporter Jo: it got personal, then Kim grabbed my arm.
        /statement {code} reported Kim: we argued, I regret grabbing the arm.
    """)
    assert story.last("alice") == (
        f"Statement (reported) recorded on {code}; present: Alice Example, Bob Builder."
    )
    assert "asked you to be the second person" in story.last("bob")

    # Re-accommodate both, without favouring either: two tasks with an owner and a due time.
    await story.run(f"""
        /task {code} carol 18:00 Find Jo a room on another floor
        /task {code} carol 18:00 Find Kim a room on another floor
    """)
    assert sum("gave you a task" in t for t in story.chat("carol")) == 2
    await story.advance(8 * HOUR)  # 18:00
    reminders = [t for t in story.chat("carol") if t.startswith("Reminder: a task")]
    assert len(reminders) == 2
    await story.run("@carol /task done 1")
    await story.advance(HOUR)
    reminders = [t for t in story.chat("carol") if t.startswith("Reminder: a task")]
    assert len(reminders) == 3 and "Find Kim a room" in reminders[-1]
    await story.run("@carol /task done 2")
    await story.advance(3 * HOUR)
    assert sum(t.startswith("Reminder: a task") for t in story.chat("carol")) == 3

    # Resolved: the handler gets a word on looking after themselves.
    await story.run(f"@alice /resolve {code} no_contact_agreement Both agreed to keep apart.")
    assert "Take a break and debrief with your lead" in story.last("alice")
    await story.run(f"@alice /case {code}")
    shown = story.last("alice")
    for needed in ("statement reporter", "statement reported", "task done", "Tasks:"):
        assert needed in shown, needed


# -- 4. A report about a board member, after the event ----------------------------------------

BOARD = "BramB, a board member of our affiliate, kept touching my shoulder and following me."


async def test_story_4_a_report_about_a_board_member_after_the_event(story: Story) -> None:
    # The reporter has reported many times before, about other people.
    earlier = []
    for n in range(3):
        await story.run(report_script("sam", f"Earlier incident number {n}", f"Person {n}"))
        earlier.append(story.code("sam"))
        await story.run("@sam > No, thank you")
    # After the event has ended (it ends on the 14th at 22:00).
    await story.advance(5 * 24 * HOUR)
    seen_before = len(story.messages())
    await story.run(report_script("sam", BOARD, "BramB", affiliation="Board or staff"))
    code = story.code("sam")
    assert "nobody is on duty right now. The team's leads have it" in story.chat("sam")[-1]
    after = story.messages()[seen_before:]

    # It routes above him: the leads who are not conflicted and the external safety team.
    for lead in ("lena", "mira"):
        assert any(code in t and BOARD in t for chat, t in after if chat == lead), lead
    assert any(code in t for chat, t in after if chat == "foundation")
    assert not any(code in t for chat, t in after if chat in ("alice", "bob", "carol"))
    # Bram, on the team, sees nothing of it, not even in the channel.
    assert story.chat("bram") == []
    (line,) = [t for chat, t in after if chat == "#team"]
    assert line.startswith(f"{code} · medium · awaiting acknowledgement") and "lead" not in line
    unknown = "I can't find a case FS-ZZZZ that you can see. Check the code and try again."
    for member in ("bram", "alice"):
        await story.run(f"@{member} /case {code}")
        assert story.last(member) == unknown.replace("FS-ZZZZ", code)

    # Both parties are heard with two people present.
    await story.run(f"""
        @lena > Acknowledge
        /statement {code} reported He says it was friendly.
    """)
    assert "needs two named people" in story.last("lena")
    await story.run(f"""
        /second {code} mira
        /statement {code} reporter She describes three occasions.
        /statement {code} reported He says it was friendly.
    """)
    assert story.last("lena") == (
        f"Statement (reported) recorded on {code}; present: Lena Lead, Mira Lead."
    )

    # Treated on its merits: nothing anywhere counts or links the reporter's earlier reports.
    for chat, text in story.messages()[seen_before:]:
        if chat == "sam":
            continue
        for old in earlier:
            assert old not in text, (chat, text)
        assert not re.search(r"(earlier|previous|other) reports?|reported before", text), text
    # Each refused look is recorded with who tried.
    trail = await story.audit(code)
    refused = [(actor, detail["reason"]) for actor, kind, detail in trail if kind == "open_refused"]
    assert refused == [
        ("member:bram", "named in the report"),
        ("member:alice", "for the leads only: the report is about someone on the team"),
    ]
