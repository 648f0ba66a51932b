"""Notification's refusals and field codes, in Uzbek (Latin and Cyrillic) and Russian.

Codes are stable (partners key on them); texts say what happened and what to
do, and never repeat what was sent (a webhook secret least of all).
"""

from __future__ import annotations

from inson_contracts.codes.names import name
from inson_runtime.problems import Catalogue, FieldCode, ProblemType

NO_AREA = ProblemType(
    "area.none",
    403,
    name("Hudud belgilanmagan", "Ҳудуд белгиланмаган", "Не указана территория"),
    name(
        "Tokeningizda tuman koʻrsatilmagan",
        "Токенингизда туман кўрсатилмаган",
        "В вашем токене не указан район",
    ),
)
SUBSCRIPTION_NOT_FOUND = ProblemType(
    "subscription.not_found",
    404,
    name("Obuna topilmadi", "Обуна топилмади", "Подписка не найдена"),
    name(
        "Sizda bunday obuna yoʻq",
        "Сизда бундай обуна йўқ",
        "У вас нет такой подписки",
    ),
)
REFUSED = ProblemType(
    "subscription.refused",
    422,
    name("Obunani bajarib boʻlmaydi", "Обунани бажариб бўлмайди", "Подписку нельзя выполнить"),
    name(
        "Soʻrovni bu koʻrinishda bajarib boʻlmaydi",
        "Сўровни бу кўринишда бажариб бўлмайди",
        "Запрос в таком виде выполнить нельзя",
    ),
)


def _field(code: str, uz_latn: str, uz_cyrl: str, ru: str) -> FieldCode:
    return FieldCode(code, name(uz_latn, uz_cyrl, ru))


FIELDS = [
    _field(
        "https_required",
        "Webhook manzili https bilan boshlanishi kerak",
        "Webhook манзили https билан бошланиши керак",
        "Адрес вебхука должен начинаться с https",
    ),
    _field(
        "secret_format",
        "Kalit whsec_ bilan boshlanishi va undan keyin 24–64 baytning base64 koʻrinishi "
        "boʻlishi kerak",
        "Калит whsec_ билан бошланиши ва ундан кейин 24–64 байтнинг base64 кўриниши бўлиши керак",
        "Секрет должен начинаться с whsec_, за которым следуют 24–64 байта в base64",
    ),
    _field(
        "event_type_unknown",
        "Hamkorlar bu turdagi hodisalarga obuna boʻla olmaydi",
        "Ҳамкорлар бу турдаги ҳодисаларга обуна бўла олмайди",
        "На события этого типа партнёры подписаться не могут",
    ),
]

CATALOGUE = Catalogue.of([NO_AREA, SUBSCRIPTION_NOT_FOUND, REFUSED], FIELDS)
