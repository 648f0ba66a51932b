"""The registers' refusals (reassignment, the care register, temporary housing),
in Uzbek (Latin and Cyrillic) and Russian; part of ``problems.CATALOGUE``."""

from __future__ import annotations

from inson_contracts.codes.names import name
from inson_runtime.problems import ProblemType


def _problem(
    code: str, status: int, title: tuple[str, str, str], detail: tuple[str, str, str]
) -> ProblemType:
    return ProblemType(code, status, name(*title), name(*detail))


NO_OTHER_WORKER = _problem(
    "reassignment.no_other_worker",
    409,
    ("Boshqa xodim yoʻq", "Бошқа ходим йўқ", "Другого работника нет"),
    (
        "Bu mahallaga boshqa ijtimoiy xodim biriktirilmagan",
        "Бу маҳаллага бошқа ижтимоий ходим бириктирилмаган",
        "За этой махаллей не закреплён другой социальный работник",
    ),
)
SAME_WORKER = _problem(
    "reassignment.same_worker",
    409,
    ("Ish allaqachon shu xodimda", "Иш аллақачон шу ходимда", "Дело уже у этого работника"),
    (
        "Ish allaqachon koʻrsatilgan ijtimoiy xodimga biriktirilgan",
        "Иш аллақачон кўрсатилган ижтимоий ходимга бириктирилган",
        "Дело уже закреплено за указанным социальным работником",
    ),
)
HOUSING_OVERLAP = _problem(
    "housing.overlap",
    409,
    ("Muddatlar ustma-ust", "Муддатлар устма-уст", "Сроки пересекаются"),
    (
        "Bu davr boshqa vaqtincha roʻyxatga olish bilan ustma-ust tushadi yoki unga "
        "ulanadi: uni davom ettirish rahbarning qarori (extends va sababini koʻrsating)",
        "Бу давр бошқа вақтинча рўйхатга олиш билан устма-уст тушади ёки унга "
        "уланади: уни давом эттириш раҳбарнинг қарори (extends ва сабабини кўрсатинг)",
        "Этот период пересекается с другой временной регистрацией или примыкает к ней: "
        "продлить её может только руководитель (укажите extends и причину)",
    ),
)
HOUSING_SAME_DAY = _problem(
    "housing.same_day",
    409,
    ("Bu kundan roʻyxat bor", "Бу кундан рўйхат бор", "С этого дня регистрация уже есть"),
    (
        "Shu kundan boshlanadigan vaqtincha roʻyxatga olish boshqa shartlar bilan qayd etilgan",
        "Шу кундан бошланадиган вақтинча рўйхатга олиш бошқа шартлар билан қайд этилган",
        "Временная регистрация с этого дня уже записана на других условиях",
    ),
)
HOUSING_CONTINUED = _problem(
    "housing.already_continued",
    409,
    (
        "Roʻyxat allaqachon davom ettirilgan",
        "Рўйхат аллақачон давом эттирилган",
        "Регистрация уже продлена",
    ),
    (
        "Bu vaqtincha roʻyxatga olishni boshqa roʻyxatga olish allaqachon davom ettirgan",
        "Бу вақтинча рўйхатга олишни бошқа рўйхатга олиш аллақачон давом эттирган",
        "Эту временную регистрацию уже продолжает другая",
    ),
)
ALREADY_LISTED = _problem(
    "care_register.already_listed",
    409,
    ("Shaxs reyestrda bor", "Шахс реестрда бор", "Человек уже в реестре"),
    (
        "Shaxs reyestrga shu toifa bilan allaqachon kiritilgan",
        "Шахс реестрга шу тоифа билан аллақачон киритилган",
        "Человек уже внесён в реестр с этой категорией",
    ),
)
NO_ENTRY = _problem(
    "care_register.no_entry",
    409,
    ("Reyestr yozuvi yoʻq", "Реестр ёзуви йўқ", "Записи в реестре нет"),
    (
        "Bu ishda bunday reyestr yozuvi yoʻq",
        "Бу ишда бундай реестр ёзуви йўқ",
        "В этом деле нет такой записи реестра",
    ),
)
