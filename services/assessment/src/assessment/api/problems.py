"""Assessment's refusals and field codes, in Uzbek (Latin and Cyrillic) and Russian.

Codes are stable (tablets key on them); texts say what happened and what to
do, and never name the person or repeat what was sent. Refusals of input and
the field codes are in ``input_problems.py``.
"""

from __future__ import annotations

from inson_contracts.codes.names import name
from inson_runtime.problems import Catalogue, ProblemType

from assessment.api import input_problems as i
from assessment.api import register_problems as r


def _problem(
    code: str, status: int, title: tuple[str, str, str], detail: tuple[str, str, str]
) -> ProblemType:
    return ProblemType(code, status, name(*title), name(*detail))


NO_AREA = _problem(
    "area.none",
    403,
    ("Hudud belgilanmagan", "Ҳудуд белгиланмаган", "Не указана территория"),
    (
        "Tokeningizda tuman koʻrsatilmagan",
        "Токенингизда туман кўрсатилмаган",
        "В вашем токене не указан район",
    ),
)
OUTSIDE_AREA = _problem(
    "area.outside",
    403,
    ("Hududingizdan tashqarida", "Ҳудудингиздан ташқарида", "Вне вашей территории"),
    (
        "Bu ish sizning tumaningizdan tashqarida",
        "Бу иш сизнинг туманингиздан ташқарида",
        "Это дело вне вашего района",
    ),
)
ASSIGNED_ELSEWHERE = _problem(
    "case_file.assigned_elsewhere",
    403,
    (
        "Ish boshqa xodimga biriktirilgan",
        "Иш бошқа ходимга бириктирилган",
        "Дело у другого работника",
    ),
    (
        "Bu ish boshqa ijtimoiy xodimga biriktirilgan va sizning mahallalaringizda emas",
        "Бу иш бошқа ижтимоий ходимга бириктирилган ва сизнинг маҳаллаларингизда эмас",
        "Это дело закреплено за другим социальным работником и не из ваших махаллей",
    ),
)
OUT_OF_SCOPE = _problem(
    "case_file.out_of_scope",
    403,
    ("Ruxsat yoʻq", "Рухсат йўқ", "Нет доступа"),
    (
        "Bu ish bilan ishlashga ruxsatingiz yoʻq",
        "Бу иш билан ишлашга рухсатингиз йўқ",
        "У вас нет доступа к этому делу",
    ),
)
CASE_FILE_NOT_FOUND = _problem(
    "case_file.not_found",
    404,
    ("Ish topilmadi", "Иш топилмади", "Дело не найдено"),
    (
        "Hududingizda bunday ish yoʻq yoki unga hali ijtimoiy xodim biriktirilmagan",
        "Ҳудудингизда бундай иш йўқ ёки унга ҳали ижтимоий ходим бириктирилмаган",
        "В вашей территории нет такого дела, или за ним ещё не закреплён социальный работник",
    ),
)
DRAFT_NOT_FOUND = _problem(
    "draft.not_found",
    404,
    ("Qoralama yoʻq", "Қоралама йўқ", "Черновика нет"),
    (
        "Bu ish uchun soʻrovnoma qoralamasi saqlanmagan",
        "Бу иш учун сўровнома қораламаси сақланмаган",
        "Для этого дела черновик анкеты не сохранялся",
    ),
)
CONFLICT_NOT_FOUND = _problem(
    "conflict.not_found",
    404,
    ("Ziddiyat topilmadi", "Зиддият топилмади", "Конфликт не найден"),
    (
        "Bu ishda bunday hal qilinmagan ziddiyat yoʻq",
        "Бу ишда бундай ҳал қилинмаган зиддият йўқ",
        "В этом деле нет такого неразрешённого конфликта",
    ),
)
NOTHING_AS_OF = _problem(
    "case_file.nothing_as_of",
    404,
    ("Bu paytda maʼlumot yoʻq", "Бу пайтда маълумот йўқ", "На этот момент данных нет"),
    (
        "Koʻrsatilgan paytgacha bu ish haqida hech narsa qayd etilmagan",
        "Кўрсатилган пайтгача бу иш ҳақида ҳеч нарса қайд этилмаган",
        "К указанному моменту по этому делу ничего не было записано",
    ),
)
NOT_FOUND = _problem(
    "assessment.not_found",
    404,
    ("Topilmadi", "Топилмади", "Не найдено"),
    (
        "Soʻralgan maʼlumot bu ishda yoʻq",
        "Сўралган маълумот бу ишда йўқ",
        "Запрошенных данных в этом деле нет",
    ),
)
EDIT_CONFLICT = _problem(
    "edit.conflict_recorded",
    409,
    ("Oʻzgarishlar toʻqnashdi", "Ўзгаришлар тўқнашди", "Изменения столкнулись"),
    (
        "Planshet eski versiyaga asoslangan va oʻsha javoblar yoki reja bandlari shu orada "
        "boshqacha oʻzgargan: buyruq qoʻllanmadi, ziddiyat sifatida qayd etildi. Uni xodim "
        "yoki rahbar hal qiladi; buyruqni qayta yubormang",
        "Планшет эски версияга асосланган ва ўша жавоблар ёки режа бандлари шу орада "
        "бошқача ўзгарган: буйруқ қўлланмади, зиддият сифатида қайд этилди. Уни ходим "
        "ёки раҳбар ҳал қилади; буйруқни қайта юборманг",
        "Планшет опирался на устаревшую версию, а те же ответы или пункты плана тем временем "
        "изменились иначе: команда не применена и записана как конфликт. Его разрешит "
        "работник или руководитель; не отправляйте команду повторно",
    ),
)
CHANGED_AGAIN = _problem(
    "edit.changed_again",
    409,
    ("Maʼlumot yana oʻzgardi", "Маълумот яна ўзгарди", "Данные снова изменились"),
    (
        "Oʻsha javoblar yoki reja bandlari shu orada yana oʻzgardi: ishni qayta yuklang",
        "Ўша жавоблар ёки режа бандлари шу орада яна ўзгарди: ишни қайта юкланг",
        "Те же ответы или пункты плана снова изменились: загрузите дело заново",
    ),
)
PROPOSAL_UNREADABLE = _problem(
    "edit.proposal_unreadable",
    409,
    ("Taklifni oʻqib boʻlmaydi", "Таклифни ўқиб бўлмайди", "Предложение нечитаемо"),
    (
        "Planshet taklifini endi oʻqib boʻlmaydi (shaxs maʼlumotlari oʻchirilgan): "
        "joriy maʼlumotni qoldiring",
        "Планшет таклифини энди ўқиб бўлмайди (шахс маълумотлари ўчирилган): "
        "жорий маълумотни қолдиринг",
        "Предложение планшета больше нельзя прочитать (данные человека удалены): "
        "оставьте текущие данные",
    ),
)
DRAFT_STALE = _problem(
    "draft.stale",
    409,
    ("Qoralama shu orada saqlangan", "Қоралама шу орада сақланган", "Черновик уже обновлён"),
    (
        "Sizning versiyangizdan keyin boshqa planshet qoralamani saqladi; hech narsa "
        "oʻzgarmadi: ikkala qoralama javobda",
        "Сизнинг версиянгиздан кейин бошқа планшет қораламани сақлади; ҳеч нарса "
        "ўзгармади: иккала қоралама жавобда",
        "После вашей версии черновик сохранил другой планшет; ничего не изменено: "
        "оба черновика в ответе",
    ),
)
NO_WORKER = _problem(
    "case_file.no_worker",
    409,
    ("Xodim biriktirilmagan", "Ходим бириктирилмаган", "Работник не назначен"),
    (
        "Bu ishga hali ijtimoiy xodim biriktirilmagan",
        "Бу ишга ҳали ижтимоий ходим бириктирилмаган",
        "За этим делом ещё не закреплён социальный работник",
    ),
)
OTHER_WORKER = _problem(
    "assessment.other_worker",
    409,
    ("Ish boshqa xodimda", "Иш бошқа ходимда", "Дело у другого работника"),
    (
        "Baholashni ishga biriktirilgan ijtimoiy xodim yakunlaydi",
        "Баҳолашни ишга бириктирилган ижтимоий ходим якунлайди",
        "Оценку завершает социальный работник, за которым закреплено дело",
    ),
)
PLAN_IN_FORCE = _problem(
    "plan.in_force",
    409,
    ("Reja allaqachon amalda", "Режа аллақачон амалда", "План уже действует"),
    (
        "Reja tasdiqlangan: uni oʻzgartirish uchun qayta koʻrib chiqing (plan/revise)",
        "Режа тасдиқланган: уни ўзгартириш учун қайта кўриб чиқинг (plan/revise)",
        "План утверждён: чтобы изменить его, пересмотрите план (plan/revise)",
    ),
)
PLAN_NOT_DRAFTED = _problem(
    "plan.not_drafted",
    409,
    ("Reja loyiha emas", "Режа лойиҳа эмас", "План не в проекте"),
    (
        "Faqat reja loyihasini tahrirlash mumkin; reja boʻlmasa, avval baholashni yakunlang",
        "Фақат режа лойиҳасини таҳрирлаш мумкин; режа бўлмаса, аввал баҳолашни якунланг",
        "Редактировать можно только проект плана; если плана нет, сначала завершите оценку",
    ),
)
PLAN_OTHER_CASE = _problem(
    "plan.other_case",
    409,
    ("Boshqa ishning rejasi", "Бошқа ишнинг режаси", "План другого дела"),
    (
        "Bu reja ushbu ishga tegishli emas",
        "Бу режа ушбу ишга тегишли эмас",
        "Этот план не относится к этому делу",
    ),
)
NO_DRAFTED_PLAN = _problem(
    "plan.no_drafted_plan",
    409,
    ("Tasdiqlanadigan reja yoʻq", "Тасдиқланадиган режа йўқ", "Нечего утверждать"),
    (
        "Tasdiqlash uchun reja loyihasi ham, taklif qilingan oʻzgartirish ham yoʻq",
        "Тасдиқлаш учун режа лойиҳаси ҳам, таклиф қилинган ўзгартириш ҳам йўқ",
        "Нет ни проекта плана, ни предложенного изменения, чтобы их утвердить",
    ),
)
REVISION_OUTDATED = _problem(
    "plan.revision_outdated",
    409,
    ("Taklif eskirgan", "Таклиф эскирган", "Предложение устарело"),
    (
        "Oʻzgartirish taklif qilinganidan keyin rejaning oʻsha bandlari oʻzgardi: "
        "ijtimoiy xodim uni qaytadan taklif qiladi",
        "Ўзгартириш таклиф қилинганидан кейин режанинг ўша бандлари ўзгарди: "
        "ижтимоий ходим уни қайтадан таклиф қилади",
        "После предложения изменения те же пункты плана изменились: социальный работник "
        "предложит его заново",
    ),
)
PLAN_NOT_IN_FORCE = _problem(
    "plan.not_in_force",
    409,
    ("Reja amalda emas", "Режа амалда эмас", "План не действует"),
    (
        "Faqat amaldagi rejani qayta koʻrib chiqish mumkin",
        "Фақат амалдаги режани қайта кўриб чиқиш мумкин",
        "Пересмотреть можно только действующий план",
    ),
)
NO_PLAN = _problem(
    "plan.none",
    409,
    ("Reja yoʻq", "Режа йўқ", "Плана нет"),
    (
        "Bu ishda yopiladigan reja yoʻq",
        "Бу ишда ёпиладиган режа йўқ",
        "В этом деле нет плана, который можно закрыть",
    ),
)
CONFLICT_NOT_OPEN = _problem(
    "conflict.not_open",
    409,
    ("Ziddiyat ochiq emas", "Зиддият очиқ эмас", "Конфликт не открыт"),
    (
        "Bu ziddiyat allaqachon hal qilingan yoki bu ishda yoʻq",
        "Бу зиддият аллақачон ҳал қилинган ёки бу ишда йўқ",
        "Этот конфликт уже разрешён или его нет в этом деле",
    ),
)
REFUSED = _problem(
    "assessment.refused",
    409,
    ("Amalni bajarib boʻlmaydi", "Амални бажариб бўлмайди", "Действие невозможно"),
    (
        "Ishning hozirgi holatida bu amalni bajarib boʻlmaydi",
        "Ишнинг ҳозирги ҳолатида бу амални бажариб бўлмайди",
        "В текущем состоянии дела это действие невозможно",
    ),
)
CATALOGUE = Catalogue.of(
    [
        NO_AREA,
        OUTSIDE_AREA,
        ASSIGNED_ELSEWHERE,
        OUT_OF_SCOPE,
        CASE_FILE_NOT_FOUND,
        DRAFT_NOT_FOUND,
        CONFLICT_NOT_FOUND,
        NOTHING_AS_OF,
        NOT_FOUND,
        EDIT_CONFLICT,
        CHANGED_AGAIN,
        PROPOSAL_UNREADABLE,
        DRAFT_STALE,
        r.NO_OTHER_WORKER,
        r.SAME_WORKER,
        NO_WORKER,
        OTHER_WORKER,
        PLAN_IN_FORCE,
        r.HOUSING_OVERLAP,
        r.HOUSING_SAME_DAY,
        r.HOUSING_CONTINUED,
        r.ALREADY_LISTED,
        r.NO_ENTRY,
        PLAN_NOT_DRAFTED,
        PLAN_OTHER_CASE,
        NO_DRAFTED_PLAN,
        REVISION_OUTDATED,
        PLAN_NOT_IN_FORCE,
        NO_PLAN,
        CONFLICT_NOT_OPEN,
        REFUSED,
        i.NOTHING_TO_COMPLETE,
        i.DRAFT_INVALID,
        i.PLAN_ITEMS_INVALID,
        i.VERSION_AHEAD,
        i.UNPROCESSABLE,
    ],
    i.FIELDS,
)
