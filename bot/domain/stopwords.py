"""Words that start sentences or describe rather than name someone, per language, as
:func:`bot.domain.identifiers.fold` writes them (lower case, accents dropped).

A report is matched with the words of the language it was written in as well as English's (reports
mix in English names and words), so "Der Mann" in a German report or "El Señor" in a Spanish one is
not taken for a person's name and does not link unrelated cases. German capitalises every noun,
so its list holds the nouns that describe people. Arabic has no capital letters, so names are never
guessed from capitals there; its list keeps its commonest words out of single-word matches.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ENGLISH = _words(
    """a an the he she they them his her their it i me my we our you your this that these those
    someone somebody person man woman guy one who whom and or but with from at in on of to for by
    about after before during near next not no yes is was were are be been has had have do did
    mr mrs ms dr user participant organizer organiser volunteer staff speaker attendee member
    monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
    """
)

BY_LANGUAGE: dict[str, frozenset[str]] = {
    "en": ENGLISH,
    "de": _words(
        """der die das den dem des ein eine einer einem einen eines er sie es ihr ihm ihn ihnen
        ich mich mir wir uns du dich dir man jemand niemand wer wen wem und oder aber mit von bei
        in im an am auf aus zu zum zur fur uber unter nach vor wahrend neben nicht kein keine ja
        nein ist war waren sind sein hat hatte haben dieser diese dieses jener herr frau mann
        person typ kerl junge madchen leute benutzer benutzerin teilnehmer teilnehmerin
        organisator organisatorin veranstalter veranstalterin helfer helferin mitarbeiter
        mitarbeiterin redner rednerin sprecher sprecherin mitglied montag dienstag mittwoch
        donnerstag freitag samstag sonntag heute gestern abend morgen
        """
    ),
    "es": _words(
        """el la los las un una unos unas lo le les al del el ella ellos ellas yo me mi tu te nos
        usted ustedes alguien nadie quien y o pero con de en a por para sobre tras antes despues
        durante cerca no si es era fue son ser estaba ha habia este esta estos estas ese esa aquel
        senor senora senorita sr sra hombre mujer chico chica tipo persona gente usuario usuaria
        participante organizador organizadora voluntario voluntaria personal ponente miembro
        lunes martes miercoles jueves viernes sabado domingo hoy ayer anoche
        """
    ),
    "fr": _words(
        """le la les l un une des du de d au aux il elle ils elles je me moi nous vous tu te on
        quelqu'un personne qui et ou mais avec dans en a par pour sur sous apres avant pendant
        pres ne pas non oui est etait sont etre a avait ont ce cet cette ces celui celle monsieur
        madame mademoiselle m mme homme femme type mec gars fille garcon gens utilisateur
        utilisatrice participant participante organisateur organisatrice benevole equipe
        intervenant intervenante membre lundi mardi mercredi jeudi vendredi samedi dimanche
        aujourd'hui hier soir
        """
    ),
    "ar": _words(
        """ال و في من الى إلى على عن مع هو هي هم هن انا أنا نحن انت أنت هذا هذه ذلك تلك الذي التي
        شخص رجل امرأة امراة شاب فتاة احد أحد مشارك مشاركة منظم منظمة متطوع متطوعة عضو السيد السيدة
        اليوم أمس امس الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد لا نعم كان كانت
        """
    ),
}


def stopwords(language: str = "") -> frozenset[str]:
    """English's words, and those of ``language`` (a code; "" or an unknown one: English's only)."""
    return ENGLISH | BY_LANGUAGE.get(language, frozenset())
