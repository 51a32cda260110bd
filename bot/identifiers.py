"""Names, usernames and e-mail addresses in a comparable form, for the people-of-concern register.

The same person is written many ways: ``User:Jo_Doe``, ``jo doe``, ``@JoDoe``, ``Jó Doe``,
``https://de.wikipedia.org/wiki/Benutzer:Jo_Doe``. :func:`identifier_key` turns one identifier
into a canonical string (NFKC, casefolded, accents stripped, underscores as spaces, wiki and
``@`` prefixes removed). :func:`grams` gives every run of up to :data:`MAX_WORDS` words of a free
text in the same form, so "is this identifier named in this text?" is a set lookup, also between
blind indexes. :func:`extract` picks the likely identifiers out of a report's "who" text.

Pure functions, no I/O; the register stores only keyed hashes of these keys.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from urllib.parse import unquote

MAX_WORDS = 6  # the longest identifier (in words) that is matched inside a text
MIN_CHARS = 3  # shorter keys ("jo", "al") would match far too much
MAX_TEXT = 2000  # only the start of a very long "who" text is indexed

# Namespace prefixes of a user page on the wikis people most often mean, in folded form.
_WIKI_PREFIXES = (
    "user talk:",
    "user:",
    "u:",
    "benutzer diskussion:",
    "benutzer:",
    "benutzerin:",
    "utilisateur:",
    "utilisatrice:",
    "usuario:",
    "usuaria:",
    "utente:",
    "gebruiker:",
    "uzytkownik:",
    "участник:",
    "special:contributions/",
    "special:centralauth/",
    "spezial:beitrage/",
)
_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»「」"} | {c: "'" for c in "‘’‚‛"})
_URL = re.compile(r"^https?://[^/\s]+/(?:wiki/|w/index\.php\?title=)?(?P<rest>.*)$")
_TOKEN = re.compile(r"\w(?:[\w.@+'-]*\w)?")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@([\w.]{3,})")
_WIKI_USER = re.compile(
    r"\b(?i:user|benutzer(?:in)?|utilisat(?:eur|rice)|usuari[oa]|utente|gebruiker)"
    r"(?i:[ _]talk)?:\s?([^\s,;:()\[\]{}<>|\"]+(?:\s[A-Z][^\s,;:()\[\]{}<>|\"]*){0,3})"
)
_WORD = re.compile(r"[^\W\d_][\w'-]*")
# Capitalised words that start sentences or describe rather than name someone.
STOPWORDS = frozenset(
    """a an the he she they them his her their it i me my we our you your this that these those
    someone somebody person man woman guy one who whom and or but with from at in on of to for by
    about after before during near next not no yes is was were are be been has had have do did
    mr mrs ms dr user participant organizer organiser volunteer staff speaker attendee member
    monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
    """.split()  # noqa: SIM905
)


def fold(text: str) -> str:
    """NFKC, casefolded, accents removed, underscores and runs of space as one space."""
    text = unicodedata.normalize("NFKC", text.translate(_QUOTES)).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text).replace("_", " ")
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """The words of a folded text: e-mail addresses stay whole, ``@`` and ``User:`` fall away."""
    return _TOKEN.findall(fold(text))


def _strip_prefixes(text: str) -> str:
    text = text.strip(" \"'<>()[]{},;.")
    url = _URL.match(text)
    if url:
        text = unquote(url.group("rest")).replace("_", " ")
        text = fold(text)
    changed = True
    while changed:
        changed = False
        text = text.lstrip("@ ")
        for prefix in _WIKI_PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :].strip()
                changed = True
    return text


def identifier_key(raw: str) -> str | None:
    """The canonical form of one identifier, or ``None`` when it is too short or too vague to
    match on (a single common word, fewer than :data:`MIN_CHARS` characters, too many words)."""
    words = tokens(_strip_prefixes(fold(raw)))
    key = " ".join(words)
    if len(key) < MIN_CHARS or not words or len(words) > MAX_WORDS:
        return None
    if all(word in STOPWORDS for word in words):
        return None
    return key


def grams(text: str) -> set[str]:
    """Every run of 1 to :data:`MAX_WORDS` words of a text, folded: an identifier is named in
    the text when its key is in this set."""
    words = tokens(text[:MAX_TEXT])
    found: set[str] = set()
    for start in range(len(words)):
        for size in range(1, MAX_WORDS + 1):
            run = words[start : start + size]
            if len(run) < size:
                break
            key = " ".join(run)
            if len(key) >= MIN_CHARS and not (size == 1 and run[0] in STOPWORDS):
                found.add(key)
    return found


def _looks_like_username(word: str) -> bool:
    """``JoDoe``, ``AliceWMAT``, ``jodoe42``: inner capitals or digits, as usernames have."""
    if len(word) < MIN_CHARS or not any(c.isalpha() for c in word):
        return False
    inner_capital = any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))
    return inner_capital or (any(c.isdigit() for c in word) and word[0].isalpha())


def _name_runs(text: str) -> list[str]:
    """Runs of two to four capitalised words ("Jo Doe", "Jean-Luc Martin") within a clause,
    minus leading sentence words such as "The" or "He"."""
    names: list[str] = []
    for clause in re.split(r"[,;.!?()\[\]{}<>|\"]|\s-\s|\n", text):
        run: list[str] = []
        for word in [*clause.split(), ""]:
            if _WORD.fullmatch(word) and word[0].isupper():
                run.append(word)
                continue
            while run and run[0].casefold() in STOPWORDS:
                run = run[1:]
            if 2 <= len(run) <= 4:
                names.append(" ".join(run))
            run = []
    return names


def extract(text: str) -> set[str]:
    """Keys of the identifiers a free text names: e-mail addresses, ``@handles``, wiki user
    names, capitalised full names and username-like words."""
    text = text[:MAX_TEXT].translate(_QUOTES)
    found: list[str] = []
    found += _EMAIL.findall(text)
    found += _HANDLE.findall(text)
    found += _WIKI_USER.findall(text)
    found += _name_runs(text)
    found += [w for w in re.findall(r"[\w.-]+", text) if _looks_like_username(w)]
    keys = {identifier_key(raw) for raw in found}
    return {key for key in keys if key is not None}
