"""Uzbek Latin <-> Cyrillic transliteration and person-name matching keys.

Intake deduplicates applicants: without a PINFL, a new application is matched
on name and birth date against the people already known, and a *likely* match
is linked for a social worker to confirm. Names reach us in either script, with
any of six apostrophes, and in Russian spellings of Uzbek names, so names are
compared through keys, never as typed. Pure functions, standard library only.

Transliteration follows the official alphabets (Latin of 1995, as amended,
with oʻ gʻ sh ch ng and the tutuq belgisi ʼ; Cyrillic with ў ғ қ ҳ).
Canonical Latin goes to Cyrillic and back unchanged. The way from Cyrillic
loses what Latin cannot say: ц (s or ts by position), щ (sh, like ш), ь
(dropped), Russian ы (i); й before а е о у э (back as я е ё ю е); э after a
consonant (мэр: back as мер); ъ after о ё г (an apostrophe after o or g is read
as the mark of oʻ gʻ, since that is what people type it for); съҳ (back as
сҳ, which Latin writes sʼh); and a one-letter word in capitals (Ш: back as Sh).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

MARK = "\u02bb"  # ʻ  turned comma: the mark of oʻ and gʻ
TUTUQ = "\u02bc"  # ʼ  modifier apostrophe: the tutuq belgisi (Cyrillic ъ)
# People type the marks with whatever their keyboard has. After o or g any of
# them is the oʻ/gʻ mark (an o followed by a real tutuq is vanishingly rare,
# oʻ typed as o' or oʼ is everywhere); anywhere else it is the tutuq.
APOSTROPHES = frozenset({MARK, TUTUQ, "'", "`", "\u2018", "\u2019"})

_LATIN_VOWELS = frozenset({"a", "e", "i", "o", "u", "oʻ", "ya", "ye", "yo", "yu"})
_CYRILLIC_VOWELS = frozenset("аеёиоуўэюя")

_LATIN_LETTERS: dict[str, str] = {
    "a": "а", "b": "б", "d": "д", "f": "ф", "g": "г", "h": "ҳ", "i": "и", "j": "ж",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р",
    "s": "с", "t": "т", "u": "у", "v": "в", "x": "х", "y": "й", "z": "з",
    "oʻ": "ў", "gʻ": "ғ", "sh": "ш", "ch": "ч", "ya": "я", "yo": "ё", "yu": "ю",
}  # fmt: skip
# The draft alphabets of 2018-2019 (ó ǵ ş ç) still turn up in typed names.
_DRAFT_LETTERS = {"ó": "oʻ", "ǵ": "gʻ", "ş": "sh", "ç": "ch"}

_CYRILLIC_LETTERS: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ч": "ch", "ш": "sh",
    "э": "e", "ю": "yu", "я": "ya", "ў": "oʻ", "қ": "q", "ғ": "gʻ", "ҳ": "h",
    "ъ": TUTUQ, "ь": "",
    # Russian letters outside the Uzbek alphabet, for Russian-spelled names;
    # one way only: Latin never gives them back.
    "щ": "sh", "ы": "i",
}  # fmt: skip


def _upper_nearby(text: str, i: int) -> bool:
    """Whether the letters around ``text[i]`` are capitals, skipping apostrophes.

    Decides "SH" against "Sh" and Ъ against ъ: the next cased letter in the
    word says it; at the end of a word the previous one does.
    """
    for step in (1, -1):
        j = i + step
        while 0 <= j < len(text) and text[j] in APOSTROPHES:
            j += step
        if 0 <= j < len(text) and (text[j].isupper() or text[j].islower()):
            return text[j].isupper()
    return False


def _cased(letter: str, typed: str) -> str:
    return letter.upper() if typed[0].isupper() else letter


def _latin_units(text: str) -> Iterator[tuple[str, str, int]]:
    """Split Latin text into letters of the alphabet: ``(unit, as typed, position)``.

    ``unit`` is lower case and canonical (``oʻ`` with its proper mark, ``ʼ`` for
    any tutuq); anything that is not an Uzbek letter is its own unit.
    """
    i = 0
    while i < len(text):
        c = text[i]
        low = c.lower()
        nxt = text[i + 1].lower() if i + 1 < len(text) else ""
        after = text[i + 2].lower() if i + 2 < len(text) else ""
        size, unit = 1, low
        if low in ("o", "g") and nxt in APOSTROPHES:
            size, unit = 2, low + MARK
        elif low == "s" and nxt in APOSTROPHES and after == "h":
            # sʼh is s then h, the apostrophe only keeps them from reading as sh.
            size, unit = 2, "s"
        elif low + nxt in ("sh", "ch", "ya", "ye", "yu"):
            size, unit = 2, low + nxt
        elif low + nxt == "yo" and after not in APOSTROPHES:  # yoʻ is y + oʻ
            size, unit = 2, "yo"
        elif c in APOSTROPHES:
            unit = TUTUQ
        elif low in _DRAFT_LETTERS:
            unit = _DRAFT_LETTERS[low]
        yield unit, text[i : i + size], i
        i += size


def latin_to_cyrillic(text: str) -> str:
    """Uzbek Latin to Uzbek Cyrillic; characters that are not Uzbek letters pass through."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    prev = ""  # the previous unit, "" at the start of a word
    for unit, typed, at in _latin_units(text):
        # After a vowel, at the start of a word or after a tutuq, e is э and
        # ye is е; after a consonant e is е.
        open_ = prev == "" or prev in _LATIN_VOWELS or prev == TUTUQ
        if unit == "ye" and not open_:
            # ye after a consonant keeps its y as ь (Yuryevich = Юрьевич), so
            # the way back reads ye again.
            out.append(_cased("ь", typed[0]) + _cased("е", typed[1]))
        elif unit == TUTUQ:
            out.append("Ъ" if _upper_nearby(text, at) else "ъ")
        elif unit == "e":
            out.append(_cased("э" if open_ else "е", typed))
        else:
            out.append(_cased("е" if unit == "ye" else _LATIN_LETTERS.get(unit, typed), typed))
        if unit in _LATIN_LETTERS or unit in ("e", "ye", TUTUQ):
            prev = unit
        else:
            # A letter from outside the alphabet counts as a consonant; anything
            # else (space, hyphen, digit) ends the word.
            prev = "?" if typed.isalpha() else ""
    return "".join(out)


def cyrillic_to_latin(text: str) -> str:
    """Uzbek Cyrillic to Uzbek Latin; characters that are not Cyrillic pass through."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    for i, c in enumerate(text):
        low = c.lower()
        prev = text[i - 1].lower() if i else ""
        nxt = text[i + 1].lower() if i + 1 < len(text) else ""
        if low == "е":
            # е says ye where it starts a syllable: at the start of a word,
            # after a vowel, after ъ or ь.
            starts = not prev.isalpha() or prev in _CYRILLIC_VOWELS or prev in "ъь"
            lat = "ye" if starts else "e"
        elif low == "ц":
            lat = "ts" if prev in _CYRILLIC_VOWELS else "s"  # the official rule
        elif low == "с" and nxt == "ҳ":
            lat = "s" + TUTUQ  # keeps сҳ from reading as ш
        elif low in _CYRILLIC_LETTERS:
            lat = _CYRILLIC_LETTERS[low]
        else:
            out.append(c)
            continue
        if c.isupper() and lat:
            lat = lat.upper() if _upper_nearby(text, i) else lat[0].upper() + lat[1:]
        out.append(lat)
    return "".join(out)


# --- matching keys ----------------------------------------------------------

# Each fold joins spellings that name the same person. Russian spelling is the
# main source: it has no oʻ gʻ q h, writes the Uzbek o as а and j as дж.
_FOLDS: dict[str, str] = {
    "oʻ": "u",  # Oʻktam = Уктам (Russian has no oʻ; a dropped mark is left to the edit distance)
    "gʻ": "g",  # Gʻulomov = Гулямов
    "q": "k",  # Qosimova = Касымова
    "h": "x",  # Hasanov = Xasanov = Хасанов: ҳ and х are confused in both scripts
    "o": "a",  # Toshkent = Ташкент, Olim = Алим: the Uzbek o is a Russian а
    "ye": "e",  # Boboyev = Boboev, Yelena = Elena: the y is often left out
    TUTUQ: "",  # Taʼlim = Talim
}
# Two-letter spellings from Russian and from English-style passports.
_PAIRS = (("zx", "j"), ("dj", "j"), ("kx", "x"))  # Zhanna, Джураев, Khasanov; h is x already


def spelling_key(text: str) -> str:
    """The name as written, minus script, case, apostrophe style, spaces and punctuation.

    Two names with equal spelling keys are the same spelling: "Oʻzbekiston",
    "O'ZBEKISTON" and "Ўзбекистон" are one key.
    """
    canonical = cyrillic_to_latin(latin_to_cyrillic(cyrillic_to_latin(text)))
    return "".join(c for c in canonical.casefold() if c.isalpha() or c in (MARK, TUTUQ))


def name_key(text: str) -> str:
    """A key equal for common spelling variants of one name (see ``_FOLDS``).

    Besides the folds: after a consonant ya/yo/yu lose their y, because Russian
    softens the consonant instead (Гулямов for Gʻulomov, Ильяс for Ilyos); a
    doubled letter counts once (Abdullayev = Abdulayev); spaces, hyphens and
    punctuation go. Left to the edit distance in ``names_match``, because
    folding them would join short names that differ: a dropped oʻ mark
    (Ozod/Oʻzod), ё written е (Семёнов/Семенов). -ov and -ova stay apart.
    """
    key: list[str] = []
    prev = ""
    for unit, typed, _ in _latin_units(cyrillic_to_latin(text).casefold()):
        if unit in ("ya", "yo", "yu") and prev not in ("", TUTUQ) and prev not in _LATIN_VOWELS:
            folded = _FOLDS.get(unit[1], unit[1])
        elif unit in ("ya", "yo"):
            folded = "ya"
        elif unit in _LATIN_LETTERS or unit in _FOLDS or unit == "e":
            folded = _FOLDS.get(unit, unit)
        elif typed.isalpha():
            folded = unit  # a letter from outside the alphabet, kept as it is
        else:
            folded, unit = "", ""  # spaces and punctuation go, but end a word
        key.append(folded)
        prev = unit
    joined = "".join(key)
    for pair, single in _PAIRS:
        joined = joined.replace(pair, single)
    return "".join(c for i, c in enumerate(joined) if i == 0 or joined[i - 1] != c)


# Patronymics come as "Karim oʻgʻli" / "Karim qizi" (Uzbek) or "Karimovich" /
# "Karimovna" (Russian): the father's name is what identifies.
_PATRONYMIC_WORDS = frozenset({"ugli", "kizi"})  # name keys of oʻgʻli, qizi
_PATRONYMIC_ENDINGS = ("avich", "evich", "avna", "evna")


def patronymic_key(text: str) -> str:
    """``name_key`` of the father's name inside a patronymic of either style."""
    words = [name_key(word) for word in text.replace("-", " ").split()]
    root = "".join(word for word in words if word not in _PATRONYMIC_WORDS)
    for ending in _PATRONYMIC_ENDINGS:
        if root.endswith(ending) and len(root) > len(ending) + 1:
            return root[: -len(ending)]
    return root


# --- comparing people -------------------------------------------------------

Match = Literal["exact", "likely", "no"]
_RANK: dict[Match, int] = {"no": 0, "likely": 1, "exact": 2}


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name as an application or a register gives it, in either script."""

    last: str
    first: str
    patronymic: str | None = None


@dataclass(frozen=True, slots=True)
class PersonKey:
    """The loose keys of a name: store them to find match candidates by index."""

    last: str
    first: str
    patronymic: str | None

    @classmethod
    def of(cls, name: PersonName) -> PersonKey:
        patronymic = patronymic_key(name.patronymic) if name.patronymic else None
        return cls(name_key(name.last), name_key(name.first), patronymic or None)


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): a swap of neighbours is one edit."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(
                rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _close(a: str, b: str) -> bool:
    """Loose keys equal, or one typo apart on keys long enough for that to mean something."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or edit_distance(a, b) > 1:
        return False
    # A final a is the feminine ending (Karimov/Karimova, Nodir/Nodira):
    # a different person, not a typo.
    return not (a + "a" == b or b + "a" == a)


def _part(a: str, b: str, *, patronymic: bool = False) -> Match:
    exact_a, exact_b = spelling_key(a), spelling_key(b)
    if not exact_a or not exact_b:
        return "no"  # a blank or punctuation-only part is no evidence either way
    if exact_a == exact_b:
        return "exact"
    loose = patronymic_key if patronymic else name_key
    return "likely" if _close(loose(a), loose(b)) else "no"


def _weakest(*parts: Match) -> Match:
    return min(parts, key=_RANK.__getitem__)


def names_match(a: PersonName, b: PersonName) -> Match:
    """Whether two names are one person's: "exact", "likely" (a worker confirms) or "no".

    "exact" needs the same spelling of every part, up to script, case,
    apostrophes, spaces and hyphens; folded spellings and single typos make at
    most "likely". A patronymic on one side only makes at most "likely": it
    cannot be confirmed. First and last name the wrong way round is "likely".
    """
    if a.patronymic and b.patronymic:
        patronymic = _part(a.patronymic, b.patronymic, patronymic=True)
    else:
        patronymic = "likely" if (a.patronymic or b.patronymic) else "exact"
    straight = _weakest(_part(a.last, b.last), _part(a.first, b.first), patronymic)
    if straight != "no":
        return straight
    swapped = _weakest(_part(a.last, b.first), _part(a.first, b.last), patronymic)
    return "no" if swapped == "no" else "likely"
