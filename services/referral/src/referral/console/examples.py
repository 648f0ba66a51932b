"""Example answers of the console's own JSON routes, as the running service gives them
(the generated placeholder center and provider of Beruniy)."""

from __future__ import annotations

from typing import Any

OPERATOR_CENTER: dict[str, Any] = {
    "code": "psc-1735207",
    "name": {
        "uz_latn": "Beruniy tumani davlat xizmatlari markazi (vaqtincha nom)",
        "uz_cyrl": "Беруний тумани давлат хизматлари маркази (вақтинча ном)",
        "ru": "Центр государственных услуг: Берунийский район (временное название)",
    },
    "placeholder": True,
    "windows": [
        {
            "code": "psc-1735207-w1",
            "name": {
                "uz_latn": "Ijtimoiy xizmat darchasi 1 (vaqtincha nom)",
                "uz_cyrl": "Ижтимоий хизмат дарчаси 1 (вақтинча ном)",
                "ru": "Окно социальных услуг 1 (временное название)",
            },
            "placeholder": True,
        },
        {
            "code": "psc-1735207-w2",
            "name": {
                "uz_latn": "Ijtimoiy xizmat darchasi 2 (vaqtincha nom)",
                "uz_cyrl": "Ижтимоий хизмат дарчаси 2 (вақтинча ном)",
                "ru": "Окно социальных услуг 2 (временное название)",
            },
            "placeholder": True,
        },
    ],
}

OPERATOR_PROVIDERS: dict[str, Any] = {
    "providers": [
        {
            "code": "employment-1735207",
            "provider_type": "employment_center",
            "district": "1735207",
            "name": {
                "uz_latn": "Beruniy tumani bandlikka koʻmaklashish markazi (vaqtincha nom)",
                "uz_cyrl": "Беруний тумани бандликка кўмаклашиш маркази (вақтинча ном)",
                "ru": "Центр содействия занятости: Берунийский район (временное название)",
            },
            "placeholder": True,
        }
    ]
}
