"""Every label the KPI page shows, in Uzbek (Latin and Cyrillic) and Russian.

Codes the figures are keyed by (channels, provider types, statuses, refusal
reasons, milestones) are named here or by the contracts' own tables, so the
page never shows a bare code where a name exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from inson_contracts.codes.channels import CHANNEL_NAMES
from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.geography import district, region
from inson_contracts.codes.mahallas import mahalla
from inson_contracts.codes.names import Language, LocalizedName, name

DEFAULT_LANGUAGE = Language.UZ_LATN


_UI: dict[str, LocalizedName] = {
    "app.title": name("Koʻrsatkichlar", "Кўрсаткичлар", "Показатели"),
    "app.subtitle": name(
        "Mahalla, tuman va viloyat kesimida",
        "Маҳалла, туман ва вилоят кесимида",
        "По махаллям, районам и областям",
    ),
    "app.no_personal_data": name(
        "Shaxsiy maʼlumotlar yoʻq. Boshqa tumanlarning 5 dan kichik sonlari yashirilgan (—)",
        "Шахсий маълумотлар йўқ. Бошқа туманларнинг 5 дан кичик сонлари яширилган (—)",
        "Персональных данных нет. Числа меньше 5 по чужим районам скрыты (—)",
    ),
    "app.script_needed": name(
        "Sahifa ishlashi uchun JavaScript yoqilgan boʻlishi kerak",
        "Саҳифа ишлаши учун JavaScript ёқилган бўлиши керак",
        "Для работы страницы нужен включённый JavaScript",
    ),
    "lang.label": name("Til", "Тил", "Язык"),
    "signin.token": name("Kirish tokeni", "Кириш токени", "Токен доступа"),
    "signin.submit": name("Koʻrsatish", "Кўрсатиш", "Показать"),
    "filter.level": name("Kesim", "Кесим", "Разрез"),
    "filter.period": name("Davr", "Давр", "Период"),
    "filter.district": name("Tuman kodi", "Туман коди", "Код района"),
    "level.region": name("Viloyat", "Вилоят", "Область"),
    "level.district": name("Tuman", "Туман", "Район"),
    "level.mahalla": name("Mahalla", "Маҳалла", "Махалля"),
    "period.month": name("Oy", "Ой", "Месяц"),
    "period.week": name("Hafta", "Ҳафта", "Неделя"),
    "report.loading": name("Yuklanmoqda…", "Юкланмоқда…", "Загрузка…"),
    "report.failed": name(
        "Koʻrsatkichlarni olib boʻlmadi",
        "Кўрсаткичларни олиб бўлмади",
        "Не удалось получить показатели",
    ),
    "report.empty": name(
        "Bu kesimda hali maʼlumot yoʻq",
        "Бу кесимда ҳали маълумот йўқ",
        "В этом разрезе пока нет данных",
    ),
    "report.hidden": name(
        "kichik sonlar yashirilgan", "кичик сонлар яширилган", "малые числа скрыты"
    ),
    "coverage.title": name("Hozirgi qamrov", "Ҳозирги қамров", "Охват сейчас"),
    "coverage.mahallas": name("Ishi bor mahallalar", "Иши бор маҳаллалар", "Махалли с делами"),
    "coverage.open_cases": name("Ochiq ishlar", "Очиқ ишлар", "Открытые дела"),
    "coverage.awaiting_visit": name(
        "Uyga tashrif kutilmoqda", "Уйга ташриф кутилмоқда", "Ждут визита на дом"
    ),
    "coverage.caseload": name(
        "Xodimga ishlar (oʻrtacha / eng koʻp)",
        "Ходимга ишлар (ўртача / энг кўп)",
        "Дел на работника (в среднем / больше всего)",
    ),
    "coverage.awaiting": name(
        "Qabul kutayotgan yoʻllanmalar", "Қабул кутаётган йўлланмалар", "Направления ждут приёма"
    ),
    "coverage.overdue": name("Muddati oʻtganlar", "Муддати ўтганлар", "Просроченные"),
    "chart.applications": name(
        "Arizalar (kanal boʻyicha)", "Аризалар (канал бўйича)", "Заявления (по каналам)"
    ),
    "chart.durations": name(
        "Arizadan keyin soatlar: mediana va 90-persentil",
        "Аризадан кейин соатлар: медиана ва 90-персентил",
        "Часы от заявления: медиана и 90-й процентиль",
    ),
    "chart.refusals": name(
        "Rad etishlar (sabab boʻyicha)", "Рад этишлар (сабаб бўйича)", "Отказы (по причинам)"
    ),
    "chart.referrals": name(
        "Yoʻllanmalar (holat boʻyicha)", "Йўлланмалар (ҳолат бўйича)", "Направления (по статусам)"
    ),
    "table.title": name("Davrlar boʻyicha", "Даврлар бўйича", "По периодам"),
    "table.area": name("Hudud", "Ҳудуд", "Территория"),
    "table.period": name("Davr", "Давр", "Период"),
    "table.applications": name("Arizalar", "Аризалар", "Заявления"),
    "table.opened": name("Ochilgan ishlar", "Очилган ишлар", "Открыто дел"),
    "table.closed": name("Yopilgan ishlar", "Ёпилган ишлар", "Закрыто дел"),
    "table.referrals": name("Yoʻllanmalar", "Йўлланмалар", "Направления"),
    "table.refused": name("Rad etilgan", "Рад этилган", "Отказано"),
    "table.overdue": name("Muddati oʻtgan", "Муддати ўтган", "Просрочено"),
    "table.registers": name(
        "Reyestr / vaqtincha turar joy", "Реестр / вақтинча турар жой", "Реестр / временное жильё"
    ),
    "table.messages": name(
        "Xabarlar (yuborilgan / xato)",
        "Хабарлар (юборилган / хато)",
        "Сообщения (отправлено / ошибка)",
    ),
    "milestone.home_visit": name("Uyga tashrif", "Уйга ташриф", "Визит на дом"),
    "milestone.assessment": name("Baholash", "Баҳолаш", "Оценка"),
    "milestone.plan_approval": name("Reja tasdigʻi", "Режа тасдиғи", "Утверждение плана"),
    "milestone.first_referral_accepted": name(
        "Birinchi yoʻllanma qabuli", "Биринчи йўлланма қабули", "Первое принятое направление"
    ),
    "milestone.plan_completion": name("Reja bajarilishi", "Режа бажарилиши", "Выполнение плана"),
    "status.issued": name("Berilgan", "Берилган", "Выдано"),
    "status.delivered": name("Yetkazilgan", "Етказилган", "Доставлено"),
    "status.accepted": name("Qabul qilingan", "Қабул қилинган", "Принято"),
    "status.started": name("Boshlangan", "Бошланган", "Начато"),
    "status.completed": name("Bajarilgan", "Бажарилган", "Выполнено"),
    "status.rejected": name("Rad etilgan", "Рад этилган", "Отказано"),
    "status.cancelled": name("Bekor qilingan", "Бекор қилинган", "Отменено"),
    "status.expired": name("Muddati tugagan", "Муддати тугаган", "Истекло"),
    "reason.not_eligible": name("Huquqi yoʻq", "Ҳуқуқи йўқ", "Нет права"),
    "reason.wrong_destination": name("Notoʻgʻri manzil", "Нотўғри манзил", "Не по адресу"),
    "reason.service_not_available": name(
        "Xizmat mavjud emas", "Хизмат мавжуд эмас", "Услуга недоступна"
    ),
    "reason.documents_missing": name(
        "Hujjatlar yetishmaydi", "Ҳужжатлар етишмайди", "Нет документов"
    ),
    "reason.person_unreachable": name(
        "Bogʻlanib boʻlmadi", "Боғланиб бўлмади", "Не удалось связаться"
    ),
    "reason.other": name("Boshqa", "Бошқа", "Другое"),
    "series.median": name("mediana", "медиана", "медиана"),
    "series.p90": name("90-persentil", "90-персентил", "90-й процентиль"),
}
UI: Mapping[str, LocalizedName] = MappingProxyType(_UI)


def text(value: LocalizedName, language: Language) -> str:
    if language is Language.UZ_CYRL:
        return value.uz_cyrl
    return value.ru if language is Language.RU else value.uz_latn


def label(key: str, language: Language) -> str:
    """A UI label, a channel's name (``channel.<code>``), or the key itself when unknown."""
    if key.startswith("channel."):
        for channel, named in CHANNEL_NAMES.items():
            if channel.value == key.removeprefix("channel."):
                return text(named, language)
    found = UI.get(key)
    return text(found, language) if found else key.split(".", 1)[-1]


def area_name(code: str, language: Language) -> str:
    """A region's, district's or mahalla's name from the reference data, else its code."""
    try:
        if len(code) == 4:
            return text(region(code).name, language)
        if len(code) == 7:
            return text(district(code).name, language)
        return text(mahalla(code).name, language)
    except UnknownCode:
        return code
