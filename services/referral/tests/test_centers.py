"""The directory of service centers: generated placeholders, checked on load, replaceable."""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from inson_contracts.codes import INSON_PILOT_DISTRICTS, UnknownCode
from inson_contracts.codes.mahallas import MAHALLAS_FILE_ENV, mahallas_of, reload_mahallas
from referral.reference import (
    CENTERS_FILE_ENV,
    CenterDataError,
    CenterKind,
    center_of_window,
    center_serving,
    centers_of,
    reload_service_centers,
    service_center,
    service_centers,
    service_centers_source,
)

SERVICE = Path(__file__).resolve().parent.parent
PACKAGED = SERVICE / "src" / "referral" / "reference" / "data" / "service_centers.json"
PILOT_CODES = {d.code for d in INSON_PILOT_DISTRICTS}


@pytest.fixture(autouse=True)
def packaged_lists(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Every test starts from the packaged files, whatever the shell exported,
    # and leaves no replacement cached for the next test.
    monkeypatch.delenv(CENTERS_FILE_ENV, raising=False)
    monkeypatch.delenv(MAHALLAS_FILE_ENV, raising=False)
    reload_mahallas()
    reload_service_centers()
    yield
    reload_mahallas()
    reload_service_centers()


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_centers", SERVICE / "tools" / "generate_centers.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_file_is_what_the_generator_writes(tmp_path: Path) -> None:
    again = tmp_path / "service_centers.json"
    generator().write(again)
    assert again.read_bytes() == PACKAGED.read_bytes()


def test_every_pilot_district_has_a_main_center_with_one_to_three_windows() -> None:
    assert service_centers_source().endswith("data/service_centers.json")
    mains = [c for c in service_centers() if c.kind is CenterKind.CENTER]
    assert {c.district for c in mains} == PILOT_CODES
    for center in service_centers():
        assert 1 <= len(center.windows) <= 3
        assert re.fullmatch(rf"psc-{center.district}(-b\d)?", center.code)
        for n, window in enumerate(center.windows, start=1):
            assert window.code == f"{center.code}-w{n}"
            assert center_of_window(window.code) == center
    assert {len(c.windows) for c in mains} == {1, 2, 3}
    assert service_center("psc-1735207").window_codes == ("psc-1735207-w1", "psc-1735207-w2")


def test_urban_districts_have_a_branch_for_a_third_of_their_mahallas() -> None:
    branches = [c for c in service_centers() if c.kind is CenterKind.BRANCH]
    assert {c.district for c in branches} == {
        "1703401", "1712401", "1718406", "1722401", "1724401", "1726269", "1726280"
    }  # fmt: skip
    for branch in branches:
        codes = [m.code for m in mahallas_of(branch.district)]
        assert list(branch.mahallas) == codes[len(codes) * 2 // 3 :]
        assert [c.code for c in centers_of(branch.district)] == [
            f"psc-{branch.district}",
            branch.code,
        ]


def test_placeholders_say_so_in_every_language() -> None:
    for center in service_centers():
        assert center.placeholder
        for name in (center.name, *(w.name for w in center.windows)):
            assert "vaqtincha" in name.uz_latn
            assert "вақтинча" in name.uz_cyrl
            assert "временное" in name.ru
    note = json.loads(PACKAGED.read_text(encoding="utf-8"))["note"]
    assert "PLACEHOLDER" in note and CENTERS_FILE_ENV in note


def test_unknown_codes() -> None:
    with pytest.raises(UnknownCode, match="unknown service center code 'psc-0'"):
        service_center("psc-0")
    with pytest.raises(UnknownCode, match="unknown window code"):
        center_of_window("psc-1735207-w9")
    with pytest.raises(UnknownCode, match="service center for district"):
        center_serving("1703202", "1703202001")


def _packaged() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(PACKAGED.read_text(encoding="utf-8"))
    return document


def _use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, document: object) -> None:
    path = tmp_path / "centers.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(CENTERS_FILE_ENV, str(path))
    reload_service_centers()


def test_a_replacement_file_is_used_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _packaged()
    first = document["centers"][0]
    first["name"] = {"uz_latn": "Real markaz", "uz_cyrl": "Реал марказ", "ru": "Центр"}
    first["placeholder"] = False
    _use(tmp_path, monkeypatch, document)
    assert service_centers_source() == str(tmp_path / "centers.json")
    assert service_center(first["code"]).name.uz_latn == "Real markaz"


def _break(document: dict[str, Any], how: str) -> None:
    centers = document["centers"]
    beruniy = next(c for c in centers if c["code"] == "psc-1735207")
    branch = next(c for c in centers if c["kind"] == "branch")
    match how:
        case "duplicate window":
            beruniy["windows"].append(copy.deepcopy(beruniy["windows"][0]))
        case "no windows":
            beruniy["windows"] = []
        case "second main center":
            centers.append({**copy.deepcopy(beruniy), "code": "psc-x", "windows": []})
            centers[-1]["windows"] = [{**beruniy["windows"][0], "code": "psc-x-w1"}]
        case "pilot district left out":
            centers.remove(beruniy)
        case "branch mahalla elsewhere":
            branch["mahallas"] = ["1735207001"]
        case "unknown district":
            beruniy["district"] = "1735299"
        case "not json":
            document.clear()


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("duplicate window", "listed twice"),
        ("no windows", "windows"),
        ("second main center", "already has main center"),
        ("pilot district left out", "districts without a main center: ['1735207']"),
        ("branch mahalla elsewhere", "not inside district"),
        ("unknown district", "unknown district 1735299"),
        ("not json", 'expected an object with a "centers" list'),
    ],
)
def test_a_bad_file_stops_the_load_with_a_message_naming_the_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, message: str
) -> None:
    document = _packaged()
    _break(document, how)
    _use(tmp_path, monkeypatch, document)
    with pytest.raises(CenterDataError, match=re.escape(message)):
        service_centers()
