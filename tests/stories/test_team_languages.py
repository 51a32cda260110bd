"""The team in its own languages (issue 21): a member who chose a language is paged and works a
case in it; the team channel speaks the team's language; a drill's mark and debrief are in the
language of the member who reads them. Everyone who chose nothing reads the team's language."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from story import Story
from support import START, Harness
from teams import STORIES

from bot.config.teamfile import TeamFile, parse_team_text

DRILL_CODE = re.compile(r"DR-[A-Z2-9]{4}")
ACCOUNT = "Someone kept following me around the venue."


def report(who: str = "sam") -> str:
    """A short report, in English, by ``who``."""
    return "\n".join(
        [
            f"@{who} /report",
            "> No",
            "> It happened to me",
            "> Pseudonymous",
            "> Message me here",
            ACCOUNT,
            "> Done",
            "> Earlier today",
            "> At the event venue",
            "A tall man",
            "> A participant",
            "> No one",
            "> Done",
            "> Skip",
            "> Send report",
        ]
    )


async def test_a_member_who_chose_spanish_is_paged_and_works_a_case_in_spanish(
    story: Story,
) -> None:
    await story.run("@alice /language es")
    await story.run(report())
    code = story.code("sam")
    page = story.last("alice")
    assert page.startswith("Un informe nuevo necesita un contacto de seguridad.")
    assert ACCOUNT in page  # the reporter's words, as written
    assert "A new report" not in page

    await story.run(f"@alice /ack {code}")
    answer = story.last("alice")
    assert answer.startswith(f"Llevas {code}.")
    assert "A la persona que informó se le ha dicho que alguien lo ha tomado." in answer
    assert "You're handling" not in answer and "The reporter" not in answer
    # The channel speaks the team's language (English), whoever acted.
    assert f"{code} · medium · acknowledged by Alice Example" in "\n".join(story.chat("#team"))

    await story.run("@alice /summary")
    summary = story.last("alice")
    assert summary.splitlines()[0] == "Story team: resumen a las 10:00"
    assert "Casos abiertos: 1 (1 confirmado)" in summary
    assert "Por gravedad: 1 media" in summary
    assert "De guardia ahora: Alice Example (principal)" in summary
    await story.run("@alice /cases")
    assert story.last("alice").splitlines()[:2] == ["Casos abiertos", "Tuyos:"]
    await story.run(f"@alice /note {code} Hablé con ella a las 10:05.")
    assert story.last("alice") == f"Anotado en {code}."
    await story.run(f"@alice /severity {code} high")
    assert story.last("alice").startswith(f"{code} es ahora alta.")
    await story.run(f"@alice /case {code}")
    details = story.last("alice")
    assert "Cronología:" in details and "Hablé con ella a las 10:05." in details
    await story.run("@alice /oncall")
    assert story.last("alice").startswith("De guardia ahora: Alice Example (principal")
    await story.run(f"@alice /resolve {code} warning habló con él")
    said = "\n".join(story.chat("alice")[-3:])
    assert f"{code} está ahora: resuelto." in said
    assert "Un último mensaje para quien informó de" in said
    # the reporter, who chose nothing, still reads English
    assert "Your report" in "\n".join(story.chat("sam"))


def german_team() -> TeamFile:
    return parse_team_text(STORIES.replace("[team]\n", '[team]\nlanguage = "de"\n', 1), "de.toml")


@pytest.mark.parametrize("story_config", [german_team()])
async def test_the_channel_posts_in_the_teams_language(story: Story) -> None:
    await story.run("@sam /language en")  # the reporter reads English; the team, German
    await story.run(report())
    code = story.code("sam")
    channel = story.chat("#team")
    assert any(line.startswith(f"{code} · mittel · wartet auf Bestätigung") for line in channel)
    assert not any("awaiting" in line or "medium" in line for line in channel)
    assert "Thank you for telling us" in "\n".join(story.chat("sam"))
    # Alice chose nothing: the team's language is hers.
    assert story.last("alice").startswith("Eine neue Meldung braucht einen Sicherheitskontakt.")
    await story.run(f"@alice /ack {code}")
    assert story.chat("#team")[-1].startswith(f"{code} · mittel · bestätigt von Alice Example")
    # Mira chose Spanish for herself; what she asks for in the channel, everyone reads there.
    await story.run("@mira /language es\n@mira #team /summary")
    summary = story.last("#team")
    assert summary.splitlines()[0] == "Story team: Übersicht um 10:00"
    assert "Offene Fälle: 1 (1 bestätigt)" in summary
    await story.run("@mira /summary")
    assert story.last("mira").splitlines()[0] == "Story team: resumen a las 10:00"


async def test_a_drill_is_marked_and_debriefed_in_its_readers_language(story: Story) -> None:
    await story.run("@lena /language fr")
    await story.run("@lena /drill")
    started = story.last("lena")
    found = DRILL_CODE.search(started)
    assert found is not None
    code = found.group(0)
    assert started.startswith(f"EXERCICE · L'exercice {code} a commencé")
    assert "Chaque message à son sujet commence par EXERCICE." in started
    # Alice reads the team's language: the mark and the page are English.
    assert story.last("alice").startswith("DRILL · A new report needs a safety contact.")
    await story.advance(120)
    await story.run("@mira /drill stop")  # Mira (English) stops it; Lena started it
    assert story.last("mira").startswith(
        "DRILL · Stopped. Lena Lead, who started it, has the debrief:"
    )
    debrief = story.last("lena")
    assert debrief.startswith(f"EXERCICE · Bilan de l'exercice {code}")
    assert "Commencé à 10:00, terminé à 10:02 (2 min) : arrêté avec /drill stop." in debrief
    assert "Personne ne l'a confirmé." in debrief
    assert "Le cas d'exercice est effacé dans une minute. Il n'a jamais été compté." in debrief
    assert "DRILL" not in debrief and "Debrief" not in debrief


async def test_ready_and_the_daily_note_in_a_lead_s_language(tmp_path: Path) -> None:
    start = (START + timedelta(days=3, hours=12)).replace(tzinfo=None)
    shift = (start + timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M:%S")
    end = (start + timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%S")
    config = parse_team_text(
        f"""\
[team]
name = "Test team"
timezone = "UTC"
event_start = {start.strftime("%Y-%m-%dT%H:%M:%S")}
event_end = {end}

[[members]]
id = "bob"
name = "Bob Builder"
roles = ["safety_contact"]

[[members]]
id = "lena"
name = "Lena Lead"
roles = ["lead"]

[[rota]]
member = "bob"
start = {shift}
end = {end}
"""
    )
    bot = await Harness(tmp_path / "ready.db", config).start()
    try:
        await bot.say("lena", "/language es")
        async with bot.app.store.transaction() as tx:  # Bob's last page bounced
            await tx.mark_unreachable("console", "bob", bot.clock.now())
        await bot.say("lena", "/ready")
        text = bot.last_text("lena")
        assert text.startswith("2 problemas:")
        assert "No hay nadie en el cuadrante de" in text
        assert "Qué hacer: Bob Builder: abre un mensaje directo con el bot" in text
        # in the team channel, counts only, in the team's language (English)
        await bot.say("lena", "/ready", channel=True)
        channel = bot.platform.texts(bot.channel_id)[-1]
        assert "1 × people whose pages bounced" in channel and "Bob" not in channel
        await bot.advance(13 * 3600)  # three days before the start: the daily note
        (note,) = [t for t in bot.platform.texts("lena") if t.startswith("Antes del evento")]
        assert note.startswith("Antes del evento: a estas personas aún no se les puede avisar.")
        assert "Bob Builder: abre un mensaje directo con el bot y envía cualquier mensaje." in note
    finally:
        await bot.stop()
