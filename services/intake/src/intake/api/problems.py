"""Intake's refusals and field codes, in Uzbek (Latin and Cyrillic) and Russian.

Codes are stable (clients key on them); texts say what happened and what to
do, and never name the person or repeat what was sent.
"""

from __future__ import annotations

from inson_contracts.codes.names import name
from inson_runtime.problems import Catalogue, ProblemType, field_code

NO_AREA = ProblemType(
    "area.none",
    403,
    name("Hudud belgilanmagan", "Ҳудуд белгиланмаган", "Не указана территория"),
    name(
        "Tokeningizda tuman yoki mahalla koʻrsatilmagan",
        "Токенингизда туман ёки маҳалла кўрсатилмаган",
        "В вашем токене не указаны район или махалля",
    ),
)
OUTSIDE_AREA = ProblemType(
    "area.outside",
    403,
    name("Hududingizdan tashqarida", "Ҳудудингиздан ташқарида", "Вне вашей территории"),
    name(
        "Bu murojaat yoki ariza sizga biriktirilgan tuman va mahallalardan tashqarida",
        "Бу мурожаат ёки ариза сизга бириктирилган туман ва маҳаллалардан ташқарида",
        "Это обращение или заявление вне закреплённых за вами района и махаллей",
    ),
)
WRONG_CHANNEL = ProblemType(
    "application.wrong_channel",
    403,
    name("Qabul kanali notoʻgʻri", "Қабул канали нотўғри", "Неверный канал приёма"),
    name(
        "Darcha xodimi arizani faqat service_window kanali orqali qabul qiladi",
        "Дарча ходими аризани фақат service_window канали орқали қабул қилади",
        "Сотрудник окна принимает заявления только по каналу service_window",
    ),
)
CASE_NOT_FOUND = ProblemType(
    "case.not_found",
    404,
    name("Murojaat topilmadi", "Мурожаат топилмади", "Обращение не найдено"),
    name(
        "Hududingizda bunday murojaat yoʻq",
        "Ҳудудингизда бундай мурожаат йўқ",
        "В вашей территории нет такого обращения",
    ),
)
APPLICATION_NOT_FOUND = ProblemType(
    "application.not_found",
    404,
    name("Ariza topilmadi", "Ариза топилмади", "Заявление не найдено"),
    name(
        "Hududingizda bunday ariza yoʻq",
        "Ҳудудингизда бундай ариза йўқ",
        "В вашей территории нет такого заявления",
    ),
)
NOT_IN_CASE = ProblemType(
    "application.not_in_case",
    409,
    name("Ariza bu murojaatda emas", "Ариза бу мурожаатда эмас", "Заявление не из этого обращения"),
    name(
        "Bu ariza koʻrsatilgan murojaatga tegishli emas",
        "Бу ариза кўрсатилган мурожаатга тегишли эмас",
        "Это заявление не относится к указанному обращению",
    ),
)
NOT_PENDING = ProblemType(
    "application.not_pending_confirmation",
    409,
    name(
        "Ariza tasdiq kutmayapti",
        "Ариза тасдиқ кутмаяпти",
        "Заявление не ждёт подтверждения",
    ),
    name(
        "Mos kelishni faqat tasdiq kutayotgan ariza uchun tasdiqlash yoki rad etish mumkin; "
        "arizaning holati application_status maydonida",
        "Мос келишни фақат тасдиқ кутаётган ариза учун тасдиқлаш ёки рад этиш мумкин; "
        "аризанинг ҳолати application_status майдонида",
        "Подтвердить или отклонить совпадение можно только у заявления, ждущего "
        "подтверждения; его статус — в поле application_status",
    ),
)
NOT_REJECTABLE = ProblemType(
    "application.not_rejectable",
    409,
    name("Arizani rad etib boʻlmaydi", "Аризани рад этиб бўлмайди", "Заявление нельзя отклонить"),
    name(
        "Murojaatni ochgan yoki allaqachon rad etilgan arizani rad etib boʻlmaydi; "
        "arizaning holati application_status maydonida",
        "Мурожаатни очган ёки аллақачон рад этилган аризани рад этиб бўлмайди; "
        "аризанинг ҳолати application_status майдонида",
        "Нельзя отклонить заявление, открывшее обращение или уже отклонённое; "
        "его статус — в поле application_status",
    ),
)
MOVED = ProblemType(
    "application.moved",
    409,
    name("Ariza koʻchirilgan", "Ариза кўчирилган", "Заявление перенесено"),
    name(
        "Mos kelish rad etilgani uchun ariza oʻz murojaatiga koʻchirilgan",
        "Мос келиш рад этилгани учун ариза ўз мурожаатига кўчирилган",
        "Совпадение было отклонено, и заявление перенесено в отдельное обращение",
    ),
)
CASE_EXISTS = ProblemType(
    "case.exists",
    409,
    name("Murojaat allaqachon bor", "Мурожаат аллақачон бор", "Обращение уже существует"),
    name(
        "Bu murojaat ochilgan; ariza unga faqat shaxs mos kelganda qoʻshiladi",
        "Бу мурожаат очилган; ариза унга фақат шахс мос келганда қўшилади",
        "Это обращение уже открыто; заявление присоединяется к нему только при совпадении личности",
    ),
)
CASE_NOT_OPENED = ProblemType(
    "case.not_opened",
    409,
    name("Murojaat ochilmagan", "Мурожаат очилмаган", "Обращение не открыто"),
    name(
        "Bu murojaat hech qachon ochilmagan",
        "Бу мурожаат ҳеч қачон очилмаган",
        "Это обращение никогда не открывалось",
    ),
)
IDEMPOTENCY_KEY_REUSED = ProblemType(
    "application.idempotency_key_reused",
    409,
    name(
        "Idempotency-Key boshqa arizada ishlatilgan",
        "Idempotency-Key бошқа аризада ишлатилган",
        "Idempotency-Key уже использован для другого заявления",
    ),
    name(
        "Bu kalit bilan boshqa ariza yuborilgan; yangi ariza uchun yangi kalit oling",
        "Бу калит билан бошқа ариза юборилган; янги ариза учун янги калит олинг",
        "С этим ключом отправлено другое заявление; для нового заявления нужен новый ключ",
    ),
)
PERSON_BEING_RECORDED = ProblemType(
    "person.being_recorded",
    503,
    name(
        "Ariza hozir qayd etilmoqda",
        "Ариза ҳозир қайд этилмоқда",
        "Заявление сейчас записывается",
    ),
    name(
        "Shu shaxsning boshqa arizasi ayni paytda qayd etilmoqda: bir soniyadan soʻng "
        "shu kalit bilan qayta yuboring",
        "Шу шахснинг бошқа аризаси айни пайтда қайд этилмоқда: бир сониядан сўнг "
        "шу калит билан қайта юборинг",
        "Другое заявление этого человека как раз записывается: повторите через секунду "
        "с тем же ключом",
    ),
)
REFUSED = ProblemType(
    "intake.refused",
    409,
    name("Amalni bajarib boʻlmaydi", "Амални бажариб бўлмайди", "Действие невозможно"),
    name(
        "Murojaatning hozirgi holatida bu amalni bajarib boʻlmaydi",
        "Мурожаатнинг ҳозирги ҳолатида бу амални бажариб бўлмайди",
        "В текущем состоянии обращения это действие невозможно",
    ),
)


FIELDS = [
    field_code(
        "pinfl_format",
        "JShShIR (PINFL) 14 ta raqamdan iborat boʻlishi kerak",
        "ЖШШИР (ПИНФЛ) 14 та рақамдан иборат бўлиши керак",
        "ПИНФЛ должен состоять из 14 цифр",
    ),
    field_code(
        "pinfl_century",
        "JShShIR (PINFL) 1 dan 6 gacha boʻlgan raqam bilan boshlanishi kerak",
        "ЖШШИР (ПИНФЛ) 1 дан 6 гача бўлган рақам билан бошланиши керак",
        "ПИНФЛ должен начинаться с цифры от 1 до 6",
    ),
    field_code(
        "pinfl_birth_date",
        "JShShIR (PINFL) dagi 2–7-raqamlar haqiqiy tugʻilgan sana (KKOOYY) boʻlishi kerak",
        "ЖШШИР (ПИНФЛ) даги 2–7-рақамлар ҳақиқий туғилган сана (ККООЙЙ) бўлиши керак",
        "Цифры 2–7 ПИНФЛ должны быть датой рождения (ДДММГГ)",
    ),
    field_code(
        "birth_date_future",
        "Tugʻilgan sana kelajakda boʻlishi mumkin emas",
        "Туғилган сана келажакда бўлиши мумкин эмас",
        "Дата рождения не может быть в будущем",
    ),
    field_code(
        "birth_date_too_early",
        "Tugʻilgan sana 1900-yil 1-yanvardan oldin boʻlishi mumkin emas",
        "Туғилган сана 1900 йил 1 январдан олдин бўлиши мумкин эмас",
        "Дата рождения не может быть раньше 1 января 1900 года",
    ),
    field_code(
        "phone_format",
        "Telefon Oʻzbekiston raqami boʻlishi kerak: +998 va 9 ta raqam",
        "Телефон Ўзбекистон рақами бўлиши керак: +998 ва 9 та рақам",
        "Нужен номер Узбекистана: +998 и 9 цифр",
    ),
    field_code(
        "district_not_in_region",
        "Tuman koʻrsatilgan viloyatda emas",
        "Туман кўрсатилган вилоятда эмас",
        "Район не входит в указанную область",
    ),
    field_code(
        "mahalla_not_in_district",
        "Mahalla koʻrsatilgan tumanda emas",
        "Маҳалла кўрсатилган туманда эмас",
        "Махалля не входит в указанный район",
    ),
    field_code(
        "circumstances_repeated",
        "Holatlar takrorlanmasligi kerak",
        "Ҳолатлар такрорланмаслиги керак",
        "Обстоятельства не должны повторяться",
    ),
    field_code(
        "circumstances_note_required",
        "«other» holati koʻrsatilganda izoh yozilishi shart",
        "«other» ҳолати кўрсатилганда изоҳ ёзилиши шарт",
        "Если указано обстоятельство «other», нужно пояснение",
    ),
    field_code(
        "reference_has_pinfl",
        "Hujjat raqamida JShShIR (PINFL) boʻlmasligi kerak",
        "Ҳужжат рақамида ЖШШИР (ПИНФЛ) бўлмаслиги керак",
        "Номер документа не должен содержать ПИНФЛ",
    ),
]

CATALOGUE = Catalogue.of(
    [
        NO_AREA,
        OUTSIDE_AREA,
        WRONG_CHANNEL,
        CASE_NOT_FOUND,
        APPLICATION_NOT_FOUND,
        NOT_IN_CASE,
        NOT_PENDING,
        NOT_REJECTABLE,
        MOVED,
        CASE_EXISTS,
        CASE_NOT_OPENED,
        IDEMPOTENCY_KEY_REUSED,
        PERSON_BEING_RECORDED,
        REFUSED,
    ],
    FIELDS,
)
