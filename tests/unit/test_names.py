"""The one way names are compared (bot/domain/identifiers.py), as properties.

Any member name or username, written the ways people write it (a wiki namespace prefix in any of
several languages, gendered forms too; ``_`` for spaces; invisible characters from a copy-paste;
another case; fullwidth letters; ``@``; a wiki link; a user page's web address), is recognised
as that name, in a report's text, as a register identifier and in a pasted /screen list. Ordinary
words that are not a name never are.
"""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import assume, given
from hypothesis import strategies as st

from bot.domain.identifiers import grams, identifier_key, names_in
from bot.domain.wiki_prefixes import CONTRIBUTIONS, USER, USER_TALK
from bot.services import screening

ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyz",
    "áéíóúàèäöüñçšžčřłøåæœßğışţ",
    "абвгдежзийклмнопрстуфхцчшщыэюяёіїєґ",
    "αβγδεζηθικλμνξοπρστυφχψω",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "אבגדהוזחטיכלמנסעפצקרשת",
)
# Characters that show nothing, as a copy-paste leaves them: zero-width space, non-joiner and
# joiner, soft hyphen, word joiner, bidi marks, embeddings and isolates, byte order mark.
INVISIBLE = "\u200b\u200c\u200d\u00ad\u2060\u200e\u200f\u202a\u202b\u202c\u2066\u2067\u2069\ufeff"
PREFIXES = (*USER, *USER_TALK)

word = st.sampled_from(ALPHABETS).flatmap(
    lambda letters: st.text(alphabet=letters, min_size=2, max_size=9)
)
names = (
    st.lists(word, min_size=1, max_size=3)
    .map(lambda words: " ".join(w.capitalize() for w in words))
    .filter(lambda name: identifier_key(name) is not None)
)
usernames = st.from_regex(r"[A-Z][a-z]{2,6}[A-Z][A-Za-z]{1,5}[0-9]{0,3}", fullmatch=True)


def fullwidth(text: str) -> str:
    """ASCII letters and digits as their fullwidth forms, spaces as ideographic spaces."""
    return "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text
    )


@st.composite
def spelled(draw: st.DrawFn, name: str) -> str:
    """The name as a person might write it, before any prefix."""
    text = draw(st.sampled_from([name, name.replace(" ", "_")]))
    text = draw(st.sampled_from([str, str.upper, str.lower, str.swapcase]))(text)
    if draw(st.booleans()):
        text = fullwidth(text)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(INVISIBLE)) + text[at:]
    return text


@st.composite
def written(draw: st.DrawFn, name: str) -> str:
    """One identifier for the name: bare, ``@``, ``Prefix:``, a wiki link or a web address."""
    body = draw(spelled(name))
    prefix = draw(st.sampled_from(PREFIXES))
    prefix = draw(st.sampled_from([prefix, prefix.replace(" ", "_"), prefix.upper()]))
    shown = draw(st.sampled_from(["", "|shown", f"|{name}", "|she"]))
    language = draw(st.sampled_from(["en", "de", "fr", "pl", "ru", "ar", "zh", "ja", "meta"]))
    page = quote(f"{prefix}:{body}".replace(" ", "_"), safe=":")
    special = draw(st.sampled_from(CONTRIBUTIONS))
    return draw(
        st.sampled_from(
            [
                body,
                f"@{body}",
                f"{prefix}:{body}",
                f"[[{prefix}:{body}{shown}]]",
                f"https://{language}.wikipedia.org/wiki/{page}",
                f"https://{language}.wikimedia.org/w/index.php?title={page}&action=history",
                f"{special}/{body}",
            ]
        )
    )


SENTENCES = (
    "{}",
    "I think it was {}, from the chapter.",
    "It was {} (the one with the camera)",
    "Someone, maybe {}; not sure",
    "— {} —",
)


@given(data=st.data(), name=st.one_of(names, usernames))
def test_any_way_of_writing_a_name_is_recognised(data: st.DataObject, name: str) -> None:
    form = data.draw(written(name))
    assert identifier_key(form) == identifier_key(name), form
    sentence = data.draw(st.sampled_from(SENTENCES)).format(form)
    assert names_in(sentence, [name]), sentence


@given(data=st.data(), listed=st.lists(st.one_of(names, usernames), min_size=1, max_size=6))
def test_a_pasted_list_of_names_written_any_way_is_read_whole(
    data: st.DataObject, listed: list[str]
) -> None:
    forms = [data.draw(written(name)) for name in listed]
    assume(all("," not in form for form in forms))
    # A first line of column-label words alone ("Name", "Slack") is a header: not this case.
    assume(not screening.is_header([forms[0]]))
    found = screening.registrations("\n".join(forms))
    assert len(found) == len(forms)
    for registration, name in zip(found, listed, strict=True):
        [(_, value)] = registration.values
        assert identifier_key(name) in grams(value)


# -- what is not a name --------------------------------------------------------------------------

TEAM_NAMES = [
    ["Alice Example", "AliceWMAT"],
    ["Bob Builder"],
    ["Jean-Luc Martin", "JLMartin"],
    ["Ana Lima", "@ana_lima"],
    ["Иван Петров"],
]
# Words of reports: ordinary words, each given name and surname of the team alone, words that
# contain a name ("malice", "builders"), and the words of wiki addresses and prefixes.
ORDINARY = """a tall person in red jacket he she they said was at the bar door stairs badge
    photo booth venue staff volunteer speaker talk session lunch hotel train keeps following me
    after I no yesterday evening someone from chapter board member wiki user page special
    contributions benutzer discussion https www org talk: user: @ [[ ]] | , . ; ( )
    alice example bob builder jean martin ana lima иван петров
    malice examples bobby builders martini limas ivana петрова jeanluc lucmartin anabel
    aliceexample bobbuilder alicewmatt wmat jlmart""".split()  # noqa: SIM905


@given(
    words=st.lists(st.sampled_from(ORDINARY), max_size=25),
    marks=st.lists(st.tuples(st.integers(0, 200), st.sampled_from(INVISIBLE)), max_size=4),
    case=st.sampled_from([str, str.upper, str.title]),
)
def test_ordinary_words_name_nobody(
    words: list[str], marks: list[tuple[int, str]], case: object
) -> None:
    # Punctuation between two words does not part them: "Alice, Example" is left out too.
    plain = f" {' '.join(w for w in words if w.isalnum() or '-' in w).casefold()} "
    for full in ("alice example", "bob builder", "jean-luc martin", "ana lima", "иван петров"):
        assume(f" {full} " not in plain)
    text = case(" ".join(words))  # type: ignore[operator]
    for at, mark in marks:
        text = text[:at] + mark + text[at:]
    for member in TEAM_NAMES:
        assert not names_in(text, member), (text, member)


def test_a_given_name_or_surname_alone_names_nobody_with_a_full_name() -> None:
    for text in ("Alice was there", "Example, the tall one", "it was Martin", "Lima"):
        assert not names_in(text, ["Alice Example", "Jean-Luc Martin", "Ana Lima"]), text
    assert names_in("Alice was there", ["Alice"])  # a one-word name is that word
