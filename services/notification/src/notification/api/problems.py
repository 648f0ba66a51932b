"""Notification's refusals and field codes, in Uzbek (Latin and Cyrillic) and Russian.

Codes are stable (partners key on them); texts say what happened and what to
do, and never repeat what was sent (a webhook secret least of all).
"""

from __future__ import annotations

from inson_contracts.codes.names import name
from inson_runtime.problems import Catalogue, ProblemType, field_code

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


FIELDS = [
    field_code(
        "https_required",
        "Webhook manzili https bilan boshlanishi kerak",
        "Webhook манзили https билан бошланиши керак",
        "Адрес вебхука должен начинаться с https",
    ),
    field_code(
        "secret_format",
        "Kalit whsec_ bilan boshlanishi va undan keyin 24–64 baytning base64 koʻrinishi "
        "boʻlishi kerak",
        "Калит whsec_ билан бошланиши ва ундан кейин 24–64 байтнинг base64 кўриниши бўлиши керак",
        "Секрет должен начинаться с whsec_, за которым следуют 24–64 байта в base64",
    ),
    field_code(
        "event_type_unknown",
        "Hamkorlar bu turdagi hodisalarga obuna boʻla olmaydi",
        "Ҳамкорлар бу турдаги ҳодисаларга обуна бўла олмайди",
        "На события этого типа партнёры подписаться не могут",
    ),
    field_code(
        "district_outside_regions",
        "Tuman koʻrsatilgan viloyatlarning birortasiga ham kirmaydi",
        "Туман кўрсатилган вилоятларнинг бирортасига ҳам кирмайди",
        "Район не входит ни в один из указанных регионов",
    ),
    field_code(
        "address_not_public",
        "Webhook manzili ichki tarmoqqa olib boradi (loopback, xususiy, link-local, umumiy, "
        "multicast, zaxiralangan yoki bulut metadata manzili); faqat ommaviy manzil mumkin",
        "Webhook манзили ички тармоққа олиб боради (loopback, хусусий, link-local, умумий, "
        "multicast, захираланган ёки булут metadata манзили); фақат оммавий манзил мумкин",
        "Адрес вебхука ведёт во внутреннюю сеть (loopback, частный, link-local, общий, "
        "multicast, зарезервированный или адрес метаданных облака); допустим только "
        "публичный адрес",
    ),
    field_code(
        "host_unresolvable",
        "Webhook manzilidagi host nomi hech qanday IP manzilga mos kelmaydi",
        "Webhook манзилидаги хост номи ҳеч қандай IP манзилга мос келмайди",
        "Имя хоста в адресе вебхука не разрешается ни в один IP-адрес",
    ),
    field_code(
        "personal_field_unknown",
        "Bu obuna hodisalarida bunday shaxsiy maʼlumot maydoni yoʻq",
        "Бу обуна ҳодисаларида бундай шахсий маълумот майдони йўқ",
        "В событиях этой подписки нет такого поля персональных данных",
    ),
    field_code(
        "no_fields_at_level_none",
        "«none» darajasida shaxsiy maʼlumot maydonlari koʻrsatilmaydi",
        "«none» даражасида шахсий маълумот майдонлари кўрсатилмайди",
        "На уровне «none» поля персональных данных не указываются",
    ),
]

CATALOGUE = Catalogue.of([NO_AREA, SUBSCRIPTION_NOT_FOUND, REFUSED], FIELDS)
