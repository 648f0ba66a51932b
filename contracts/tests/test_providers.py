"""The provider directory: generated, complete for the pilot, replaceable, checked."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.geography import INSON_PILOT_DISTRICTS
from inson_contracts.codes.mahallas import MAHALLAS_FILE_ENV, mahallas_of, reload_mahallas
from inson_contracts.codes.providers import (
    LISTED_TYPES,
    PROVIDERS_FILE_ENV,
    ProviderDataError,
    default_provider,
    provider,
    providers,
    reload_providers,
    serves,
)
from inson_contracts.codes.service_model import ProviderType

CONTRACTS = Path(__file__).resolve().parent.parent
PACKAGED = CONTRACTS / "src" / "inson_contracts" / "codes" / "data" / "providers.json"
BERUNIY = "1735207"


@pytest.fixture(autouse=True)
def packaged(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(PROVIDERS_FILE_ENV, raising=False)
    monkeypatch.delenv(MAHALLAS_FILE_ENV, raising=False)
    reload_mahallas()
    reload_providers()
    yield
    reload_providers()


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_providers", CONTRACTS / "tools" / "generate_providers.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_file_is_what_the_generator_writes() -> None:
    assert generator().render() == PACKAGED.read_text(encoding="utf-8")


def test_every_pilot_district_has_a_default_of_every_type_and_each_mahalla_is_one() -> None:
    for district in INSON_PILOT_DISTRICTS:
        for provider_type in LISTED_TYPES:
            found = default_provider(provider_type, district.code, "")
            assert serves(found, provider_type, district.code)
            assert found.placeholder and "(vaqtincha nom)" in found.name.uz_latn
    place = mahallas_of(BERUNIY)[2]
    own = default_provider(ProviderType.MAHALLA, BERUNIY, place.code)
    assert (own.code, own.mahalla, own.district) == (f"mahalla-{place.code}", place.code, BERUNIY)
    assert provider(own.code) == own
    assert len(providers(BERUNIY)) == len(LISTED_TYPES) + len(mahallas_of(BERUNIY))


def test_codes_are_the_ones_referrals_always_carried() -> None:
    # Referrals issued before the directory named "<prefix>-<district>".
    assert provider(f"health-{BERUNIY}").provider_type is ProviderType.HEALTH_FACILITY
    assert provider(f"inson-{BERUNIY}").provider_type is ProviderType.INSON_CENTER
    with pytest.raises(UnknownCode):
        provider("health-0000000")
    with pytest.raises(UnknownCode):
        default_provider(ProviderType.SOCIAL_SERVICE_WINDOW, BERUNIY, "")


def replacement(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: list[Any]) -> None:
    path = tmp_path / "providers.json"
    path.write_text(json.dumps({"providers": entries}), encoding="utf-8")
    monkeypatch.setenv(PROVIDERS_FILE_ENV, str(path))
    reload_providers()


def generated() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(PACKAGED.read_text(encoding="utf-8"))["providers"]
    return entries


def test_a_real_directory_replaces_the_placeholders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = generated()
    entries.append(
        {
            "code": "ngo-mehr-1735207",
            "provider_type": "ngo_partner",
            "district": BERUNIY,
            "name": {"uz_latn": "Mehr NNT", "uz_cyrl": "Меҳр ННТ", "ru": "НКО «Мехр»"},
        }
    )
    replacement(tmp_path, monkeypatch, entries)
    chosen = provider("ngo-mehr-1735207")
    assert not chosen.default and serves(chosen, ProviderType.NGO_PARTNER, BERUNIY)
    assert not serves(chosen, ProviderType.NGO_PARTNER, "1703202")
    assert default_provider(ProviderType.NGO_PARTNER, BERUNIY, "").code == f"ngo-{BERUNIY}"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e[0].update(provider_type="social_service_window"), "is not listed here"),
        (lambda e: e[0].update(provider_type="mahalla"), "is not listed here"),
        (lambda e: e.append(dict(e[0])), "is taken"),
        (lambda e: e.append({**e[0], "code": "health-2"}), "already has default"),
        (lambda e: e.pop(0), "1 defaults missing"),
        (lambda e: e[0].update(code="Health 1"), "code: String should match"),
        (lambda e: e[0].update(mahalla="1735207001"), "only a mahalla names a mahalla"),
    ],
)
def test_a_bad_directory_stops_the_load_naming_the_entry(
    change: Any, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = generated()
    change(entries)
    replacement(tmp_path, monkeypatch, entries)
    with pytest.raises(ProviderDataError, match=message):
        providers()
