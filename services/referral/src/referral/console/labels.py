"""Every label the console shows, in Uzbek (Latin and Cyrillic) and Russian.

One catalogue for the server-rendered page and the script: the page is
rendered in the language asked for, and the script re-labels it from
``/console/labels.json`` when the operator switches language, so no label
lives in two places. ``name()`` refuses a Cyrillic letter in the Latin text
and a Cyrillic text without one, the usual slip in hand-kept tables.
Referral data carries no personal data, and neither do these labels; the
person a referral is for is read apart, audited, and shown as data.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from inson_contracts.codes.names import Language, LocalizedName, name
from inson_contracts.events.referral import RejectionCode
from inson_contracts.events.values import Priority

from referral.domain.referral import Status

DEFAULT_LANGUAGE = Language.UZ_LATN


_UI: dict[str, LocalizedName] = {
    "app.title": name(
        "Ijtimoiy xizmat darchasi", "Ижтимоий хизмат дарчаси", "Окно социальных услуг"
    ),
    "app.title_provider": name(
        "Ijtimoiy xizmat koʻrsatuvchi",
        "Ижтимоий хизмат кўрсатувчи",
        "Поставщик социальных услуг",
    ),
    "app.subtitle": name("Yoʻllanmalar navbati", "Йўлланмалар навбати", "Очередь направлений"),
    "app.no_personal_data": name(
        "Navbatda shaxsiy maʼlumotlar yoʻq; shaxs haqidagi maʼlumot faqat yoʻllanma ochilganda "
        "koʻrsatiladi va qayd etiladi",
        "Навбатда шахсий маълумотлар йўқ; шахс ҳақидаги маълумот фақат йўлланма очилганда "
        "кўрсатилади ва қайд этилади",
        "В очереди нет персональных данных; сведения о человеке показываются только в "
        "открытом направлении, и каждый просмотр записывается",
    ),
    "app.script_needed": name(
        "Konsol ishlashi uchun JavaScript yoqilgan boʻlishi kerak",
        "Консол ишлаши учун JavaScript ёқилган бўлиши керак",
        "Для работы консоли нужен включённый JavaScript",
    ),
    "lang.label": name("Til", "Тил", "Язык"),
    "signin.title": name("Darchaga kirish", "Дарчага кириш", "Вход в окно"),
    "signin.token": name("Kirish tokeni", "Кириш токени", "Токен доступа"),
    "signin.token_hint": name(
        "Token faqat shu brauzer varagʻida saqlanadi va u yopilganda oʻchadi.",
        "Токен фақат шу браузер варағида сақланади ва у ёпилганда ўчади.",
        "Токен хранится только в этой вкладке браузера и удаляется при её закрытии.",
    ),
    "signin.window": name("Darcha", "Дарча", "Окно"),
    "signin.provider": name("Xizmat koʻrsatuvchi", "Хизмат кўрсатувчи", "Поставщик услуг"),
    "signin.window_wait": name(
        "Avval tokenni kiriting", "Аввал токенни киритинг", "Сначала введите токен"
    ),
    "signin.checking": name("Token tekshirilmoqda…", "Токен текширилмоқда…", "Проверяем токен…"),
    "signin.submit": name("Kirish", "Кириш", "Войти"),
    "signin.bad_token": name("Token qabul qilinmadi", "Токен қабул қилинмади", "Токен не принят"),
    "signin.not_operator": name(
        "Bu konsol darcha va xizmat koʻrsatuvchi xodimlari uchun: tokenda xizmat markazi "
        "yoki xizmat koʻrsatuvchi koʻrsatilmagan",
        "Бу консол дарча ва хизмат кўрсатувчи ходимлари учун: токенда хизмат маркази "
        "ёки хизмат кўрсатувчи кўрсатилмаган",
        "Консоль для операторов окон и поставщиков услуг: в токене не указан центр услуг "
        "или поставщик",
    ),
    "signin.expired": name(
        "Sessiya tugadi, qaytadan kiring",
        "Сессия тугади, қайтадан киринг",
        "Сеанс истёк, войдите снова",
    ),
    "session.signout": name("Chiqish", "Чиқиш", "Выйти"),
    "queue.title": name("Navbat", "Навбат", "Очередь"),
    "queue.empty": name(
        "Navbatda yoʻllanma yoʻq", "Навбатда йўлланма йўқ", "В очереди нет направлений"
    ),
    "queue.total": name("Jami", "Жами", "Всего"),
    "queue.updated": name("Yangilandi", "Янгиланди", "Обновлено"),
    "queue.offline": name(
        "Server bilan aloqa yoʻq, qayta urinilmoqda…",
        "Сервер билан алоқа йўқ, қайта уринилмоқда…",
        "Нет связи с сервером, повторяем…",
    ),
    "queue.time_zone": name("Toshkent vaqti", "Тошкент вақти", "Ташкентское время"),
    "col.code": name("Kod", "Код", "Код"),
    "col.priority": name("Ustuvorlik", "Устуворлик", "Приоритет"),
    "col.service": name("Xizmat", "Хизмат", "Услуга"),
    "col.issued": name("Berilgan", "Берилган", "Выдано"),
    "col.due": name("Qabul qilish muddati", "Қабул қилиш муддати", "Принять до"),
    "col.status": name("Holat", "Ҳолат", "Статус"),
    "due.overdue": name("Muddati oʻtgan", "Муддати ўтган", "Просрочено"),
    "due.escalated": name(
        "Nazoratchiga uzatilgan", "Назоратчига узатилган", "Передано руководителю"
    ),
    "search.label": name(
        "Yoʻllanma kodi boʻyicha qidirish",
        "Йўлланма коди бўйича қидириш",
        "Поиск по коду направления",
    ),
    "search.placeholder": name("Yoʻllanma kodi", "Йўлланма коди", "Код направления"),
    "search.submit": name("Qidirish", "Қидириш", "Найти"),
    "search.clear": name("Tozalash", "Тозалаш", "Сбросить"),
    "search.bad_code": name(
        "Bu yoʻllanma kodi emas: 8 ta harf va raqam",
        "Бу йўлланма коди эмас: 8 та ҳарф ва рақам",
        "Это не код направления: нужно 8 букв и цифр",
    ),
    "search.results": name(
        "Kod boʻyicha topilganlar, holatidan qatʼi nazar",
        "Код бўйича топилганлар, ҳолатидан қатъи назар",
        "Найдено по коду, в любом статусе",
    ),
    "detail.title": name("Yoʻllanma", "Йўлланма", "Направление"),
    "detail.pick": name(
        "Yoʻllanmani ochish uchun navbatdan tanlang",
        "Йўлланмани очиш учун навбатдан танланг",
        "Выберите направление в очереди",
    ),
    "detail.close": name("Yopish", "Ёпиш", "Закрыть"),
    "detail.code": name("Yoʻllanma kodi", "Йўлланма коди", "Код направления"),
    "detail.id": name("Yoʻllanma raqami", "Йўлланма рақами", "Номер направления"),
    "detail.case": name("Ish raqami", "Иш рақами", "Номер дела"),
    "detail.center": name("Xizmat markazi", "Хизмат маркази", "Центр услуг"),
    "detail.history": name("Tarix", "Тарих", "История"),
    "detail.closed": name(
        "Yoʻllanma yopilgan: boshqa amal yoʻq",
        "Йўлланма ёпилган: бошқа амал йўқ",
        "Направление закрыто: действий больше нет",
    ),
    "person.title": name("Xizmat oluvchi", "Хизмат олувчи", "Получатель услуги"),
    "person.name": name("F.I.Sh.", "Ф.И.Ш.", "ФИО"),
    "person.birth_date": name("Tugʻilgan sana", "Туғилган сана", "Дата рождения"),
    "person.address": name("Manzil", "Манзил", "Адрес"),
    "person.no_address": name(
        "Manzil faqat uyda koʻrsatiladigan xizmatlar uchun beriladi",
        "Манзил фақат уйда кўрсатиладиган хизматлар учун берилади",
        "Адрес даётся только для услуг на дому",
    ),
    "person.none": name(
        "Shaxs haqida maʼlumot yoʻq: oʻchirilgan yoki hali kelmagan",
        "Шахс ҳақида маълумот йўқ: ўчирилган ёки ҳали келмаган",
        "Сведений о человеке нет: удалены или ещё не поступили",
    ),
    "person.audited": name(
        "Har bir koʻrish kirish jurnalida qayd etiladi",
        "Ҳар бир кўриш кириш журналида қайд этилади",
        "Каждый просмотр записывается в журнал доступа",
    ),
    "action.accept": name("Qabul qilish", "Қабул қилиш", "Принять"),
    "action.reject": name("Rad etish", "Рад этиш", "Отклонить"),
    "action.start": name("Boshlash", "Бошлаш", "Начать"),
    "action.complete": name("Yakunlash", "Якунлаш", "Завершить"),
    "action.back": name("Ortga", "Ортга", "Назад"),
    "action.confirm_reject": name(
        "Rad etishni tasdiqlash", "Рад этишни тасдиқлаш", "Подтвердить отказ"
    ),
    "action.confirm_complete": name(
        "Bajarilganini tasdiqlash", "Бажарилганини тасдиқлаш", "Подтвердить выполнение"
    ),
    "action.done": name("Saqlandi", "Сақланди", "Сохранено"),
    "reject.code": name("Rad etish sababi", "Рад этиш сабаби", "Причина отказа"),
    "reject.reason": name("Izoh", "Изоҳ", "Пояснение"),
    "reject.reason_needed": name("Izoh yozing", "Изоҳ ёзинг", "Укажите пояснение"),
    "complete.note": name("Izoh: nima qilindi", "Изоҳ: нима қилинди", "Комментарий: что сделано"),
    "error.conflict": name(
        "Bu amal hozirgi holatda mumkin emas",
        "Бу амал ҳозирги ҳолатда мумкин эмас",
        "Действие недоступно в текущем состоянии",
    ),
    "error.already": name(
        "Bu qadam allaqachon boshqa xodim tomonidan yoki boshqa izoh bilan bajarilgan",
        "Бу қадам аллақачон бошқа ходим томонидан ёки бошқа изоҳ билан бажарилган",
        "Этот шаг уже выполнен другим сотрудником или с другим комментарием",
    ),
    "error.acted_by": name("bajargan", "бажарган", "выполнил"),
    "error.not_found": name("Yoʻllanma topilmadi", "Йўлланма топилмади", "Направление не найдено"),
    "error.generic": name(
        "Xatolik yuz berdi, qayta urinib koʻring",
        "Хатолик юз берди, қайта уриниб кўринг",
        "Произошла ошибка, попробуйте ещё раз",
    ),
}

_PRIORITY: dict[Priority, LocalizedName] = {
    Priority.ROUTINE: name("Odatiy", "Одатий", "Обычный"),
    Priority.URGENT: name("Shoshilinch", "Шошилинч", "Срочный"),
    Priority.EMERGENCY: name("Favqulodda", "Фавқулодда", "Экстренный"),
}

_STATUS: dict[Status, LocalizedName] = {
    Status.ISSUED: name("Berilgan", "Берилган", "Выдано"),
    Status.DELIVERED: name("Darchaga kelgan", "Дарчага келган", "Поступило"),
    Status.ACCEPTED: name("Qabul qilingan", "Қабул қилинган", "Принято"),
    Status.STARTED: name("Bajarilmoqda", "Бажарилмоқда", "Выполняется"),
    Status.COMPLETED: name("Bajarildi", "Бажарилди", "Выполнено"),
    Status.REJECTED: name("Rad etilgan", "Рад этилган", "Отклонено"),
    Status.CANCELLED: name("Bekor qilingan", "Бекор қилинган", "Отменено"),
    Status.EXPIRED: name("Muddati tugagan", "Муддати тугаган", "Истекло"),
}

# History entries are named by the event's verb; all but one are statuses.
HISTORY_EVENTS = (*(s.value for s in Status), "escalated")

_EVENT_ONLY: dict[str, LocalizedName] = {
    "escalated": name("Nazoratchiga uzatildi", "Назоратчига узатилди", "Передано руководителю"),
}

_REJECTION: dict[RejectionCode, LocalizedName] = {
    RejectionCode.NOT_ELIGIBLE: name("Huquqi yoʻq", "Ҳуқуқи йўқ", "Нет права на услугу"),
    RejectionCode.WRONG_DESTINATION: name(
        "Notoʻgʻri manzilga yuborilgan", "Нотўғри манзилга юборилган", "Направлено не по адресу"
    ),
    RejectionCode.SERVICE_NOT_AVAILABLE: name(
        "Xizmat mavjud emas", "Хизмат мавжуд эмас", "Услуга недоступна"
    ),
    RejectionCode.DOCUMENTS_MISSING: name(
        "Hujjatlar yetishmaydi", "Ҳужжатлар етишмайди", "Не хватает документов"
    ),
    RejectionCode.PERSON_UNREACHABLE: name(
        "Shaxs bilan bogʻlanib boʻlmadi",
        "Шахс билан боғланиб бўлмади",
        "Не удалось связаться с человеком",
    ),
    RejectionCode.OTHER: name("Boshqa sabab", "Бошқа сабаб", "Другая причина"),
}


def _catalogue() -> Mapping[str, LocalizedName]:
    entries = dict(_UI)
    entries.update({f"priority.{k.value}": v for k, v in _PRIORITY.items()})
    entries.update({f"status.{k.value}": v for k, v in _STATUS.items()})
    entries.update({f"event.{k.value}": v for k, v in _STATUS.items()})
    entries.update({f"event.{k}": v for k, v in _EVENT_ONLY.items()})
    entries.update({f"rejection.{k.value}": v for k, v in _REJECTION.items()})
    return MappingProxyType(entries)


LABELS: Mapping[str, LocalizedName] = _catalogue()


def label(key: str, language: Language) -> str:
    """One label; KeyError for a key the catalogue lacks (the tests look for those)."""
    return LABELS[key].in_language(language.value)


def labels_in(language: Language) -> dict[str, str]:
    return {key: text.in_language(language.value) for key, text in LABELS.items()}


def catalogue_json() -> dict[str, dict[str, str]]:
    """The catalogue as the script reads it: language tag -> key -> text."""
    return {language.value: labels_in(language) for language in Language}
