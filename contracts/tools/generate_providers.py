"""Write the placeholder provider directory, inson_contracts/codes/data/providers.json.

    uv run python contracts/tools/generate_providers.py [--output PATH]

The sources name no provider. This writes, for every Inson pilot district or
city, one provider of each listed type (Inson center, health facility,
education body, employment center, NGO partner, other), each the district's
default, coded as referrals have always carried them (``health-1735207``) and
named as a placeholder. Mahallas are not listed: every mahalla of the register
is a provider of its own. A rerun writes a byte-identical file, which a test
checks, so the committed file can always be traced back to this script.

When the real directory arrives, do not edit this script: write it in the same
shape and commit it in place of the generated file or point
INSON_PROVIDERS_FILE at it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from inson_contracts.codes.geography import INSON_PILOT_DISTRICTS, District
from inson_contracts.codes.providers import LISTED_TYPES, PROVIDERS_FILE_ENV, default_code
from inson_contracts.codes.service_model import ProviderType

OUTPUT = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "inson_contracts"
    / "codes"
    / "data"
    / "providers.json"
)

NOTE = (
    "GENERATED PLACEHOLDERS, NOT THE REAL DIRECTORY. The sources name no provider; one provider "
    "of each type (inson_center, health_facility, education_body, employment_center, "
    "ngo_partner, other) per Inson pilot district or city, its code and its name are generated "
    "by contracts/tools/generate_providers.py, and every name says it is a placeholder "
    '("placeholder": true). Mahallas are providers of their own (type mahalla, code '
    '"mahalla-<mahalla code>") and are not listed. To use the real directory, write a file of '
    'this shape ({"note": ..., "providers": [{"code", "provider_type", "district", "name": '
    '{"uz_latn", "uz_cyrl", "ru"}, "default": true | false, "placeholder": false}]}) and commit '
    f"it in place of this file or point the {PROVIDERS_FILE_ENV} environment variable at it. It "
    "is checked when it is loaded: codes unique, types listed here, districts known, exactly one "
    "default of each type in every pilot district."
)

PLACEHOLDER = ("(vaqtincha nom)", "(вақтинча ном)", "(временное название)")

# How each type's body is called, after (Uzbek) or before (Russian) the district's name.
KINDS: dict[ProviderType, tuple[str, str, str]] = {
    ProviderType.INSON_CENTER: (
        "«Inson» ijtimoiy xizmatlar markazi",
        "«Инсон» ижтимоий хизматлар маркази",
        "Центр социальных услуг «Инсон»",
    ),
    ProviderType.HEALTH_FACILITY: (
        "tibbiyot birlashmasi",
        "тиббиёт бирлашмаси",
        "Медицинское объединение",
    ),
    ProviderType.EDUCATION_BODY: (
        "maktabgacha va maktab taʼlimi boʻlimi",
        "мактабгача ва мактаб таълими бўлими",
        "Отдел дошкольного и школьного образования",
    ),
    ProviderType.EMPLOYMENT_CENTER: (
        "bandlikka koʻmaklashish markazi",
        "бандликка кўмаклашиш маркази",
        "Центр содействия занятости",
    ),
    ProviderType.NGO_PARTNER: (
        "hamkor nodavlat notijorat tashkiloti",
        "ҳамкор нодавлат нотижорат ташкилоти",
        "Партнёрская некоммерческая организация",
    ),
    ProviderType.OTHER: (
        "boshqa xizmat koʻrsatuvchi",
        "бошқа хизмат кўрсатувчи",
        "Другой поставщик услуг",
    ),
}


def district_providers(district: District) -> list[dict[str, object]]:
    latn, cyrl, ru = PLACEHOLDER
    name = district.name
    return [
        {
            "code": default_code(provider_type, district.code),
            "provider_type": provider_type.value,
            "district": district.code,
            "name": {
                "uz_latn": f"{name.uz_latn} {KINDS[provider_type][0]} {latn}",
                "uz_cyrl": f"{name.uz_cyrl} {KINDS[provider_type][1]} {cyrl}",
                "ru": f"{KINDS[provider_type][2]}: {name.ru} {ru}",
            },
            "default": True,
            "placeholder": True,
        }
        for provider_type in LISTED_TYPES
    ]


def records() -> list[dict[str, object]]:
    pilots = sorted(INSON_PILOT_DISTRICTS, key=lambda d: d.code)
    return [entry for district in pilots for entry in district_providers(district)]


def render() -> str:
    """The file's text: one provider per line, so a diff of a real directory reads well."""
    dumped = [json.dumps(e, ensure_ascii=False, separators=(", ", ": ")) for e in records()]
    rows = [f"    {row}," for row in dumped[:-1]] + [f"    {dumped[-1]}"]
    lines = ["{", f'  "note": {json.dumps(NOTE, ensure_ascii=False)},', '  "providers": [']
    lines += [*rows, "  ]", "}", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(render().encode("utf-8"))
    print(f"wrote {len(records())} providers to {args.output}")


if __name__ == "__main__":
    main()
