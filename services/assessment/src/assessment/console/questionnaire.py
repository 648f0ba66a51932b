"""The home-visit questionnaire's words and codes in the three scripts, and the
names of the scoring factors.

The codes come from contracts' enums, so the form offers exactly what the API
takes: a code added there without a name here fails
``test_every_questionnaire_code_has_a_name``. The app reads each list of codes
from the label keys (``relation.spouse``, ...), in this order.

The scoring rules explain each contribution in English (``explanation``, a
line of the versioned rules for auditors); a worker reads the factor's name in
their script instead, and the points.
"""

from __future__ import annotations

from inson_contracts.codes.names import LocalizedName, name
from inson_contracts.events.assessment import (
    DisabilityGroup,
    Employment,
    FunctionalLimitation,
    IncomeKind,
    ProtectionRisk,
    Resources,
    Schooling,
)
from inson_contracts.events.values import Relation

WORDS: dict[str, LocalizedName] = {
    "q.title": name("Uyga tashrif soʻrovnomasi", "Уйга ташриф сўровномаси", "Анкета визита на дом"),
    "q.members": name("Oila aʼzolari", "Оила аъзолари", "Члены семьи"),
    "q.member": name("Aʼzo", "Аъзо", "Член семьи"),
    "q.applicant": name("Ariza beruvchi", "Ариза берувчи", "Заявитель"),
    "q.add_member": name("Aʼzo qoʻshish", "Аъзо қўшиш", "Добавить члена семьи"),
    "q.remove": name("Olib tashlash", "Олиб ташлаш", "Убрать"),
    "q.relation": name("Qarindoshligi", "Қариндошлиги", "Родство"),
    "q.age": name("Yoshi", "Ёши", "Возраст"),
    "q.sex": name("Jinsi", "Жинси", "Пол"),
    "q.disability_group": name("Nogironlik guruhi", "Ногиронлик гуруҳи", "Группа инвалидности"),
    "q.none": name("Yoʻq", "Йўқ", "Нет"),
    "q.daily_help": name(
        "Kundalik hayotda yordamga muhtoj",
        "Кундалик ҳаётда ёрдамга муҳтож",
        "Нуждается в помощи в быту",
    ),
    "q.chronic_illness": name(
        "Surunkali kasallik", "Сурункали касаллик", "Хроническое заболевание"
    ),
    "q.limitations": name(
        "Yordamsiz qila olmaydi", "Ёрдамсиз қила олмайди", "Не может без посторонней помощи"
    ),
    "q.employment": name("Bandligi", "Бандлиги", "Занятость"),
    "q.schooling": name("Taʼlim", "Таълим", "Обучение"),
    "q.incomes": name("Daromad manbalari", "Даромад манбалари", "Источники дохода"),
    "q.income_kind": name("Turi", "Тури", "Вид"),
    "q.amount": name("Oyiga, soʻm", "Ойига, сўм", "В месяц, сум"),
    "q.add_income": name("Daromad qoʻshish", "Даромад қўшиш", "Добавить доход"),
    "q.no_income": name("Daromad kiritilmagan", "Даромад киритилмаган", "Доходы не внесены"),
    "q.risks": name("Himoya xavflari", "Ҳимоя хавфлари", "Риски для защиты"),
    "q.resources": name("Oilaning imkoniyatlari", "Оиланинг имкониятлари", "Ресурсы семьи"),
    "q.skills": name(
        "Koʻnikmalar (vergul bilan)", "Кўникмалар (вергул билан)", "Навыки (через запятую)"
    ),
    "q.complete": name("Baholashni yakunlash", "Баҳолашни якунлаш", "Завершить оценку"),
    "q.completed": name(
        "Baholash yakunlandi, reja loyihasi tuzildi",
        "Баҳолаш якунланди, режа лойиҳаси тузилди",
        "Оценка завершена, проект плана составлен",
    ),
    "q.refused": name(
        "Baholash qabul qilinmadi, belgilangan maydonlarni tekshiring",
        "Баҳолаш қабул қилинмади, белгиланган майдонларни текширинг",
        "Оценка не принята, проверьте отмеченные поля",
    ),
    "q.confirm_complete": name(
        "Soʻrovnoma yakunlanadi va baholanadi. Davom etasizmi?",
        "Сўровнома якунланади ва баҳоланади. Давом этасизми?",
        "Анкета будет завершена и оценена. Продолжить?",
    ),
    "q.waiting": name(
        "Baholash yuborilishini kutmoqda",
        "Баҳолаш юборилишини кутмоқда",
        "Оценка ждёт отправки",
    ),
    "outbox.complete": name("Baholash", "Баҳолаш", "Оценка"),
    "plan.awaiting_approval": name(
        "Rahbar tasdigʻini kutmoqda",
        "Раҳбар тасдиғини кутмоқда",
        "Ждёт утверждения руководителем",
    ),
}

CODES: dict[str, LocalizedName] = {
    "relation.spouse": name("Turmush oʻrtogʻi", "Турмуш ўртоғи", "Супруг(а)"),
    "relation.child": name("Farzandi", "Фарзанди", "Ребёнок"),
    "relation.parent": name("Ota-onasi", "Ота-онаси", "Родитель"),
    "relation.sibling": name(
        "Aka-ukasi yoki opa-singlisi", "Ака-укаси ёки опа-синглиси", "Брат или сестра"
    ),
    "relation.grandchild": name("Nevarasi", "Невараси", "Внук или внучка"),
    "relation.grandparent": name("Buvisi yoki bobosi", "Бувиси ёки бобоси", "Бабушка или дедушка"),
    "relation.other_relative": name("Boshqa qarindosh", "Бошқа қариндош", "Другой родственник"),
    "relation.guardian": name("Vasiysi", "Васийси", "Опекун"),
    "relation.ward": name("Vasiylikdagi", "Васийликдаги", "Подопечный"),
    "relation.other": name("Boshqa", "Бошқа", "Другое"),
    "disability.group_1": name("I guruh", "I гуруҳ", "I группа"),
    "disability.group_2": name("II guruh", "II гуруҳ", "II группа"),
    "disability.group_3": name("III guruh", "III гуруҳ", "III группа"),
    "disability.child_with_disability": name(
        "Nogironligi bor bola", "Ногиронлиги бор бола", "Ребёнок с инвалидностью"
    ),
    "employment.employed": name("Ishlaydi", "Ишлайди", "Работает"),
    "employment.self_employed": name(
        "Oʻzini oʻzi band qilgan", "Ўзини ўзи банд қилган", "Самозанятый"
    ),
    "employment.unemployed_seeking": name(
        "Ishsiz, ish qidirmoqda", "Ишсиз, иш қидирмоқда", "Безработный, ищет работу"
    ),
    "employment.unable_to_work": name(
        "Mehnatga layoqatsiz", "Меҳнатга лаёқатсиз", "Нетрудоспособен"
    ),
    "employment.pensioner": name("Pensioner", "Пенсионер", "Пенсионер"),
    "employment.student": name("Oʻquvchi yoki talaba", "Ўқувчи ёки талаба", "Учащийся"),
    "employment.child": name("Bola", "Бола", "Ребёнок"),
    "employment.carer": name("Qarovchi", "Қаровчи", "Ухаживает за близким"),
    "schooling.not_of_school_age": name(
        "Maktab yoshida emas", "Мактаб ёшида эмас", "Не школьного возраста"
    ),
    "schooling.attending": name("Maktabga boradi", "Мактабга боради", "Посещает школу"),
    "schooling.not_attending": name("Maktabga bormaydi", "Мактабга бормайди", "Не посещает школу"),
    "schooling.home_schooled": name("Uyda oʻqiydi", "Уйда ўқийди", "Обучается на дому"),
    "limitation.limb_loss": name("Qoʻl yoki oyoq yoʻq", "Қўл ёки оёқ йўқ", "Нет руки или ноги"),
    "limitation.walking": name("Tayanib yuradi", "Таяниб юради", "Ходит с опорой"),
    "limitation.cannot_walk": name("Yura olmaydi", "Юра олмайди", "Не ходит"),
    "limitation.bedridden": name("Yotib qolgan", "Ётиб қолган", "Лежачий"),
    "limitation.hearing": name("Yaxshi eshitmaydi", "Яхши эшитмайди", "Слабослышащий"),
    "limitation.deaf": name(
        "Kar (imo-ishora tili)", "Кар (имо-ишора тили)", "Глухой (жестовый язык)"
    ),
    "limitation.vision": name(
        "Koʻzi ojiz yoki zaif", "Кўзи ожиз ёки заиф", "Слепой или слабовидящий"
    ),
    "limitation.speech": name(
        "Qiyinchilik bilan gapiradi", "Қийинчилик билан гапиради", "Трудности речи"
    ),
    "limitation.learning": name(
        "Qiyinchilik bilan oʻrganadi", "Қийинчилик билан ўрганади", "Трудности в обучении"
    ),
    "income.wages": name("Ish haqi", "Иш ҳақи", "Зарплата"),
    "income.pension": name("Pensiya", "Пенсия", "Пенсия"),
    "income.disability_benefit": name(
        "Nogironlik nafaqasi", "Ногиронлик нафақаси", "Пособие по инвалидности"
    ),
    "income.child_allowance": name("Bolalar nafaqasi", "Болалар нафақаси", "Пособие на детей"),
    "income.low_income_allowance": name(
        "Kam taʼminlangan oilalar nafaqasi",
        "Кам таъминланган оилалар нафақаси",
        "Пособие малообеспеченным семьям",
    ),
    "income.remittances": name("Pul oʻtkazmalari", "Пул ўтказмалари", "Денежные переводы"),
    "income.agriculture": name("Dehqonchilik", "Деҳқончилик", "Сельское хозяйство"),
    "income.other": name("Boshqa", "Бошқа", "Другое"),
    "resource.relatives_support": name(
        "Qarindoshlar yordam beradi", "Қариндошлар ёрдам беради", "Помогают родственники"
    ),
    "resource.owns_home": name("Uyi oʻziniki", "Уйи ўзиники", "Своё жильё"),
    "resource.land_plot": name("Tomorqasi bor", "Томорқаси бор", "Есть земельный участок"),
    "resource.livestock": name("Chorva boqadi", "Чорва боқади", "Держит скот"),
}

FACTORS: dict[str, LocalizedName] = {
    "factor.income_per_person": name(
        "Kishi boshiga daromad meʼyordan past",
        "Киши бошига даромад меъёрдан паст",
        "Доход на человека ниже нормы",
    ),
    "factor.disability_group_1": name(
        "I guruh nogironligi", "I гуруҳ ногиронлиги", "Инвалидность I группы"
    ),
    "factor.disability_group_2": name(
        "II guruh nogironligi", "II гуруҳ ногиронлиги", "Инвалидность II группы"
    ),
    "factor.disability_group_3": name(
        "III guruh nogironligi", "III гуруҳ ногиронлиги", "Инвалидность III группы"
    ),
    "factor.child_with_disability": name(
        "Nogironligi bor bola", "Ногиронлиги бор бола", "Ребёнок с инвалидностью"
    ),
    "factor.needs_daily_help": name(
        "Kundalik hayotda yordamga muhtoj",
        "Кундалик ҳаётда ёрдамга муҳтож",
        "Нуждается в помощи в быту",
    ),
    "factor.chronic_illness_without_group": name(
        "Nogironlik guruhisiz surunkali kasallik",
        "Ногиронлик гуруҳисиз сурункали касаллик",
        "Хроническое заболевание без группы инвалидности",
    ),
    "factor.lonely_elderly_alone": name(
        "65 yoshdan katta, yolgʻiz yashaydi",
        "65 ёшдан катта, ёлғиз яшайди",
        "Старше 65 лет, живёт один",
    ),
    "factor.children_out_of_school": name(
        "Maktabga bormaydigan bolalar", "Мактабга бормайдиган болалар", "Дети не посещают школу"
    ),
    "factor.unemployed_working_age": name(
        "Ish qidirayotgan mehnatga layoqatli aʼzolar",
        "Иш қидираётган меҳнатга лаёқатли аъзолар",
        "Трудоспособные безработные, ищущие работу",
    ),
    "factor.dependency_ratio": name(
        "Boquvchiga yuklama yuqori", "Боқувчига юклама юқори", "Высокая иждивенческая нагрузка"
    ),
    "factor.risk_without_parental_care": name(
        "Ota-ona qaramogʻisiz bola", "Ота-она қарамоғисиз бола", "Ребёнок без попечения родителей"
    ),
    "factor.risk_violence_at_home": name(
        "Oilaviy zoʻravonlik", "Оилавий зўравонлик", "Домашнее насилие"
    ),
    "factor.risk_neglect": name("Qarovsizlik", "Қаровсизлик", "Безнадзорность"),
    "factor.risk_child_labour": name("Bolalar mehnati", "Болалар меҳнати", "Детский труд"),
    "factor.risk_institutionalisation": name(
        "Muassasaga joylashtirish xavfi",
        "Муассасага жойлаштириш хавфи",
        "Риск помещения в учреждение",
    ),
    "factor.housing_none": name("Uy-joy yoʻq", "Уй-жой йўқ", "Нет жилья"),
    "factor.housing_unsafe": name(
        "Uy-joy yashash uchun xavfli", "Уй-жой яшаш учун хавфли", "Жильё опасно для жизни"
    ),
    "factor.housing_overcrowded": name("Uy-joy tor", "Уй-жой тор", "Перенаселённое жильё"),
    "factor.housing_needs_repair": name(
        "Uy-joy taʼmirtalab", "Уй-жой таъмирталаб", "Жильё требует ремонта"
    ),
    "factor.needs_rehabilitation_device": name(
        "Reabilitatsiya vositasi kerak",
        "Реабилитация воситаси керак",
        "Нужно средство реабилитации",
    ),
    "factor.resource_relatives_support": name(
        "Qarindoshlar yordam beradi", "Қариндошлар ёрдам беради", "Помогают родственники"
    ),
    "factor.resource_owns_home": name("Uyi oʻziniki", "Уйи ўзиники", "Своё жильё"),
    "factor.resource_land_plot": name("Tomorqasi bor", "Томорқаси бор", "Есть земельный участок"),
    "factor.resource_livestock": name("Chorva boqadi", "Чорва боқади", "Держит скот"),
    "factor.resource_skills": name(
        "Daromad keltiradigan koʻnikmalari bor",
        "Даромад келтирадиган кўникмалари бор",
        "Есть навыки для заработка",
    ),
}

# Every code list the form offers, by label prefix, from the enums the API checks.
CODE_LISTS: dict[str, tuple[str, ...]] = {
    "relation": tuple(r.value for r in Relation),
    "disability": tuple(d.value for d in DisabilityGroup),
    "employment": tuple(e.value for e in Employment),
    "schooling": tuple(s.value for s in Schooling),
    "limitation": tuple(f.value for f in FunctionalLimitation),
    "income": tuple(k.value for k in IncomeKind),
    "risk": tuple(r.value for r in ProtectionRisk),
    # The yes/no ones; skills are words, typed.
    "resource": tuple(n for n, f in Resources.model_fields.items() if f.annotation is bool),
}
