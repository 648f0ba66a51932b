"""The problems every service can answer, and what can be wrong with a field.

The runtime's own refusals (the request, the token, the store) and the field
codes pydantic's errors map to. A service adds its refusals and its own field
codes beside its ``api/errors.py``; codes never change once released (a
client may key a translation or a behaviour on them), texts may improve.
"""

from __future__ import annotations

from inson_contracts.codes.names import name

from inson_runtime.problems.catalogue import (
    Catalogue,
    FieldError,
    ProblemError,
    ProblemType,
    field_code,
)

REQUEST_INVALID = ProblemType(
    "request.invalid",
    422,
    name("Soʻrov maʼlumotlari notoʻgʻri", "Сўров маълумотлари нотўғри", "Неверные данные запроса"),
    name(
        "Maʼlumotlarni tekshiring: {count} ta maydonda xato bor",
        "Маълумотларни текширинг: {count} та майдонда хато бор",
        "Проверьте данные: ошибок в полях — {count}",
    ),
    {"count": "number"},
)
REQUEST_MALFORMED = ProblemType(
    "request.malformed",
    400,
    name("Soʻrovni oʻqib boʻlmadi", "Сўровни ўқиб бўлмади", "Не удалось прочитать запрос"),
    name(
        "Soʻrov tanasi buzilgan yoki notoʻgʻri formatda yuborilgan",
        "Сўров танаси бузилган ёки нотўғри форматда юборилган",
        "Тело запроса повреждено или отправлено в неверном формате",
    ),
)
BODY_TOO_LARGE = ProblemType(
    "request.body_too_large",
    413,
    name("Soʻrov hajmi juda katta", "Сўров ҳажми жуда катта", "Слишком большой запрос"),
    name(
        "Soʻrov tanasi {max_bytes} baytdan oshmasligi kerak",
        "Сўров танаси {max_bytes} байтдан ошмаслиги керак",
        "Тело запроса не должно превышать {max_bytes} байт",
    ),
    {"max_bytes": "number"},
)
NOT_FOUND = ProblemType(
    "request.not_found",
    404,
    name("Topilmadi", "Топилмади", "Не найдено"),
    name(
        "Bu xizmatda bunday manzil (URL) yoʻq",
        "Бу хизматда бундай манзил (URL) йўқ",
        "В этом сервисе нет такого адреса (URL)",
    ),
)
METHOD_NOT_ALLOWED = ProblemType(
    "request.method_not_allowed",
    405,
    name("Bu usul qoʻllanilmaydi", "Бу усул қўлланилмайди", "Метод не поддерживается"),
    name(
        "Bu manzil qabul qiladigan usullar Allow sarlavhasida koʻrsatilgan",
        "Бу манзил қабул қиладиган усуллар Allow сарлавҳасида кўрсатилган",
        "Методы, которые принимает этот адрес, перечислены в заголовке Allow",
    ),
)
REFUSED = ProblemType(
    "request.refused",
    400,
    name("Soʻrov bajarilmadi", "Сўров бажарилмади", "Запрос не выполнен"),
    name(
        "Soʻrovni bu koʻrinishda bajarib boʻlmaydi",
        "Сўровни бу кўринишда бажариб бўлмайди",
        "Запрос в таком виде выполнить нельзя",
    ),
)
TOKEN_MISSING = ProblemType(
    "auth.token_missing",
    401,
    name("Kirish tokeni yoʻq", "Кириш токени йўқ", "Нет токена доступа"),
    name(
        "Tokenni Authorization sarlavhasida Bearer sxemasi bilan yuboring",
        "Токенни Authorization сарлавҳасида Bearer схемаси билан юборинг",
        "Передайте токен в заголовке Authorization по схеме Bearer",
    ),
)
TOKEN_INVALID = ProblemType(
    "auth.token_invalid",
    401,
    name(
        "Kirish tokeni qabul qilinmadi", "Кириш токени қабул қилинмади", "Токен доступа не принят"
    ),
    name(
        "Token yaroqsiz: qaytadan tizimga kiring",
        "Токен яроқсиз: қайтадан тизимга киринг",
        "Токен недействителен: войдите снова",
    ),
)
TOKEN_EXPIRED = ProblemType(
    "auth.token_expired",
    401,
    name("Sessiya tugadi", "Сессия тугади", "Сеанс истёк"),
    name(
        "Tokenning muddati tugagan: qaytadan tizimga kiring",
        "Токеннинг муддати тугаган: қайтадан тизимга киринг",
        "Срок действия токена истёк: войдите снова",
    ),
)
ROLE_NOT_ALLOWED = ProblemType(
    "auth.role_not_allowed",
    403,
    name("Bu amal uchun ruxsat yoʻq", "Бу амал учун рухсат йўқ", "Нет прав на это действие"),
    name(
        "{role} roli bu amalni bajara olmaydi; ruxsat etilgan rollar: {allowed}",
        "{role} роли бу амални бажара олмайди; рухсат этилган роллар: {allowed}",
        "Роль {role} не может выполнить это действие; допустимые роли: {allowed}",
    ),
    {"role": "role", "allowed": "roles"},
)
AUTH_UNAVAILABLE = ProblemType(
    "auth.unavailable",
    503,
    name("Tokenni tekshirib boʻlmadi", "Токенни текшириб бўлмади", "Не удалось проверить токен"),
    name(
        "Imzo kalitlari vaqtincha mavjud emas; birozdan soʻng qayta urinib koʻring",
        "Имзо калитлари вақтинча мавжуд эмас; бироздан сўнг қайта уриниб кўринг",
        "Ключи подписи временно недоступны; повторите попытку чуть позже",
    ),
)
STORE_UNAVAILABLE = ProblemType(
    "store.unavailable",
    503,
    name(
        "Xizmat vaqtincha ishlamayapti", "Хизмат вақтинча ишламаяпти", "Сервис временно недоступен"
    ),
    name(
        "Maʼlumotlar ombori javob bermayapti; Retry-After sarlavhasidagi soniyalardan "
        "soʻng qayta urinib koʻring",
        "Маълумотлар омбори жавоб бермаяпти; Retry-After сарлавҳасидаги сониялардан "
        "сўнг қайта уриниб кўринг",
        "Хранилище данных не отвечает; повторите через указанное в заголовке Retry-After "
        "число секунд",
    ),
)
RECORD_CHANGED = ProblemType(
    "record.changed",
    409,
    name("Maʼlumot shu orada oʻzgardi", "Маълумот шу орада ўзгарди", "Данные успели измениться"),
    name(
        "Yozuvni shu orada boshqa soʻrov oʻzgartirdi: maʼlumotni qayta yuklab, yana urinib koʻring",
        "Ёзувни шу орада бошқа сўров ўзгартирди: маълумотни қайта юклаб, яна уриниб кўринг",
        "Запись тем временем изменил другой запрос: загрузите данные заново и повторите",
    ),
)
SERVER_ERROR = ProblemType(
    "server.error",
    500,
    name("Ichki xatolik", "Ички хатолик", "Внутренняя ошибка"),
    name(
        "Kutilmagan xatolik yuz berdi; qayta urinib koʻring, takrorlansa X-Correlation-ID "
        "qiymatini maʼlum qiling",
        "Кутилмаган хатолик юз берди; қайта уриниб кўринг, такрорланса X-Correlation-ID "
        "қийматини маълум қилинг",
        "Произошла непредвиденная ошибка; повторите запрос, а если она повторится, "
        "сообщите значение X-Correlation-ID",
    ),
)


FIELDS = [
    field_code("missing", "Toʻldirilishi shart", "Тўлдирилиши шарт", "Обязательное поле"),
    field_code("unknown_field", "Bunday maydon yoʻq", "Бундай майдон йўқ", "Неизвестное поле"),
    field_code(
        "too_short",
        "Kamida {min_length} ta belgi boʻlishi kerak",
        "Камида {min_length} та белги бўлиши керак",
        "Минимальная длина — {min_length}",
        min_length="number",
    ),
    field_code(
        "too_long",
        "Koʻpi bilan {max_length} ta belgi boʻlishi mumkin",
        "Кўпи билан {max_length} та белги бўлиши мумкин",
        "Максимальная длина — {max_length}",
        max_length="number",
    ),
    field_code(
        "too_few_items",
        "Kamida {min_length} ta element boʻlishi kerak",
        "Камида {min_length} та элемент бўлиши керак",
        "Минимальное число элементов — {min_length}",
        min_length="number",
    ),
    field_code(
        "too_many_items",
        "Koʻpi bilan {max_length} ta element boʻlishi mumkin",
        "Кўпи билан {max_length} та элемент бўлиши мумкин",
        "Максимальное число элементов — {max_length}",
        max_length="number",
    ),
    field_code(
        "pattern_mismatch",
        "Qiymat talab qilingan koʻrinishda emas",
        "Қиймат талаб қилинган кўринишда эмас",
        "Значение не соответствует формату",
    ),
    field_code(
        "not_allowed_value",
        "Bu qiymat ruxsat etilganlar roʻyxatida yoʻq",
        "Бу қиймат рухсат этилганлар рўйхатида йўқ",
        "Недопустимое значение",
    ),
    field_code(
        "too_small",
        "Kamida {ge} boʻlishi kerak",
        "Камида {ge} бўлиши керак",
        "Должно быть не меньше {ge}",
        ge="number",
    ),
    field_code(
        "too_large",
        "Koʻpi bilan {le} boʻlishi mumkin",
        "Кўпи билан {le} бўлиши мумкин",
        "Должно быть не больше {le}",
        le="number",
    ),
    field_code(
        "not_greater",
        "{gt} dan katta boʻlishi kerak",
        "{gt} дан катта бўлиши керак",
        "Должно быть больше {gt}",
        gt="number",
    ),
    field_code(
        "not_less",
        "{lt} dan kichik boʻlishi kerak",
        "{lt} дан кичик бўлиши керак",
        "Должно быть меньше {lt}",
        lt="number",
    ),
    field_code("not_string", "Matn boʻlishi kerak", "Матн бўлиши керак", "Должно быть строкой"),
    field_code(
        "not_integer", "Butun son boʻlishi kerak", "Бутун сон бўлиши керак", "Нужно целое число"
    ),
    field_code("not_number", "Son boʻlishi kerak", "Сон бўлиши керак", "Нужно число"),
    field_code(
        "not_boolean",
        "true yoki false boʻlishi kerak",
        "true ёки false бўлиши керак",
        "Нужно значение true или false",
    ),
    field_code("not_array", "Roʻyxat boʻlishi kerak", "Рўйхат бўлиши керак", "Нужен список"),
    field_code("not_object", "Obyekt boʻlishi kerak", "Объект бўлиши керак", "Нужен объект"),
    field_code(
        "not_date",
        "YYYY-MM-DD koʻrinishidagi haqiqiy sana boʻlishi kerak",
        "YYYY-MM-DD кўринишидаги ҳақиқий сана бўлиши керак",
        "Нужна существующая дата в формате ГГГГ-ММ-ДД",
    ),
    field_code(
        "not_datetime",
        "RFC 3339 koʻrinishidagi sana va vaqt boʻlishi kerak",
        "RFC 3339 кўринишидаги сана ва вақт бўлиши керак",
        "Нужны дата и время в формате RFC 3339",
    ),
    field_code(
        "timezone_required",
        "Vaqt UTC ga nisbatan siljish bilan koʻrsatilishi kerak (masalan, +05:00)",
        "Вақт UTC га нисбатан силжиш билан кўрсатилиши керак (масалан, +05:00)",
        "Время нужно указать со смещением от UTC (например, +05:00)",
    ),
    field_code(
        "not_url", "Havola (URL) notoʻgʻri", "Ҳавола (URL) нотўғри", "Неверная ссылка (URL)"
    ),
    field_code(
        "invalid_json",
        "Soʻrov tanasi JSON sifatida oʻqilmadi",
        "Сўров танаси JSON сифатида ўқилмади",
        "Тело запроса не читается как JSON",
    ),
    field_code(
        "unknown_code",
        "Bunday kod maʼlumotnomada yoʻq",
        "Бундай код маълумотномада йўқ",
        "Такого кода нет в справочнике",
    ),
    field_code("invalid", "Qiymat notoʻgʻri", "Қиймат нотўғри", "Неверное значение"),
]


def _each(code: str, *types: str) -> dict[str, str]:
    return dict.fromkeys(types, code)


# pydantic's error types (and the runtime's own) by the field code they are answered with.
PYDANTIC_TYPES: dict[str, str] = {
    "missing": "missing",
    "extra_forbidden": "unknown_field",
    "unknown_fields": "unknown_field",
    "string_too_short": "too_short",
    "string_too_long": "too_long",
    "too_short": "too_few_items",
    "too_long": "too_many_items",
    "string_pattern_mismatch": "pattern_mismatch",
    "greater_than_equal": "too_small",
    "less_than_equal": "too_large",
    "greater_than": "not_greater",
    "less_than": "not_less",
    "timezone_aware": "timezone_required",
    **_each("not_allowed_value", "enum", "literal_error", "none_required"),
    **_each("not_string", "string_type", "string_sub_type", "string_unicode"),
    **_each("not_integer", "int_type", "int_parsing", "int_parsing_size", "int_from_float"),
    **_each("not_number", "float_type", "float_parsing", "finite_number", "decimal_type"),
    **_each("not_boolean", "bool_type", "bool_parsing"),
    **_each("not_array", "list_type", "tuple_type", "set_type", "iterable_type"),
    **_each("not_object", "dict_type", "model_type", "model_attributes_type", "dataclass_type"),
    **_each("not_date", "date_type", "date_parsing", "date_from_datetime_parsing"),
    **_each("not_date", "date_from_datetime_inexact"),
    **_each("not_datetime", "datetime_type", "datetime_parsing", "datetime_from_date_parsing"),
    **_each("not_datetime", "datetime_object_invalid"),
    **_each("not_url", "url_type", "url_parsing", "url_syntax_violation", "url_too_long"),
    **_each("not_url", "url_scheme"),
    **_each("invalid_json", "json_invalid", "json_type"),
}

COMMON = Catalogue.of(
    [
        REQUEST_INVALID,
        REQUEST_MALFORMED,
        BODY_TOO_LARGE,
        NOT_FOUND,
        METHOD_NOT_ALLOWED,
        REFUSED,
        TOKEN_MISSING,
        TOKEN_INVALID,
        TOKEN_EXPIRED,
        ROLE_NOT_ALLOWED,
        AUTH_UNAVAILABLE,
        STORE_UNAVAILABLE,
        RECORD_CHANGED,
        SERVER_ERROR,
    ],
    FIELDS,
    PYDANTIC_TYPES,
)


def invalid_input(*errors: FieldError) -> ProblemError:
    """A 422 ``request.invalid`` naming the fields at fault, raised by a route or a handler
    that checks what the schema cannot (``at`` needs an offset, ...)."""
    return ProblemError(REQUEST_INVALID, params={"count": len(errors)}, errors=errors)
