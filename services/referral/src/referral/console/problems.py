"""The console's own refusals: a token that names no center or provider to work at.

In Uzbek (Latin and Cyrillic) and Russian, like the API's (``api/problems.py``).
"""

from __future__ import annotations

from inson_contracts.codes.names import name
from inson_runtime.problems import Catalogue, ProblemType

NO_CENTER = ProblemType(
    "console.no_center",
    403,
    name("Xizmat markazi yoʻq", "Хизмат маркази йўқ", "Нет центра услуг"),
    name(
        "Tokeningizda xizmat markazi koʻrsatilmagan",
        "Токенингизда хизмат маркази кўрсатилмаган",
        "В вашем токене не указан центр услуг",
    ),
)
CENTER_UNKNOWN = ProblemType(
    "console.center_unknown",
    404,
    name("Xizmat markazi topilmadi", "Хизмат маркази топилмади", "Центр услуг не найден"),
    name(
        "Tokeningizdagi xizmat markazi maʼlumotnomada yoʻq",
        "Токенингиздаги хизмат маркази маълумотномада йўқ",
        "Центра услуг из вашего токена нет в справочнике",
    ),
)
NO_PROVIDER = ProblemType(
    "console.no_provider",
    403,
    name("Xizmat koʻrsatuvchi yoʻq", "Хизмат кўрсатувчи йўқ", "Нет поставщика"),
    name(
        "Tokeningizda xizmat koʻrsatuvchi koʻrsatilmagan",
        "Токенингизда хизмат кўрсатувчи кўрсатилмаган",
        "В вашем токене не указан поставщик услуг",
    ),
)
PROVIDERS_UNKNOWN = ProblemType(
    "console.providers_unknown",
    404,
    name("Xizmat koʻrsatuvchi topilmadi", "Хизмат кўрсатувчи топилмади", "Поставщик не найден"),
    name(
        "Tokeningizdagi xizmat koʻrsatuvchilarning hech biri maʼlumotnomada yoʻq",
        "Токенингиздаги хизмат кўрсатувчиларнинг ҳеч бири маълумотномада йўқ",
        "Ни одного поставщика из вашего токена нет в справочнике",
    ),
)

CATALOGUE = Catalogue.of([NO_CENTER, CENTER_UNKNOWN, NO_PROVIDER, PROVIDERS_UNKNOWN])
