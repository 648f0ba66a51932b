"""Every label the tablet app shows, in Uzbek (Latin and Cyrillic) and Russian.

The page is rendered in the language asked for and the script re-labels it
from ``/tablet/labels.json`` when the worker switches, so no label lives in
two places. Problems from the API are not here: the API answers them in the
language the app sends as ``Accept-Language``.
"""

from __future__ import annotations

from inson_contracts.codes.circumstances import CIRCUMSTANCE_NAMES
from inson_contracts.codes.mahallas import mahallas
from inson_contracts.codes.names import Language, LocalizedName, name
from inson_contracts.codes.services import SERVICES
from inson_contracts.events.assessment import HousingCondition

from assessment.console.questionnaire import CODES, FACTORS, WORDS

DEFAULT_LANGUAGE = Language.UZ_LATN


_UI: dict[str, LocalizedName] = {
    "app.title": name(
        "Mahalla ijtimoiy xodimi", "Маҳалла ижтимоий ходими", "Социальный работник махалли"
    ),
    "app.script_needed": name(
        "Ilova ishlashi uchun JavaScript kerak",
        "Илова ишлаши учун JavaScript керак",
        "Для работы приложения нужен JavaScript",
    ),
    "lang.label": name("Til", "Тил", "Язык"),
    "net.online": name("Tarmoq bor", "Тармоқ бор", "В сети"),
    "net.offline": name("Tarmoq yoʻq", "Тармоқ йўқ", "Нет сети"),
    "signin.title": name("Kirish", "Кириш", "Вход"),
    "signin.token": name("Kirish tokeni", "Кириш токени", "Токен доступа"),
    "signin.hint": name(
        "Ishlab chiqishda: make token", "Ишлаб чиқишда: make token", "При разработке: make token"
    ),
    "signin.submit": name("Kirish", "Кириш", "Войти"),
    "signin.refused": name("Token qabul qilinmadi", "Токен қабул қилинмади", "Токен не принят"),
    "signin.not_worker": name(
        "Bu ilova ijtimoiy xodimlar uchun",
        "Бу илова ижтимоий ходимлар учун",
        "Это приложение для социальных работников",
    ),
    "session.signout": name("Chiqish", "Чиқиш", "Выйти"),
    "session.signout_unsent": name(
        "Yuborilmagan yozuvlar oʻchib ketadi. Baribir chiqasizmi?",
        "Юборилмаган ёзувлар ўчиб кетади. Барибир чиқасизми?",
        "Неотправленные записи будут удалены. Всё равно выйти?",
    ),
    "signin.expired": name(
        "Token muddati tugadi: qayta kiring, yozuvlaringiz saqlangan",
        "Токен муддати тугади: қайта киринг, ёзувларингиз сақланган",
        "Срок токена истёк: войдите снова, ваши записи сохранены",
    ),
    "nav.visits": name("Tashriflar", "Ташрифлар", "Визиты"),
    "nav.cases": name("Ishlarim", "Ишларим", "Мои дела"),
    "nav.apply": name("Yangi ariza", "Янги ариза", "Новое заявление"),
    "nav.outbox": name("Yuborilmagan", "Юборилмаган", "Не отправлено"),
    "visits.title": name("Uyga tashriflar", "Уйга ташрифлар", "Визиты на дом"),
    "visits.overdue": name("Muddati oʻtgan", "Муддати ўтган", "Просроченные"),
    "visits.today": name("Bugun", "Бугун", "Сегодня"),
    "visits.upcoming": name("Keyingi kunlar", "Кейинги кунлар", "Ближайшие дни"),
    "visits.none": name("Tashrif yoʻq", "Ташриф йўқ", "Визитов нет"),
    "cases.title": name("Mening ishlarim", "Менинг ишларим", "Мои дела"),
    "cases.none": name("Ish yoʻq", "Иш йўқ", "Дел нет"),
    "cases.cached": name(
        "Soʻnggi oʻqilgan holat", "Сўнгги ўқилган ҳолат", "Последнее прочитанное состояние"
    ),
    "case.mahalla": name("Mahalla", "Маҳалла", "Махалля"),
    "case.visit": name("Tashrif", "Ташриф", "Визит"),
    "case.need": name("Ehtiyoj", "Эҳтиёж", "Нуждаемость"),
    "case.plan": name("Reja", "Режа", "План"),
    "case.back": name("Orqaga", "Орқага", "Назад"),
    "case.id": name("Ish raqami", "Иш рақами", "Номер дела"),
    "file.situation": name("Holat", "Ҳолат", "Положение"),
    "file.members": name("Oila aʼzolari", "Оила аъзолари", "Члены семьи"),
    "file.housing": name("Uy-joy", "Уй-жой", "Жильё"),
    "file.risks": name("Xavflar", "Хавфлар", "Риски"),
    "file.not_assessed": name("Hali baholanmagan", "Ҳали баҳоланмаган", "Ещё не оценено"),
    "file.score": name("Ehtiyoj bali", "Эҳтиёж бали", "Балл нуждаемости"),
    "file.factor": name("Omil", "Омил", "Фактор"),
    "file.points": name("Ball", "Балл", "Баллы"),
    "file.plan_none": name("Reja yoʻq", "Режа йўқ", "Плана нет"),
    "file.service": name("Xizmat", "Хизмат", "Услуга"),
    "file.priority": name("Muhimlik", "Муҳимлик", "Приоритет"),
    "file.status": name("Holati", "Ҳолати", "Статус"),
    "file.referrals": name("Yoʻllanmalar", "Йўлланмалар", "Направления"),
    "file.referrals_none": name("Yoʻllanma yoʻq", "Йўлланма йўқ", "Направлений нет"),
    "file.outcome": name("Natija", "Натижа", "Итог"),
    "file.attention": name("Eʼtibor talab", "Эътибор талаб", "Требует внимания"),
    "file.attention_none": name("Hammasi joyida", "Ҳаммаси жойида", "Всё в порядке"),
    "file.conflicts": name("Ochiq ziddiyatlar", "Очиқ зиддиятлар", "Открытые конфликты"),
    "draft.title": name("Soʻrovnoma qoralamasi", "Сўровнома қораламаси", "Черновик анкеты"),
    "draft.housing": name("Uy-joy sharoiti", "Уй-жой шароити", "Жилищные условия"),
    "draft.observations": name("Kuzatuvlar", "Кузатувлар", "Наблюдения"),
    "housing.adequate": name("Yaxshi", "Яхши", "Нормальное"),
    "housing.needs_repair": name("Taʼmir kerak", "Таъмир керак", "Нужен ремонт"),
    "housing.unsafe": name("Xavfli", "Хавфли", "Опасное"),
    "housing.overcrowded": name("Tor", "Тор", "Перенаселённое"),
    "housing.no_housing": name("Uy-joy yoʻq", "Уй-жой йўқ", "Нет жилья"),
    "draft.save": name("Qoralamani saqlash", "Қораламани сақлаш", "Сохранить черновик"),
    "draft.revision": name("Tahrir", "Таҳрир", "Редакция"),
    "draft.conflict": name(
        "Boshqa planshet qoralamani oʻzgartirgan",
        "Бошқа планшет қораламани ўзгартирган",
        "Черновик изменён на другом планшете",
    ),
    "draft.mine": name("Mening qoralamam", "Менинг қораламам", "Мой черновик"),
    "draft.theirs": name("Serverdagi qoralama", "Сервердаги қоралама", "Черновик на сервере"),
    "draft.keep_mine": name("Menikini saqlash", "Меникини сақлаш", "Оставить мой"),
    "draft.keep_theirs": name("Serverdagini olish", "Сервердагини олиш", "Взять с сервера"),
    "plan.save": name("Rejani saqlash", "Режани сақлаш", "Сохранить план"),
    "plan.revise": name("Rejani oʻzgartirish", "Режани ўзгартириш", "Изменить план"),
    "plan.add_service": name("Xizmat qoʻshish", "Хизмат қўшиш", "Добавить услугу"),
    "plan.reason": name("Oʻzgartirish sababi", "Ўзгартириш сабаби", "Причина изменения"),
    "plan.revise_hint": name(
        "Yangi xizmat qoʻshilsa, oʻzgartirish rahbar tasdigʻiga yuboriladi",
        "Янги хизмат қўшилса, ўзгартириш раҳбар тасдиғига юборилади",
        "Если добавлена услуга, изменение уходит на утверждение руководителю",
    ),
    "plan.send_revision": name(
        "Oʻzgartirishni yuborish", "Ўзгартиришни юбориш", "Отправить изменение"
    ),
    "plan.cancel": name("Bekor qilish", "Бекор қилиш", "Отмена"),
    "plan.revision_in_force": name(
        "Oʻzgartirish kuchga kirdi", "Ўзгартириш кучга кирди", "Изменение вступило в силу"
    ),
    "plan.proposed_sent": name(
        "Oʻzgartirish rahbar tasdigʻiga yuborildi",
        "Ўзгартириш раҳбар тасдиғига юборилди",
        "Изменение отправлено на утверждение руководителю",
    ),
    "plan.revision_queued": name(
        "Oʻzgartirish tarmoq qaytganda yuboriladi",
        "Ўзгартириш тармоқ қайтганда юборилади",
        "Изменение будет отправлено при появлении сети",
    ),
    "plan.proposed": name(
        "Rahbar tasdigʻini kutayotgan qoʻshimcha xizmatlar",
        "Раҳбар тасдиғини кутаётган қўшимча хизматлар",
        "Добавленные услуги ждут утверждения руководителем",
    ),
    "outbox.revise": name("Reja oʻzgartirishi", "Режа ўзгартириши", "Изменение плана"),
    "conflict.title": name(
        "Ziddiyat: reja boshqa joyda oʻzgargan",
        "Зиддият: режа бошқа жойда ўзгарган",
        "Конфликт: план изменён в другом месте",
    ),
    "conflict.path": name("Nima", "Нима", "Что"),
    "conflict.base": name("Avval", "Аввал", "Было"),
    "conflict.current": name("Hozir", "Ҳозир", "Сейчас"),
    "conflict.submitted": name("Planshetdan", "Планшетдан", "С планшета"),
    "conflict.keep_current": name(
        "Hozirgisini qoldirish", "Ҳозиргисини қолдириш", "Оставить текущее"
    ),
    "conflict.take_submitted": name(
        "Planshetdagisini olish", "Планшетдагисини олиш", "Взять с планшета"
    ),
    "outbox.plan": name("Reja", "Режа", "План"),
    "outbox.resolve": name("Ziddiyat yechimi", "Зиддият ечими", "Решение конфликта"),
    "apply.title": name("Yangi ariza", "Янги ариза", "Новое заявление"),
    "apply.last_name": name("Familiya", "Фамилия", "Фамилия"),
    "apply.first_name": name("Ism", "Исм", "Имя"),
    "apply.patronymic": name("Otasining ismi", "Отасининг исми", "Отчество"),
    "apply.birth_date": name("Tugʻilgan sana", "Туғилган сана", "Дата рождения"),
    "apply.sex": name("Jinsi", "Жинси", "Пол"),
    "apply.female": name("Ayol", "Аёл", "Женский"),
    "apply.male": name("Erkak", "Эркак", "Мужской"),
    "apply.pinfl": name("JShShIR (boʻlsa)", "ЖШШИР (бўлса)", "ПИНФЛ (если есть)"),
    "apply.phone": name("Telefon", "Телефон", "Телефон"),
    "apply.language": name("Xabarlar tili", "Хабарлар тили", "Язык сообщений"),
    "apply.mahalla": name("Mahalla", "Маҳалла", "Махалля"),
    "apply.street": name("Koʻcha", "Кўча", "Улица"),
    "apply.house": name("Uy", "Уй", "Дом"),
    "apply.household": name(
        "Birga yashaydigan oila aʼzolari",
        "Бирга яшайдиган оила аъзолари",
        "Члены семьи, живущие вместе",
    ),
    "apply.add_household": name(
        "Oila aʼzosini qoʻshish", "Оила аъзосини қўшиш", "Добавить члена семьи"
    ),
    "apply.circumstances": name("Holatlar", "Ҳолатлар", "Обстоятельства"),
    "apply.note": name("Izoh", "Изоҳ", "Примечание"),
    "apply.consent": name(
        "Shaxsiy maʼlumotlarni qayta ishlashga rozilik berildi",
        "Шахсий маълумотларни қайта ишлашга розилик берилди",
        "Согласие на обработку персональных данных получено",
    ),
    "apply.submit": name("Arizani yuborish", "Аризани юбориш", "Отправить заявление"),
    "apply.sent": name("Ariza qabul qilindi", "Ариза қабул қилинди", "Заявление принято"),
    "apply.queued": name(
        "Tarmoq qaytganda yuboriladi",
        "Тармоқ қайтганда юборилади",
        "Будет отправлено при появлении сети",
    ),
    "apply.refused": name(
        "Ariza qabul qilinmadi, maydonlarni tekshiring",
        "Ариза қабул қилинмади, майдонларни текширинг",
        "Заявление не принято, проверьте поля",
    ),
    "outbox.title": name("Yuborilishi kutilmoqda", "Юборилиши кутилмоқда", "Ожидают отправки"),
    "outbox.none": name("Hammasi yuborilgan", "Ҳаммаси юборилган", "Всё отправлено"),
    "outbox.application": name("Ariza", "Ариза", "Заявление"),
    "outbox.draft": name("Qoralama", "Қоралама", "Черновик"),
    "outbox.refused": name("Rad etildi", "Рад этилди", "Отклонено"),
    "outbox.discard": name("Oʻchirish", "Ўчириш", "Удалить"),
    "outbox.send": name("Hozir yuborish", "Ҳозир юбориш", "Отправить сейчас"),
}

_CODES: dict[str, LocalizedName] = {
    "plan.none": name("Reja yoʻq", "Режа йўқ", "Плана нет"),
    "plan.drafted": name("Loyiha", "Лойиҳа", "Проект"),
    "plan.approved": name("Tasdiqlangan", "Тасдиқланган", "Утверждён"),
    "plan.completed": name("Bajarilgan", "Бажарилган", "Выполнен"),
    "plan.closed": name("Yopilgan", "Ёпилган", "Закрыт"),
    "need.low": name("Past", "Паст", "Низкая"),
    "need.moderate": name("Oʻrtacha", "Ўртача", "Средняя"),
    "need.high": name("Yuqori", "Юқори", "Высокая"),
    "need.critical": name("Juda yuqori", "Жуда юқори", "Критическая"),
    "priority.routine": name("Odatiy", "Одатий", "Обычный"),
    "priority.urgent": name("Shoshilinch", "Шошилинч", "Срочный"),
    "priority.emergency": name("Favqulodda", "Фавқулодда", "Экстренный"),
    "referral.issued": name("Berildi", "Берилди", "Выдано"),
    "referral.delivered": name("Navbatda", "Навбатда", "В очереди"),
    "referral.accepted": name("Qabul qilindi", "Қабул қилинди", "Принято"),
    "referral.started": name("Bajarilmoqda", "Бажарилмоқда", "Выполняется"),
    "referral.completed": name("Bajarildi", "Бажарилди", "Выполнено"),
    "referral.rejected": name("Rad etildi", "Рад этилди", "Отказ"),
    "referral.cancelled": name("Bekor qilindi", "Бекор қилинди", "Отменено"),
    "referral.expired": name("Muddati oʻtdi", "Муддати ўтди", "Истекло"),
    "risk.neglect": name("Qarovsizlik", "Қаровсизлик", "Безнадзорность"),
    "risk.violence_at_home": name("Oilaviy zoʻravonlik", "Оилавий зўравонлик", "Домашнее насилие"),
    "risk.child_labour": name("Bolalar mehnati", "Болалар меҳнати", "Детский труд"),
    "risk.risk_of_institutionalisation": name(
        "Muassasaga joylashtirish xavfi",
        "Муассасага жойлаштириш хавфи",
        "Риск помещения в учреждение",
    ),
    "risk.without_parental_care": name(
        "Ota-ona qaramogʻisiz", "Ота-она қарамоғисиз", "Без попечения родителей"
    ),
    "attention.refused": name("Rad etildi", "Рад этилди", "Отказ"),
    "attention.expired": name("Muddati oʻtdi", "Муддати ўтди", "Истекло"),
    "attention.overdue": name("Kechikmoqda", "Кечикмоқда", "Просрочено"),
}
_UI.update(_CODES)
_UI.update(WORDS)
_UI.update(CODES)
_UI.update(FACTORS)
# Names of the service catalogue, so a service reads as a name. Mahallas are many
# (every one's name would be most of the file): mahalla_names() gives a worker's.
_UI.update({f"service.{found.code}": found.name for found in SERVICES})

for code, circumstance_name in CIRCUMSTANCE_NAMES.items():
    _UI[f"circumstance.{code.value}"] = circumstance_name

CIRCUMSTANCES = tuple(code.value for code in CIRCUMSTANCE_NAMES)
HOUSING = tuple(condition.value for condition in HousingCondition)


def label(key: str, language: Language) -> str:
    """One label in one language (a missing key is a bug: KeyError)."""
    return _UI[key].in_language(language.value)


def mahalla_names(codes: list[str]) -> dict[str, dict[str, str]]:
    """The names of these mahallas in the three scripts; codes not in the register left out."""
    names = {found.code: found.name for found in mahallas()}
    return {
        code: {language.value: names[code].in_language(language.value) for language in Language}
        for code in codes
        if code in names
    }


def catalogue_json() -> dict[str, dict[str, str]]:
    """Every label by language, for the script."""
    return {
        language.value: {key: text.in_language(language.value) for key, text in _UI.items()}
        for language in Language
    }
