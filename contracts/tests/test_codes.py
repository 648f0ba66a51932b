"""The code lists hold their invariants: unique codes, valid references, names in three scripts."""

from __future__ import annotations

import ast
import pickle
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from inson_contracts import codes
from inson_contracts.codes import (
    CATEGORY_PREFIX,
    CHANNEL_NAMES,
    CIRCUMSTANCE_NAMES,
    DISTRICTS,
    INSON_PILOT_DISTRICTS,
    REGIONS,
    SERVICES,
    Channel,
    Circumstance,
    DistrictKind,
    Language,
    LocalizedName,
    ProviderType,
    RegionKind,
    Service,
    ServiceCategory,
    UnknownCode,
    channel,
    circumstance,
    district,
    districts_of,
    region,
    service,
    services_in,
)
from pydantic import ValidationError

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# ASCII and typographic apostrophes, and the backtick, that people type for the
# oʻ/gʻ letter, which Uzbek Latin writes with U+02BB.
WRONG_APOSTROPHES = re.compile("['`\u2018\u2019]")

# The official SOATO codes of the 14 top-level units.
OFFICIAL_REGIONS = {
    "1703": "Andijon viloyati",
    "1706": "Buxoro viloyati",
    "1708": "Jizzax viloyati",
    "1710": "Qashqadaryo viloyati",
    "1712": "Navoiy viloyati",
    "1714": "Namangan viloyati",
    "1718": "Samarqand viloyati",
    "1722": "Surxondaryo viloyati",
    "1724": "Sirdaryo viloyati",
    "1726": "Toshkent shahri",
    "1727": "Toshkent viloyati",
    "1730": "Fargʻona viloyati",
    "1733": "Xorazm viloyati",
    "1735": "Qoraqalpogʻiston Respublikasi",
}

# The pilot list exactly as CONTEXT.md spells it, with the region each lies in.
PILOT_DISTRICTS_IN_CONTEXT = {
    "Beruniy": "1735",
    "Xo'jayli": "1735",
    "Xo'jaobod": "1703",
    "Qorako'l": "1706",
    "Peshku": "1706",
    "Baxmal": "1708",
    "G'allaorol": "1708",
    "Qarshi": "1710",
    "Dehqonobod": "1710",
    "Konimex": "1712",
    "Kosonsoy": "1714",
    "Chust": "1714",
    "Paxtachi": "1718",
    "Uzun": "1722",
    "Xovos": "1724",
    "Yangiyo'l": "1727",
    "Toshkent": "1727",
    "Dang'ara": "1730",
    "Urganch": "1733",
    "Yangibozor": "1733",
    "Olmazor": "1726",
    "Mirzo Ulug'bek": "1726",
}
PILOT_CITIES_IN_CONTEXT = {
    "Andijon": "1703",
    "Navoiy": "1712",
    "Kattaqo'rg'on": "1718",
    "Termiz": "1722",
    "Guliston": "1724",
}


def all_names() -> Iterator[tuple[str, LocalizedName]]:
    for r in REGIONS:
        yield f"region {r.code}", r.name
    for d in DISTRICTS:
        yield f"district {d.code}", d.name
    for s in SERVICES:
        yield f"service {s.code}", s.name
    for c, n in CIRCUMSTANCE_NAMES.items():
        yield f"circumstance {c}", n
    for ch, n in CHANNEL_NAMES.items():
        yield f"channel {ch}", n


def modern_latin(context_spelling: str) -> str:
    return context_spelling.replace("'", "\u02bb")


def test_every_code_is_unique_within_its_list() -> None:
    for codes_ in (
        [r.code for r in REGIONS],
        [d.code for d in DISTRICTS],
        [s.code for s in SERVICES],
    ):
        assert codes_
        assert len(codes_) == len(set(codes_))


def test_the_14_regions_carry_their_official_soato_codes() -> None:
    assert {r.code: r.name.uz_latn for r in REGIONS} == OFFICIAL_REGIONS
    assert region("1726").kind is RegionKind.CITY
    assert region("1735").kind is RegionKind.REPUBLIC
    assert sum(r.kind is RegionKind.REGION for r in REGIONS) == 12


def test_every_district_lies_in_a_region_that_exists() -> None:
    region_codes = {r.code for r in REGIONS}
    for d in DISTRICTS:
        assert d.region_code in region_codes, d.code
        assert re.fullmatch(r"\d{7}", d.code), d.code
        assert d.code.startswith(d.region_code), d.code
        # SOATO numbers districts 2xx and cities of regional subordination 4xx.
        assert d.code[4] == ("2" if d.kind is DistrictKind.DISTRICT else "4"), d.code


def test_districts_of_a_region_are_exactly_its_districts_in_code_order() -> None:
    for r in REGIONS:
        listed = districts_of(r.code)
        assert [d.code for d in listed] == sorted(d.code for d in listed)
        assert set(listed) == {d for d in DISTRICTS if d.region_code == r.code}
    tashkent_city = {d.name.uz_latn for d in districts_of("1726")}
    assert tashkent_city == {"Olmazor tumani", "Mirzo Ulugʻbek tumani"}


def test_the_27_pilot_names_from_context_are_all_present_in_their_regions() -> None:
    # CONTEXT.md says 28 pilots but names 27; the list must not invent one.
    assert len(INSON_PILOT_DISTRICTS) == 27
    assert all(d.inson_pilot for d in INSON_PILOT_DISTRICTS)
    found = {(d.name.uz_latn, d.kind, d.region_code) for d in INSON_PILOT_DISTRICTS}
    expected = {
        (f"{modern_latin(n)} tumani", DistrictKind.DISTRICT, r)
        for n, r in PILOT_DISTRICTS_IN_CONTEXT.items()
    } | {
        (f"{modern_latin(n)} shahri", DistrictKind.CITY, r)
        for n, r in PILOT_CITIES_IN_CONTEXT.items()
    }
    assert found == expected


def test_pilot_codes_that_were_cross_checked_match_the_classifier() -> None:
    # A sample spelled out here so a typo in the table cannot agree with itself.
    assert district("1706230").name.uz_latn == "Qorakoʻl tumani"
    assert district("1726269").name.ru == "Мирзо-Улугбекский район"
    assert district("1718406").kind is DistrictKind.CITY
    assert district("1727265").name.uz_cyrl == "Тошкент тумани"
    assert all(d.code_verified for d in INSON_PILOT_DISTRICTS)


def test_every_name_is_present_in_all_three_scripts() -> None:
    checked = 0
    for where, n in all_names():
        for text in (n.uz_latn, n.uz_cyrl, n.ru):
            assert text.strip() == text and text, where
        assert not CYRILLIC.search(n.uz_latn), where
        assert not WRONG_APOSTROPHES.search(n.uz_latn), where
        assert CYRILLIC.search(n.uz_cyrl), where
        assert CYRILLIC.search(n.ru), where
        checked += 1
    assert checked == len(REGIONS) + len(DISTRICTS) + len(SERVICES) + 10 + 5


def test_uzbek_cyrillic_names_use_uzbek_letters_where_the_latin_has_them() -> None:
    # Latin oʻ/gʻ/q/h are ў/ғ/қ/ҳ in Uzbek Cyrillic; a Russian-only spelling loses them.
    pairs = {"oʻ": "ў", "gʻ": "ғ", "q": "қ"}
    for where, n in all_names():
        latin = n.uz_latn.lower()
        cyrillic = n.uz_cyrl.lower()
        for latin_letter, cyrillic_letter in pairs.items():
            if latin_letter in latin:
                assert cyrillic_letter in cyrillic, (where, latin_letter)


def test_every_language_tag_selects_its_own_name() -> None:
    n = district("1735236").name
    assert n.in_language("uz-Latn") == "Xoʻjayli tumani"
    assert n.in_language("uz-Cyrl") == "Хўжайли тумани"
    assert n.in_language("ru") == "Ходжейлийский район"
    assert n.in_language(Language.UZ_CYRL) == n.uz_cyrl
    assert n.in_language("UZ-latn") == n.uz_latn  # BCP 47 tags ignore case
    for tag in ("en", "uz", "uz-Arab", ""):
        with pytest.raises(ValueError, match="unsupported language tag"):
            n.in_language(tag)


def test_a_localized_name_refuses_the_wrong_script_and_blanks() -> None:
    with pytest.raises(ValidationError, match="uz_latn"):
        LocalizedName(uz_latn="Қарши", uz_cyrl="Қарши", ru="Карши")
    with pytest.raises(ValidationError, match="uz_cyrl"):
        LocalizedName(uz_latn="Qarshi", uz_cyrl="Qarshi", ru="Карши")
    with pytest.raises(ValidationError, match="ru"):
        LocalizedName(uz_latn="Qarshi", uz_cyrl="Қарши", ru="  ")


def test_the_lists_are_immutable() -> None:
    with pytest.raises(ValidationError):
        service("HOME-01").target_days = 99  # type: ignore[misc]
    with pytest.raises(ValidationError):
        region("1703").name.uz_latn = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        codes.SERVICES_BY_CODE["NEW-01"] = service("HOME-01")  # type: ignore[index]
    with pytest.raises(TypeError):
        del codes.DISTRICTS_BY_CODE["1706230"]  # type: ignore[attr-defined]


def test_the_catalogue_has_at_least_40_services_and_every_category_is_used() -> None:
    assert len(SERVICES) >= 40
    for category in ServiceCategory:
        listed = services_in(category)
        assert listed, category
        assert all(s.category is category for s in listed)
    assert sum(len(services_in(c)) for c in ServiceCategory) == len(SERVICES)
    assert services_in("housing") == services_in(ServiceCategory.HOUSING)


def test_service_codes_follow_one_scheme_with_consecutive_numbers() -> None:
    for category in ServiceCategory:
        numbers = [s.code for s in services_in(category)]
        prefix = CATEGORY_PREFIX[category]
        assert numbers == [f"{prefix}-{i:02d}" for i in range(1, len(numbers) + 1)]
    assert len(set(CATEGORY_PREFIX.values())) == len(ServiceCategory)


def test_every_service_addresses_valid_circumstances_with_a_sane_deadline() -> None:
    valid = {c.value for c in Circumstance}
    for s in SERVICES:
        assert s.eligibility, s.code
        assert all(isinstance(c, Circumstance) and c.value in valid for c in s.eligibility)
        assert len(set(s.eligibility)) == len(s.eligibility), s.code
        assert isinstance(s.provider, ProviderType)
        assert 1 <= s.target_days <= 30, s.code


def test_the_catalogue_covers_the_services_the_reform_names() -> None:
    assert service("HOUSE-01").eligibility == (Circumstance.HOMELESS,)
    assert "шести месяцев" in service("HOUSE-01").name.ru
    assert service("HOME-01").target_days < service("EDU-02").target_days
    assert Circumstance.LONELY_ELDERLY in service("HOME-01").eligibility
    assert service("HLTH-01").name.ru.startswith("Освидетельствование медико-социальной")
    covered = {c for s in SERVICES for c in s.eligibility}
    assert covered == set(Circumstance)
    providers = {s.provider for s in SERVICES}
    assert ProviderType.SOCIAL_SERVICE_WINDOW in providers
    assert ProviderType.INSON_CENTER in providers


def test_a_service_code_must_carry_its_category_prefix() -> None:
    good = service("HOME-01")
    with pytest.raises(ValidationError, match="HOME-"):
        Service(**{**good.model_dump(), "code": "CASH-99"})
    with pytest.raises(ValidationError, match="twice"):
        Service(**{**good.model_dump(), "eligibility": ("disability", "disability")})
    with pytest.raises(ValidationError, match="eligibility"):
        Service(**{**good.model_dump(), "eligibility": ("not_a_circumstance",)})


def test_channels_and_circumstances_each_have_names_and_lookups() -> None:
    assert set(CHANNEL_NAMES) == set(Channel)
    assert set(CIRCUMSTANCE_NAMES) == set(Circumstance)
    assert {c.value for c in Channel} == {
        "mahalla_tablet",
        "service_window",
        "online_portal",
        "proactive_identification",
        "hotline",
    }
    assert channel("hotline") is Channel.HOTLINE
    assert circumstance("needs_care_by_others") is Circumstance.NEEDS_CARE_BY_OTHERS


@pytest.mark.parametrize(
    ("lookup", "code", "kind"),
    [
        (region, "1799", "region"),
        (district, "1703999", "district"),
        (districts_of, "1798", "region"),
        (service, "HOME-99", "service"),
        (services_in, "gardening", "service category"),
        (circumstance, "bored", "circumstance"),
        (channel, "carrier_pigeon", "channel"),
    ],
)
def test_lookups_name_the_unknown_code(lookup: object, code: str, kind: str) -> None:
    assert callable(lookup)
    with pytest.raises(UnknownCode) as caught:
        lookup(code)
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == f"unknown {kind} code {code!r}"
    assert caught.value.code == code
    again = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own object
    assert str(again) == str(caught.value)


def test_the_codes_package_imports_only_pydantic_and_the_standard_library() -> None:
    package = Path(codes.__file__).parent
    allowed = set(sys.stdlib_module_names) | {"__future__", "pydantic", "inson_contracts"}
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert roots <= allowed, (source.name, roots)
