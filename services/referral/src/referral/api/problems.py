"""Referral's refusals and field codes, in Uzbek (Latin and Cyrillic) and Russian.

Codes are stable (consoles and partners key on them); texts say what
happened and what to do, and never name the person or repeat what was sent.
"""

from __future__ import annotations

from inson_contracts.codes.names import name
from inson_runtime.problems import Catalogue, FieldCode, ProblemType


def _problem(
    code: str, status: int, title: tuple[str, str, str], detail: tuple[str, str, str]
) -> ProblemType:
    return ProblemType(code, status, name(*title), name(*detail))


NO_AREA = _problem(
    "area.none",
    403,
    ("Hudud belgilanmagan", "Ҳудуд белгиланмаган", "Не указана территория"),
    (
        "Tokeningizda xizmat markazi, xizmat koʻrsatuvchi yoki tuman koʻrsatilmagan",
        "Токенингизда хизмат маркази, хизмат кўрсатувчи ёки туман кўрсатилмаган",
        "В вашем токене не указаны центр услуг, поставщик или район",
    ),
)
CENTER_NOT_YOURS = _problem(
    "center.not_yours",
    403,
    ("Bu markaz sizniki emas", "Бу марказ сизники эмас", "Это не ваш центр"),
    (
        "Siz faqat oʻz xizmat markazingiz darchalari navbatini koʻra olasiz",
        "Сиз фақат ўз хизмат марказингиз дарчалари навбатини кўра оласиз",
        "Вам доступна только очередь окон вашего центра услуг",
    ),
)
CENTER_OUTSIDE = _problem(
    "center.outside_district",
    403,
    ("Markaz tumaningizda emas", "Марказ туманингизда эмас", "Центр не в вашем районе"),
    (
        "Bu xizmat markazi sizning tumaningizdan tashqarida",
        "Бу хизмат маркази сизнинг туманингиздан ташқарида",
        "Этот центр услуг находится вне вашего района",
    ),
)
PROVIDER_NOT_YOURS = _problem(
    "provider.not_yours",
    403,
    (
        "Bu xizmat koʻrsatuvchi sizniki emas",
        "Бу хизмат кўрсатувчи сизники эмас",
        "Это не ваш поставщик",
    ),
    (
        "Siz faqat tokeningizda koʻrsatilgan xizmat koʻrsatuvchilar navbatini koʻra olasiz",
        "Сиз фақат токенингизда кўрсатилган хизмат кўрсатувчилар навбатини кўра оласиз",
        "Вам доступны только очереди поставщиков, указанных в вашем токене",
    ),
)
PROVIDER_OUTSIDE = _problem(
    "provider.outside_district",
    403,
    (
        "Xizmat koʻrsatuvchi tumaningizda emas",
        "Хизмат кўрсатувчи туманингизда эмас",
        "Поставщик не в вашем районе",
    ),
    (
        "Bu xizmat koʻrsatuvchi sizning tumaningizdan tashqarida",
        "Бу хизмат кўрсатувчи сизнинг туманингиздан ташқарида",
        "Этот поставщик находится вне вашего района",
    ),
)
REFERRAL_NOT_FOUND = _problem(
    "referral.not_found",
    404,
    ("Yoʻllanma topilmadi", "Йўлланма топилмади", "Направление не найдено"),
    (
        "Darchalaringiz yoki xizmat koʻrsatuvchilaringizda bunday yoʻllanma yoʻq",
        "Дарчаларингиз ёки хизмат кўрсатувчиларингизда бундай йўлланма йўқ",
        "В ваших окнах или у ваших поставщиков нет такого направления",
    ),
)
NONE_AS_OF = _problem(
    "referral.none_as_of",
    404,
    ("Yoʻllanmalar yoʻq", "Йўлланмалар йўқ", "Направлений нет"),
    (
        "Koʻrsatilgan paytgacha hududingizda bu ish boʻyicha yoʻllanma berilmagan",
        "Кўрсатилган пайтгача ҳудудингизда бу иш бўйича йўлланма берилмаган",
        "К указанному моменту в вашей территории направлений по этому делу не выдавалось",
    ),
)
CENTER_NOT_FOUND = _problem(
    "center.not_found",
    404,
    ("Xizmat markazi topilmadi", "Хизмат маркази топилмади", "Центр услуг не найден"),
    (
        "Maʼlumotnomada bunday xizmat markazi yoʻq",
        "Маълумотномада бундай хизмат маркази йўқ",
        "Такого центра услуг нет в справочнике",
    ),
)
WINDOW_NOT_FOUND = _problem(
    "window.not_found",
    404,
    ("Darcha topilmadi", "Дарча топилмади", "Окно не найдено"),
    (
        "Maʼlumotnomada bunday darcha yoʻq",
        "Маълумотномада бундай дарча йўқ",
        "Такого окна нет в справочнике",
    ),
)
PROVIDER_NOT_FOUND = _problem(
    "provider.not_found",
    404,
    ("Xizmat koʻrsatuvchi topilmadi", "Хизмат кўрсатувчи топилмади", "Поставщик не найден"),
    (
        "Maʼlumotnomada bunday xizmat koʻrsatuvchi yoʻq",
        "Маълумотномада бундай хизмат кўрсатувчи йўқ",
        "Такого поставщика нет в справочнике",
    ),
)
TRANSITION_NOT_ALLOWED = _problem(
    "referral.transition_not_allowed",
    409,
    ("Bu amal hozir mumkin emas", "Бу амал ҳозир мумкин эмас", "Действие сейчас недоступно"),
    (
        "Yoʻllanmaning hozirgi holatida bu amalni bajarib boʻlmaydi; holati va uni kim "
        "oʻzgartirgani javobda",
        "Йўлланманинг ҳозирги ҳолатида бу амални бажариб бўлмайди; ҳолати ва уни ким "
        "ўзгартиргани жавобда",
        "В текущем состоянии направления это действие невозможно; состояние и кто его "
        "изменил — в ответе",
    ),
)
ALREADY_DONE = _problem(
    "referral.already_done",
    409,
    ("Bu qadam allaqachon bajarilgan", "Бу қадам аллақачон бажарилган", "Этот шаг уже выполнен"),
    (
        "Bu qadamni boshqa xodim yoki boshqa izoh bilan allaqachon bajargan; kim va qachon "
        "bajargani javobda",
        "Бу қадамни бошқа ходим ёки бошқа изоҳ билан аллақачон бажарган; ким ва қачон "
        "бажаргани жавобда",
        "Этот шаг уже выполнен другим сотрудником или с другим комментарием; кто и когда — "
        "в ответе",
    ),
)

FIELDS = [
    FieldCode(
        "referral_code_format",
        name(
            "Bu yoʻllanma kodi emas: 8 ta harf va raqam",
            "Бу йўлланма коди эмас: 8 та ҳарф ва рақам",
            "Это не код направления: нужно 8 букв и цифр",
        ),
    ),
]

CATALOGUE = Catalogue.of(
    [
        NO_AREA,
        CENTER_NOT_YOURS,
        CENTER_OUTSIDE,
        PROVIDER_NOT_YOURS,
        PROVIDER_OUTSIDE,
        REFERRAL_NOT_FOUND,
        NONE_AS_OF,
        CENTER_NOT_FOUND,
        WINDOW_NOT_FOUND,
        PROVIDER_NOT_FOUND,
        TRANSITION_NOT_ALLOWED,
        ALREADY_DONE,
    ],
    FIELDS,
)
