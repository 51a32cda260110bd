"""A report in the reporter's own language, on the console: every question, button and answer in
it; the member paged reads the labels in their own language with the report as written, and is
told which language that is (issue 21)."""

from __future__ import annotations

import pytest
from story import Story

from bot.services import people
from bot.text.i18n import translator
from bot.uow import UnitOfWork

ACCOUNTS = {
    "en": "Someone shouted at me in the corridor.",
    "es": "Un hombre me siguió hasta el hotel y no dejaba de hacerme preguntas.",
    "fr": "Un homme m'a suivie jusqu'à l'hôtel et ne cessait de me poser des questions.",
    "de": "Ein Mann ist mir bis zum Hotel gefolgt und hat mich ständig ausgefragt.",
    "ar": "تبعني رجل حتى الفندق وظل يطرح عليّ الأسئلة.",
}
REPORTED = {
    "en": "The man at the coffee stand",
    "es": "El señor del puesto de café",
    "fr": "Le monsieur du stand de café",
    "de": "Der Mann vom Kaffeestand",
    "ar": "الرجل في كشك القهوة",
}
LANGUAGE_NAMES = {"es": "Spanish", "fr": "French", "de": "German", "ar": "Arabic"}


def press(language: str, label: str) -> str:
    """A console line pressing the button labelled ``label`` as ``language``'s reader sees it."""
    return "> " + translator(language).gettext(label)


def report_in(language: str, who: str = "sam", reported: str = "") -> str:
    """A whole report, as a reporter reading ``language`` types it and presses its buttons."""
    steps = [
        f"@{who} /report",
        press(language, "No"),
        press(language, "It happened to me"),
        press(language, "Pseudonymous"),
        press(language, "Message me here"),
        ACCOUNTS[language],
        press(language, "Done"),
        press(language, "Earlier today"),
        press(language, "At the event venue"),
        reported or REPORTED[language],
        press(language, "A participant"),
        press(language, "No one"),
        press(language, "Done"),
        press(language, "Skip"),
        press(language, "Send report"),
    ]
    return "\n".join(steps)


def page_of(story: Story, member: str) -> str:
    return next(t for t in reversed(story.chat(member)) if "safety contact" in t.splitlines()[0])


@pytest.mark.parametrize("language", ["es", "fr", "de", "ar"])
async def test_a_whole_report_in_the_reporters_language(story: Story, language: str) -> None:
    t = translator(language)
    await story.run(f"@sam /language {language}")
    assert story.last("sam") == t.gettext(
        "I'll write in English from now on. /language changes it again."
    )
    await story.run(report_in(language))
    chat = story.chat("sam")
    said = "\n".join(chat)
    for english in (
        "Thank you for reaching out. I'll ask a few questions, one at a time; most of them can be"
        " skipped. You can go back at any step, and /cancel stops without sending anything.",
        "First, are you in danger right now?",
        "Which of these fits best?",
        "How identifiable do you want to be to the person handling this?",
        "How may the safety team contact you about this?",
        "When did it happen? A rough time is fine, or type it.",
        "Here is your report. Nothing has been sent yet.",
        "Thank you for telling us. Your report is in: ",
        "You did the right thing by telling us, and you are not in trouble. Reporting when you're"
        " not sure is fine too.",
    ):
        assert t.gettext(english) in said, english
        assert english not in said, english  # nothing left in English
    code = story.code("sam")
    assert code in chat[-1] or code in "\n".join(chat[-3:])
    # the summary read back shows the reporter's answers in their language, their words as typed
    heading = t.gettext("Here is your report. Nothing has been sent yet.")
    summary = next(text for text in chat if heading in text)
    assert ACCOUNTS[language] in summary and REPORTED[language] in summary
    assert t.gettext("Earlier today") in summary

    # Alice, on duty, reads English (the team's language), with the reporter's words as written.
    page = page_of(story, "alice")
    assert page.startswith("A new report needs a safety contact.")
    assert (
        f"The reporter wrote in {LANGUAGE_NAMES[language]}; their words are shown as they wrote"
        " them." in page
    )
    assert ACCOUNTS[language] in page and REPORTED[language] in page
    assert "What happened:" in page and "Danger now: no" in page
    # the team channel speaks the team's language and never the report
    channel = "\n".join(story.chat("#team"))
    assert code in channel and ACCOUNTS[language] not in channel


async def test_an_english_speaking_member_is_paged_about_a_spanish_report(story: Story) -> None:
    await story.run("@sam /language es")
    await story.run(report_in("es"))
    page = page_of(story, "alice")
    lines = page.splitlines()
    assert lines[0] == "A new report needs a safety contact."
    assert lines[1] == (
        "Content note: this page includes an account of harm; read it when you are ready."
    )
    assert lines[2] == ("The reporter wrote in Spanish; their words are shown as they wrote them.")
    assert "  " + ACCOUNTS["es"] in lines  # under "What happened:", exactly as written
    assert "Who was involved: El señor del puesto de café (a participant)" in lines
    assert "Reporter: It happened to them" in lines
    # An English reporter's page says nothing about languages.
    await story.run(report_in("en", who="rosa"))
    english_page = page_of(story, "alice")
    assert ACCOUNTS["en"] in english_page and "The reporter wrote in" not in english_page


async def test_a_member_who_chose_german_reads_the_page_in_german(story: Story) -> None:
    await story.run("@alice /language de")
    assert story.last("alice") == translator("de").gettext(
        "I'll write in English from now on. /language changes it again."
    )
    await story.run("@sam /language es")
    await story.run(report_in("es"))
    page = next(t for t in reversed(story.chat("alice")) if "Eine neue Meldung braucht" in t)
    assert "Die meldende Person hat auf Spanisch geschrieben" in page
    assert "Was passiert ist:" in page and ACCOUNTS["es"] in page
    # Bob, who chose nothing, is not paged yet; the lead's words stay the team's (English).
    assert all("Eine neue Meldung" not in t for t in story.chat("bob"))


async def test_switching_language_mid_report_asks_the_question_again_and_goes_on(
    story: Story,
) -> None:
    await story.run("@sam /report\n> No\n> It happened to me")
    assert story.last("sam").startswith("How identifiable do you want to be")
    await story.run("@sam /language de")
    de = translator("de")
    assert story.chat("sam")[-2] == de.gettext(
        "I'll write in English from now on. /language changes it again."
    )
    assert story.last("sam").startswith(
        de.gettext("How identifiable do you want to be to the person handling this?")
    )
    # the buttons are German now; an English label is no longer there to press
    await story.run("> Pseudonym\n> Schreib mir hier")
    await story.run(f"{ACCOUNTS['de']}\n> Fertig\n> Heute, früher\n> Online\nJemand")
    await story.run("> Nicht bekannt\n> Niemand\n> Fertig\n> Überspringen")
    assert story.last("sam").startswith("Hier ist deine Meldung. Noch wurde nichts gesendet.")
    await story.run("> Meldung senden")
    said = "\n".join(story.chat("sam")[-3:])
    assert "Danke, dass du es uns erzählt hast. Deine Meldung ist eingegangen: " in said
    assert "The reporter wrote in German" in page_of(story, "alice")
    # and back to English, mid-conversation too
    await story.run("@sam /language en")
    assert story.last("sam") == "I'll write in English from now on. /language changes it again."
    await story.run("@sam /cancel")
    assert story.last("sam") == "There is nothing to cancel. /report starts a report."


async def test_the_language_button_at_start_offers_the_languages_in_their_own_names(
    story: Story,
) -> None:
    await story.run("@sam /start\n> Language")
    assert story.last("sam") == "Which language would you like me to write in?"
    shown = [line for line in story.transcript.splitlines() if "buttons:" in line][-1]
    places = [shown.index(f"] {name}") for name in ("English", "Español", "Français", "Deutsch")]
    assert places == sorted(places) and shown.rstrip().endswith("] العربية")
    await story.run("> Français")
    assert story.last("sam").startswith("Je vous écris désormais en français.")
    await story.run("@sam /help")
    assert story.chat("sam")[-1].startswith("Ce que je peux faire") or any(
        "Ce que je peux faire" in t for t in story.chat("sam")[-2:]
    )


async def test_a_language_the_team_does_not_offer_changes_nothing(story: Story) -> None:
    await story.run("@sam /language pt")
    assert story.last("sam") == (
        "I can't write in that language here, so nothing changed. I can write in: English (en),"
        " Español (es), Français (fr), Deutsch (de), العربية (ar)."
    )
    await story.run("@sam /report")
    assert story.last("sam") == "First, are you in danger right now?"


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("de", "Der Mann vom Kaffeestand", "Der Mann mit der Kamera"),
        ("es", "El Señor del café", "El Señor de la cámara"),
        ("fr", "Le Monsieur du café", "Le Monsieur à la caméra"),
    ],
)
async def test_reports_in_a_language_do_not_link_people_by_its_common_words(
    story: Story, language: str, first: str, second: str
) -> None:
    await story.run(f"@sam /language {language}\n@rosa /language {language}")
    await story.run(report_in(language, "sam", first))
    await story.run(report_in(language, "rosa", second))
    assert await linked(story, story.code("rosa")) == []
    # The same words from reporters writing in English are matched as they always were: the
    # common words of a language apply to reports in that language.
    await story.run(report_in("en", "tom", first) + "\n" + report_in("en", "una", second))
    assert await linked(story, story.code("una"))  # "der mann" as a name, in English


async def linked(story: Story, code: str) -> list[int]:
    """The other cases the bot links to this one as being about the same person."""
    async with story.app.store.transaction() as tx:
        uow = UnitOfWork(tx, story.clock.now(), story.app.team, story.app.cipher)
        case = await tx.find_case(code)
        assert case is not None
        report = await tx.get_report(case.report_id)
        return (await people.matches(uow, case, report.body)).other_cases


async def test_what_the_team_does_reaches_the_reporter_in_their_language(story: Story) -> None:
    await story.run("@sam /language es")
    await story.run(report_in("es"))
    code = story.code("sam")
    await story.run(f"@alice /ack {code}")
    assert story.last("sam") == (
        f"Alguien del equipo de seguridad ha tomado tu informe {code}. Hará el seguimiento como"
        " pediste. Puedes escribir aquí cuando quieras."
    )
    assert story.last("alice").startswith(f"You're handling {code}.")  # Alice reads English
    await story.run(f"@alice /reply {code} Hola, ¿podemos hablar a las 15:00?")
    assert story.last("sam") == (
        f"Un mensaje del equipo de seguridad sobre {code}:\nHola, ¿podemos hablar a las 15:00?"
    )
    await story.run(f"@alice /status {code} investigating")
    assert story.last("sam") == f"Tu informe {code} está ahora: en estudio."
