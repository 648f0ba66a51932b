"""Assessment's refusals of input (422) and its field codes, in the three scripts.

What a tablet sent (or saved as a draft) that the rules refuse: each field
at fault gets a pointer and one of these codes; never the value itself.
"""

from __future__ import annotations

from inson_contracts.codes.names import name
from inson_runtime.problems import FieldCode, ProblemType, field_code

NOTHING_TO_COMPLETE = ProblemType(
    "assessment.nothing_to_complete",
    422,
    name("Soʻrovnoma yoʻq", "Сўровнома йўқ", "Нет анкеты"),
    name(
        "Soʻrovnoma yuborilmadi va qoralama ham saqlanmagan",
        "Сўровнома юборилмади ва қоралама ҳам сақланмаган",
        "Анкета не передана, и черновик не сохранён",
    ),
)


def _counted(code: str, title: tuple[str, str, str], detail: tuple[str, str, str]) -> ProblemType:
    return ProblemType(code, 422, name(*title), name(*detail), {"count": "number"})


DRAFT_INVALID = _counted(
    "draft.invalid",
    ("Qoralama toʻliq emas", "Қоралама тўлиқ эмас", "Черновик не заполнен"),
    (
        "Saqlangan soʻrovnomada {count} ta maydon xato yoki toʻldirilmagan",
        "Сақланган сўровномада {count} та майдон хато ёки тўлдирилмаган",
        "В сохранённой анкете ошибочных или незаполненных полей: {count}",
    ),
)
PLAN_ITEMS_INVALID = _counted(
    "plan.items_invalid",
    ("Reja bandlari notoʻgʻri", "Режа бандлари нотўғри", "Неверные пункты плана"),
    (
        "Reja loyihasida {count} ta xato bor: avval loyihani tuzating",
        "Режа лойиҳасида {count} та хато бор: аввал лойиҳани тузатинг",
        "В проекте плана ошибок: {count}; сначала исправьте проект",
    ),
)
VERSION_AHEAD = ProblemType(
    "case_file.version_ahead",
    422,
    name("Versiya notoʻgʻri", "Версия нотўғри", "Неверная версия"),
    name(
        "base_version ishning hozirgi versiyasidan katta (current_version): ishni qayta yuklang",
        "base_version ишнинг ҳозирги версиясидан катта (current_version): ишни қайта юкланг",
        "base_version больше текущей версии дела (current_version): загрузите дело заново",
    ),
)
UNPROCESSABLE = ProblemType(
    "assessment.unprocessable",
    422,
    name("Buyruqni bajarib boʻlmaydi", "Буйруқни бажариб бўлмайди", "Команду нельзя выполнить"),
    name(
        "Yuborilgan maʼlumotlar ish qoidalariga mos emas",
        "Юборилган маълумотлар иш қоидаларига мос эмас",
        "Переданные данные не соответствуют правилам",
    ),
)


FIELDS = [
    field_code(
        "service_unknown",
        "Xizmatlar katalogida bunday xizmat yoʻq",
        "Хизматлар каталогида бундай хизмат йўқ",
        "Такой услуги нет в каталоге",
    ),
    field_code(
        "provider_type_mismatch",
        "Bu xizmatni katalogda boshqa turdagi xizmat koʻrsatuvchi beradi",
        "Бу хизматни каталогда бошқа турдаги хизмат кўрсатувчи беради",
        "По каталогу эту услугу оказывает поставщик другого типа",
    ),
    field_code(
        "provider_unknown",
        "Xizmat koʻrsatuvchilar roʻyxatida bunday tashkilot yoʻq",
        "Хизмат кўрсатувчилар рўйхатида бундай ташкилот йўқ",
        "Такого поставщика нет в справочнике",
    ),
    field_code(
        "provider_not_serving",
        "Bu xizmat koʻrsatuvchi shaxsning tumanida bu turdagi xizmatni bermaydi",
        "Бу хизмат кўрсатувчи шахснинг туманида бу турдаги хизматни бермайди",
        "Этот поставщик не оказывает услуги этого типа в районе человека",
    ),
    field_code(
        "item_id_repeated",
        "Reja bandining identifikatori takrorlangan",
        "Режа бандининг идентификатори такрорланган",
        "Идентификатор пункта плана повторяется",
    ),
    field_code(
        "item_service_changed",
        "Bajarilgan band xizmatini oʻzgartirib boʻlmaydi: yangi xizmat — yangi band",
        "Бажарилган банд хизматини ўзгартириб бўлмайди: янги хизмат — янги банд",
        "У выполненного пункта нельзя сменить услугу: новая услуга — новый пункт",
    ),
    field_code(
        "items_required",
        "Rejada kamida bitta band boʻlishi kerak; rejani tugatish uchun uni yoping",
        "Режада камида битта банд бўлиши керак; режани тугатиш учун уни ёпинг",
        "В плане нужен хотя бы один пункт; чтобы завершить план, закройте его",
    ),
    field_code(
        "ends_before_start",
        "Tugash kuni boshlanish kunidan keyin boʻlishi kerak",
        "Тугаш куни бошланиш кунидан кейин бўлиши керак",
        "Последний день должен быть позже первого",
    ),
    FieldCode(
        "term_too_long",
        name(
            "Vaqtincha roʻyxatga olish koʻpi bilan {months} kalendar oy: shu kundan boshlab "
            "{latest} gacha",
            "Вақтинча рўйхатга олиш кўпи билан {months} календар ой: шу кундан бошлаб "
            "{latest} гача",
            "Временная регистрация — не более {months} календарных мес.: с этого дня до {latest}",
        ),
        {"months": "number", "latest": "date"},
    ),
    field_code(
        "reason_without_extends",
        "Sabab faqat davom ettirilayotgan roʻyxatga olish (extends) bilan yoziladi",
        "Сабаб фақат давом эттирилаётган рўйхатга олиш (extends) билан ёзилади",
        "Причина указывается только вместе с продлеваемой регистрацией (extends)",
    ),
    field_code(
        "extends_not_continued",
        "Bu roʻyxatga olish koʻrsatilganini davom ettirmaydi: ular ustma-ust tushmaydi va "
        "orasida kun bor",
        "Бу рўйхатга олиш кўрсатилганини давом эттирмайди: улар устма-уст тушмайди ва "
        "орасида кун бор",
        "Эта регистрация не продолжает указанную: они не пересекаются и между ними есть день",
    ),
    field_code(
        "disability_child_under_18",
        "18 yoshgacha holat child_with_disability boʻladi: I–III guruhlar 18 yoshdan",
        "18 ёшгача ҳолат child_with_disability бўлади: I–III гуруҳлар 18 ёшдан",
        "До 18 лет статус — child_with_disability: группы I–III с 18 лет",
    ),
    field_code(
        "disability_group_from_18",
        "18 yoshdan holat group_1, group_2 yoki group_3 boʻladi, child_with_disability emas",
        "18 ёшдан ҳолат group_1, group_2 ёки group_3 бўлади, child_with_disability эмас",
        "С 18 лет статус — group_1, group_2 или group_3, а не child_with_disability",
    ),
    field_code(
        "too_deep",
        "Qoralama koʻpi bilan 8 qavat ichma-ich boʻlishi mumkin",
        "Қоралама кўпи билан 8 қават ичма-ич бўлиши мумкин",
        "Вложенность черновика — не более 8 уровней",
    ),
    field_code(
        "key_characters",
        "Kalit harf, raqam, _ va - belgilaridan iborat boʻladi ($ va . mumkin emas)",
        "Калит ҳарф, рақам, _ ва - белгиларидан иборат бўлади ($ ва . мумкин эмас)",
        "Ключ состоит из букв, цифр, _ и - (без $ и .)",
    ),
    field_code(
        "list_in_list",
        "Roʻyxat ichida bevosita roʻyxat boʻlishi mumkin emas",
        "Рўйхат ичида бевосита рўйхат бўлиши мумкин эмас",
        "Список не может сразу содержать другой список",
    ),
    field_code(
        "integer_too_large",
        "Butun son 64 bitdan oshmasligi kerak",
        "Бутун сон 64 битдан ошмаслиги керак",
        "Целое число — не больше 64 бит",
    ),
    field_code(
        "not_finite",
        "Son chekli boʻlishi kerak",
        "Сон чекли бўлиши керак",
        "Число должно быть конечным",
    ),
    field_code(
        "text_not_allowed_characters",
        "Matnda NUL belgisi yoki juftsiz surrogat boʻlishi mumkin emas",
        "Матнда NUL белгиси ёки жуфтсиз суррогат бўлиши мумкин эмас",
        "Текст не может содержать символ NUL или непарный суррогат",
    ),
    field_code(
        "draft_too_large",
        "Qoralama koʻpi bilan 64 KB JSON boʻlishi mumkin",
        "Қоралама кўпи билан 64 KB JSON бўлиши мумкин",
        "Черновик — не больше 64 KB JSON",
    ),
    field_code(
        "version_ahead",
        "Ishning bunday versiyasi hali boʻlmagan",
        "Ишнинг бундай версияси ҳали бўлмаган",
        "Такой версии дела ещё не было",
    ),
]
