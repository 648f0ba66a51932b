"""The mahalla list: 1,351 pilot mahallas, well-formed codes, a replaceable and checked file."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from inson_contracts.codes import INSON_PILOT_DISTRICTS, UnknownCode
from inson_contracts.codes.mahallas import (
    MAHALLA_COUNT_PILOT,
    MAHALLAS_FILE_ENV,
    Mahalla,
    MahallaDataError,
    mahalla,
    mahallas,
    mahallas_of,
    mahallas_source,
    reload_mahallas,
)

CONTRACTS = Path(__file__).resolve().parent.parent
PACKAGED = CONTRACTS / "src" / "inson_contracts" / "codes" / "data" / "mahallas.json"
PILOT_CODES = {d.code for d in INSON_PILOT_DISTRICTS}


@pytest.fixture(autouse=True)
def packaged_list(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Every test starts from the packaged file, whatever the shell exported,
    # and leaves no replacement cached for the next test.
    monkeypatch.delenv(MAHALLAS_FILE_ENV, raising=False)
    reload_mahallas()
    yield
    reload_mahallas()


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_mahallas", CONTRACTS / "tools" / "generate_mahallas.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def entry(code: str, district: str = "1735207", **extra: object) -> dict[str, object]:
    return {
        "code": code,
        "district_code": district,
        "name": {"uz_latn": "Navbahor", "uz_cyrl": "Навбаҳор", "ru": "Навбахор"},
        **extra,
    }


def use_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: list[object]) -> Path:
    path = tmp_path / "mahallas.json"
    path.write_text(json.dumps({"note": "test", "mahallas": entries}), encoding="utf-8")
    monkeypatch.setenv(MAHALLAS_FILE_ENV, str(path))
    reload_mahallas()
    return path


def test_the_pilot_has_exactly_1351_mahallas() -> None:
    assert MAHALLA_COUNT_PILOT == 1351
    assert len(mahallas()) == MAHALLA_COUNT_PILOT
    assert mahallas_source().endswith("data/mahallas.json")


def test_codes_are_unique_and_are_the_district_code_and_a_sequence() -> None:
    codes = [m.code for m in mahallas()]
    assert len(set(codes)) == len(codes)
    assert codes == sorted(codes)
    for m in mahallas():
        assert re.fullmatch(r"17\d{8}", m.code)
        assert m.code[:7] == m.district_code
    # Sequences run 001, 002, ... without gaps inside each district.
    for code in PILOT_CODES:
        numbers = [int(m.code[7:]) for m in mahallas_of(code)]
        assert numbers == list(range(1, len(numbers) + 1))


def test_every_pilot_district_has_mahallas_and_every_mahalla_a_pilot_district() -> None:
    assert {m.district_code for m in mahallas()} == PILOT_CODES
    assert all(mahallas_of(code) for code in PILOT_CODES)
    assert sum(len(mahallas_of(code)) for code in PILOT_CODES) == MAHALLA_COUNT_PILOT


def test_cities_hold_more_mahallas_than_remote_districts() -> None:
    assert len(mahallas_of("1703401")) > len(mahallas_of("1712211"))  # Andijon city > Konimex
    assert len(mahallas_of("1726269")) > len(mahallas_of("1735207"))  # Mirzo Ulugʻbek > Beruniy


def test_the_generated_names_say_they_are_placeholders_in_all_three_scripts() -> None:
    first = mahalla("1735207001")
    assert first.placeholder
    assert first.name.uz_latn == "Mahalla №001 (vaqtincha nom)"
    assert first.name.uz_cyrl == "Маҳалла №001 (вақтинча ном)"
    assert first.name.ru == "Махалля №001 (временное название)"
    assert all(m.placeholder for m in mahallas())
    note = json.loads(PACKAGED.read_text(encoding="utf-8"))["note"]
    assert "PLACEHOLDER" in note and MAHALLAS_FILE_ENV in note


def test_lookups_and_unknown_codes() -> None:
    assert mahalla("1726280001").district_code == "1726280"
    assert mahallas_of("1726280")[0] is mahalla("1726280001")
    with pytest.raises(UnknownCode, match="unknown mahalla code '1735207999'"):
        mahalla("1735207999")
    with pytest.raises(UnknownCode, match="unknown district code '1703999'"):
        mahallas_of("1703999")


def test_the_list_is_loaded_once_and_immutable() -> None:
    assert mahallas() is mahallas()
    with pytest.raises(ValueError, match="frozen"):
        mahalla("1735207001").code = "1735207002"  # type: ignore[misc]


def test_a_mahalla_code_must_lie_inside_its_district() -> None:
    with pytest.raises(ValueError, match="not inside district"):
        Mahalla.model_validate(entry("1735236001", "1735207"))


def test_the_generator_reproduces_the_committed_file_byte_for_byte(tmp_path: Path) -> None:
    again = tmp_path / "mahallas.json"
    generator().write(again)
    assert again.read_bytes() == PACKAGED.read_bytes()


def test_a_replacement_file_named_by_the_environment_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = use_file(
        tmp_path,
        monkeypatch,
        [
            entry("1735207002"),
            entry("1735207001", placeholder=False),
            entry("1726280001", "1726280"),
        ],
    )
    assert mahallas_source() == str(path)
    assert [m.code for m in mahallas()] == ["1726280001", "1735207001", "1735207002"]
    assert mahalla("1735207001").name.uz_latn == "Navbahor"
    assert not mahalla("1735207001").placeholder
    assert mahallas_of("1703401") == ()  # a pilot city the replacement leaves out
    monkeypatch.delenv(MAHALLAS_FILE_ENV)
    reload_mahallas()
    assert len(mahallas()) == MAHALLA_COUNT_PILOT


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            [entry("1735207001"), entry("1735207001")],
            r"entry #2 .*1735207001.* listed twice \(first as entry #1\)",
        ),
        (
            [entry("1735207001"), entry("1799999001", "1799999")],
            r"entry #2 .*unknown district 1799999",
        ),
        ([entry("1735236001")], r"entry #1 .*1735236001.*not inside district 1735207"),
        ([entry("17352071")], r"entry #1 .*17352071"),
        ([{"code": "1735207001", "district_code": "1735207"}], r"entry #1 .*name"),
        ([], "lists no mahallas"),
    ],
)
def test_a_bad_replacement_file_is_refused_naming_the_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: list[object], message: str
) -> None:
    path = use_file(tmp_path, monkeypatch, entries)
    with pytest.raises(MahallaDataError, match=message) as caught:
        mahallas()
    assert str(path) in str(caught.value)


def test_an_unreadable_or_malformed_replacement_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MAHALLAS_FILE_ENV, str(tmp_path / "missing.json"))
    reload_mahallas()
    with pytest.raises(MahallaDataError, match="cannot read"):
        mahallas()
    broken = tmp_path / "broken.json"
    broken.write_text('{"mahallas": [', encoding="utf-8")
    monkeypatch.setenv(MAHALLAS_FILE_ENV, str(broken))
    reload_mahallas()
    with pytest.raises(MahallaDataError, match="not valid JSON"):
        mahallas()
    broken.write_text('{"mahalas": []}', encoding="utf-8")
    reload_mahallas()
    with pytest.raises(MahallaDataError, match='"mahallas" list'):
        mahallas()
