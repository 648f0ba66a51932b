"""Insight's refusals, in Uzbek (Latin and Cyrillic) and Russian.

Codes are stable; texts say what happened and what to do.
"""

from __future__ import annotations

from inson_contracts.codes.names import name
from inson_runtime.problems import Catalogue, ProblemType


def _problem(
    code: str, status: int, title: tuple[str, str, str], detail: tuple[str, str, str]
) -> ProblemType:
    return ProblemType(code, status, name(*title), name(*detail))


NO_DISTRICT = _problem(
    "area.none",
    403,
    ("Tuman belgilanmagan", "Туман белгиланмаган", "Не указан район"),
    (
        "Tokeningizda nazoratchi tumani koʻrsatilmagan",
        "Токенингизда назоратчи тумани кўрсатилмаган",
        "В вашем токене не указан район руководителя",
    ),
)
DISTRICT_NOT_FOUND = _problem(
    "district.not_found",
    404,
    ("Tuman topilmadi", "Туман топилмади", "Район не найден"),
    (
        "Bunday kodli tuman maʼlumotnomada yoʻq",
        "Бундай кодли туман маълумотномада йўқ",
        "Района с таким кодом нет в справочнике",
    ),
)

CATALOGUE = Catalogue.of([NO_DISTRICT, DISTRICT_NOT_FOUND])
