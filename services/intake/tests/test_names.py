"""Transliteration between the Uzbek alphabets, and the name keys deduplication relies on."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from intake.domain.names import (
    APOSTROPHES,
    MARK,
    TUTUQ,
    PersonKey,
    PersonName,
    cyrillic_to_latin,
    edit_distance,
    latin_to_cyrillic,
    name_key,
    names_match,
    patronymic_key,
    spelling_key,
)

# --- known pairs ------------------------------------------------------------

BOTH_WAYS = [
    ("Oʻzbekiston", "Ўзбекистон"),
    ("Gʻulomov", "Ғуломов"),
    ("Shahnoza", "Шаҳноза"),
    ("Yoqubov", "Ёқубов"),
    ("Qosimova", "Қосимова"),
    ("Mirzo Ulugʻbek", "Мирзо Улуғбек"),
    ("Ismoil", "Исмоил"),
    ("Eshmatov", "Эшматов"),
    ("Chust", "Чуст"),
    ("Dangʻara", "Данғара"),
    ("Yangiyoʻl", "Янгийўл"),  # y + oʻ, not yo + a stray mark
    ("Yoʻldosh", "Йўлдош"),
    ("Isʼhoq", "Исҳоқ"),  # s + h kept apart, not ш
    ("Taʼlim", "Таълим"),
    ("Sheʼr", "Шеър"),
    ("Qurʼon", "Қуръон"),
    ("Moʻʼjiza", "Мўъжиза"),  # oʻ and then a tutuq
    ("Yelena", "Елена"),  # е at the start of a word says ye
    ("Boboyev", "Бобоев"),  # ... and after a vowel
    ("Ergashev", "Эргашев"),  # e after a consonant is е, at the start э
    ("poeziya", "поэзия"),  # e after a vowel is э
    ("Yuryevich", "Юрьевич"),  # ye after a consonant keeps its y as ь
    ("Ilyos", "Илёс"),
    ("SHAHNOZA OʻKTAMOVNA", "ШАҲНОЗА ЎКТАМОВНА"),
    ("Xoʻjaobod", "Хўжаобод"),
    ("Mingbuloq", "Мингбулоқ"),  # ng is n + g in both alphabets
]


@pytest.mark.parametrize(("latin", "cyrillic"), BOTH_WAYS)
def test_known_words_transliterate_both_ways(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic
    assert cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize("mark", sorted(APOSTROPHES))
def test_every_apostrophe_people_type_is_understood(mark: str) -> None:
    assert latin_to_cyrillic(f"O{mark}zbekiston") == "Ўзбекистон"
    assert latin_to_cyrillic(f"G{mark}ulomov") == "Ғуломов"
    assert latin_to_cyrillic(f"ta{mark}lim") == "таълим"
    assert latin_to_cyrillic(f"Is{mark}hoq") == "Исҳоқ"
    assert latin_to_cyrillic("Ishoq") == "Ишоқ"  # without the apostrophe it is ш


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Цех", "Sex"),  # ц is s at the start of a word and after a consonant ...
        ("Акция", "Aksiya"),
        ("Лицей", "Litsey"),  # ... and ts after a vowel
        ("Дарья", "Darya"),  # ь is dropped
        ("Щукин", "Shukin"),  # Russian letters outside the alphabet, one way only
        ("Касымова", "Kasimova"),
        ("объект", f"ob{TUTUQ}yekt"),  # ъ is the tutuq; е after it says ye
        ("ШЕРАЛИ", "SHERALI"),
        ("Шерали", "Sherali"),
        ("Ш", "Sh"),
        ("Ёқубов Ш.", "Yoqubov Sh."),
    ],
)
def test_cyrillic_to_latin_lossy_and_case_rules(cyrillic: str, latin: str) -> None:
    assert cyrillic_to_latin(cyrillic) == latin


def test_draft_letters_and_foreign_characters() -> None:
    assert latin_to_cyrillic("Óktam Ǵani Şavkat Çori") == "Ўктам Ғани Шавкат Чори"
    assert latin_to_cyrillic("Wi-Fi 2024, №5") == "Wи-Фи 2024, №5"
    assert cyrillic_to_latin("Ali 2024 №5") == "Ali 2024 №5"
    decomposed = "Йу\u0306"  # й typed as и + combining breve
    assert cyrillic_to_latin(decomposed) == cyrillic_to_latin("Йў")


# --- round trips ------------------------------------------------------------

LATIN_UNITS = [*"abdefghijklmnopqrstuvxyz", "oʻ", "gʻ", "sh", "ch", "ng", TUTUQ]


def _latin_word_ok(units: list[str]) -> bool:
    # A tutuq right after o or g would be read as the mark of oʻ/gʻ: every
    # apostrophe after them is taken as that mark because people type oʻ with
    # any of them, so o + tutuq (Cyrillic оъ, гъ, ёъ: next to no words) is lost.
    return not any(u == TUTUQ and prev[-1] in "og" for prev, u in pairwise(units))


def _cased(units: list[str], casing: str) -> str:
    if casing == "upper":
        return "".join(u.upper() for u in units)
    if casing == "title":
        return units[0][0].upper() + units[0][1:] + "".join(units[1:])
    return "".join(units)


def _words(
    units: st.SearchStrategy[str], ok: Callable[[list[str]], bool], capitals_need: int
) -> st.SearchStrategy[str]:
    # A word in capitals whose Cyrillic is one letter is not recoverable: Ш
    # alone reads "Sh" whether it came from "Sh" or "SH" (and so do "YA", "YO").
    # Capitals need a second letter to go by: two Cyrillic letters, which three
    # Latin ones always give. Shorter words are written in title case instead.
    def spell(word: tuple[list[str], str]) -> str:
        units, casing = word
        letters = sum(c.isupper() or c.islower() for c in "".join(units))
        return _cased(units, "title" if casing == "upper" and letters < capitals_need else casing)

    return st.tuples(
        st.lists(units, min_size=1, max_size=10).filter(ok),
        st.sampled_from(["lower", "title", "upper"]),
    ).map(spell)


def _texts(word: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.lists(word, min_size=1, max_size=3), st.sampled_from([" ", "-"])).map(
        lambda t: t[1].join(t[0])
    )


latin_texts = _texts(_words(st.sampled_from(LATIN_UNITS), _latin_word_ok, 3))

# Cyrillic letters left out, because Latin has no letter of their own and the
# way back cannot tell what they were: ц (s or ts), щ (sh, as ш), ь (dropped),
# and the Russian ы (i, as и).
CYRILLIC_LETTERS = list("абвгдеёжзийклмнопрстуфхчшъэюяўқғҳ")


def _cyrillic_word_ok(letters: list[str]) -> bool:
    word = "".join(letters)
    for i, c in enumerate(word):
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < len(word) else ""
        # ъ only inside a word and not after о, ё, г (see _latin_word_ok);
        # съҳ would come back as сҳ, since Latin sʼh is how сҳ is written.
        if c == "ъ" and (not prev or not nxt or prev in "оёг" or (prev == "с" and nxt == "ҳ")):
            return False
        # й + а/е/о/у/э is written я/е/ё/ю/е in Uzbek; Latin ya, yo ... come
        # back as those single letters.
        if c == "й" and nxt in set("аеоуэ"):
            return False
        # э after a consonant (мэр) is a Russian spelling; Latin e there is е.
        if c == "э" and prev and prev not in "аеёиоуўэюяъ":
            return False
    return True


cyrillic_texts = _texts(_words(st.sampled_from(CYRILLIC_LETTERS), _cyrillic_word_ok, 2))


@settings(max_examples=500)
@given(latin_texts)
def test_canonical_latin_survives_a_trip_through_cyrillic(text: str) -> None:
    assert cyrillic_to_latin(latin_to_cyrillic(text)) == text


@settings(max_examples=500)
@given(cyrillic_texts)
def test_canonical_cyrillic_survives_a_trip_through_latin(text: str) -> None:
    assert latin_to_cyrillic(cyrillic_to_latin(text)) == text


@given(latin_texts, st.sampled_from(sorted(APOSTROPHES)))
def test_the_apostrophe_style_does_not_change_the_cyrillic(text: str, mark: str) -> None:
    typed = text.replace(MARK, mark).replace(TUTUQ, mark)
    assert latin_to_cyrillic(typed) == latin_to_cyrillic(text)


@given(latin_texts)
def test_keys_do_not_depend_on_the_script(text: str) -> None:
    cyrillic = latin_to_cyrillic(text)
    assert spelling_key(text) == spelling_key(cyrillic)
    assert name_key(text) == name_key(cyrillic)
    assert name_key(text) == name_key(text.upper()) == name_key(text.lower())


# --- keys and matching ------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Xasanov", "Hasanov"),  # ҳ/х confusion
        ("Khasanov", "Хасанов"),  # English-style passport spelling
        ("Gʻulomov", "Гулямов"),  # Russian: no gʻ, o as я after a consonant
        ("Yoqubov", "Якубов"),
        ("Qosimova", "Касымова"),
        ("Oʻktam", "Уктам"),  # Russian writes oʻ as у
        ("Ismoil", "Исмаил"),
        ("Shahnoza", "Шахноза"),
        ("Tojiboyev", "Таджибаев"),  # дж for j
        ("Joʻrayev", "Джураев"),
        ("Yoʻldoshev", "Юлдашев"),
        ("Boboyev", "Boboev"),  # yev/ev
        ("Abdullayev", "Abdulaev"),  # doubled letters
        ("Isʼhoq", "Исхак"),
        ("Mirzo-Ulugʻbek", "MIRZO ULUGBEK"),
    ],
)
def test_spelling_variants_share_a_name_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_spelling_key_ignores_only_script_case_apostrophes_and_separators() -> None:
    assert spelling_key("Oʻzbekiston") == spelling_key("O'ZBEKISTON") == spelling_key("Ўзбекистон")
    assert spelling_key("Mirzo-Ulugʻbek") == spelling_key("Mirzo Ulugʻbek")
    assert spelling_key("Xasanov") != spelling_key("Hasanov")


def test_patronymics_of_both_styles_reduce_to_the_fathers_name() -> None:
    karim = {"Karimovich", "Karim oʻgʻli", "Каримович", "Karim qizi", "Каримовна", "Карим ўғли"}
    assert {patronymic_key(p) for p in karim} == {"karim"}
    assert patronymic_key("Abdullayevich") == patronymic_key("Abdulla o'g'li")


def test_person_key_holds_the_loose_keys() -> None:
    key = PersonKey.of(PersonName("Ғуломов", "Алишер", "Каримович"))
    assert key == PersonKey("gulamav", "alisher", "karim")
    assert PersonKey.of(PersonName("Gʻulomov", "Alisher")).patronymic is None


def P(last: str, first: str, patronymic: str | None = None) -> PersonName:  # noqa: N802
    return PersonName(last, first, patronymic)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (P("Gʻulomov", "Alisher", "Karimovich"), P("Ғуломов", "Алишер", "Каримович"), "exact"),
        (P("G'ULOMOV", "alisher"), P("Gʻulomov", "Alisher"), "exact"),
        (P("Гулямов", "Алишер"), P("Gʻulomov", "Alisher"), "likely"),
        (P("Xasanov", "Dilshod"), P("Hasanov", "Dilshod"), "likely"),
        (P("Karimova", "Nodira"), P("Karimova", "Nodria"), "likely"),  # a swap of two letters
        (P("Ozbekova", "Madina"), P("Oʻzbekova", "Madina"), "likely"),  # the mark left out
        (P("Karimov", "Aziz", "Rustamovich"), P("Karimov", "Aziz", "Rustam oʻgʻli"), "likely"),
        (P("Karimov", "Aziz", "Rustamovich"), P("Karimov", "Aziz"), "likely"),  # unconfirmable
        (P("Aziz", "Karimov"), P("Karimov", "Aziz"), "likely"),  # first and last swapped
        (P("Karimov", "Aziz"), P("Karimova", "Aziza"), "no"),  # -ov/-ova: another person
        (P("Rahimov", "Nodir"), P("Rahimov", "Nodira"), "no"),
        (P("Karimov", "Aziz", "Rustamovich"), P("Karimov", "Aziz", "Salimovich"), "no"),
        (P("Karimov", "Olim"), P("Karimov", "Salim"), "no"),  # short names: no typo allowance
        (P("Qodirov", "Bobur"), P("Nazarov", "Bobur"), "no"),
        (P("Karimov", ""), P("Karimov", ""), "no"),  # blanks are no evidence
    ],
)
def test_names_match(a: PersonName, b: PersonName, expected: str) -> None:
    assert names_match(a, b) == expected
    assert names_match(b, a) == expected


@given(latin_texts, latin_texts)
def test_a_name_matches_itself_in_the_other_script(last: str, first: str) -> None:
    latin = PersonName(last, first)
    cyrillic = PersonName(latin_to_cyrillic(last), latin_to_cyrillic(first))
    expected = "exact" if spelling_key(last) and spelling_key(first) else "no"
    assert names_match(latin, cyrillic) == expected


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("abc", "", 3), ("karimov", "karimov", 0), ("nodira", "nodria", 1),
     ("kitten", "sitting", 3), ("ca", "abc", 3)],
)  # fmt: skip
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance == edit_distance(b, a)
