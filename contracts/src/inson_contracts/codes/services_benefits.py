"""Catalogue entries for allowances, goods, work and schooling.

Compiled for this platform from the kinds of help the reform's documents
name (low-income family allowance, childcare allowance, food packages,
vocational training, inclusive education, ...) and from the general
shape of Uzbekistan's social-protection system. It is not a copy of NASP's
official register of services: codes are this platform's own, names are
working translations, and providers and target days are platform defaults.
"""

from __future__ import annotations

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.service_model import (
    STANDARD_DAYS,
    URGENT_DAYS,
    ProviderType,
    Service,
    ServiceCategory,
    service_entry,
)

C = Circumstance
P = ProviderType

CASH_ASSISTANCE: tuple[Service, ...] = tuple(
    service_entry(code, ServiceCategory.CASH_ASSISTANCE, provider, days, eligibility, names)
    for code, provider, days, eligibility, names in (
        (
            "CASH-01",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            (C.LOW_INCOME,),
            (
                "Kam taʼminlangan oilalarga nafaqa",
                "Кам таъминланган оилаларга нафақа",
                "Пособие малообеспеченным семьям",
            ),
        ),
        (
            "CASH-02",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            (C.LOW_INCOME,),
            (
                "Ikki yoshga toʻlmagan bolani parvarishlash nafaqasi",
                "Икки ёшга тўлмаган болани парваришлаш нафақаси",
                "Пособие по уходу за ребёнком до двух лет",
            ),
        ),
        (
            "CASH-03",
            P.SOCIAL_SERVICE_WINDOW,
            URGENT_DAYS,
            (C.LOW_INCOME, C.HOMELESS, C.DOMESTIC_VIOLENCE, C.OTHER),
            (
                "Bir martalik moddiy yordam",
                "Бир марталик моддий ёрдам",
                "Единовременная материальная помощь",
            ),
        ),
        (
            "CASH-04",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            (C.DISABILITY, C.LOW_INCOME),
            (
                "Nogironligi boʻlgan shaxslarga ijtimoiy nafaqa",
                "Ногиронлиги бўлган шахсларга ижтимоий нафақа",
                "Социальное пособие лицам с инвалидностью",
            ),
        ),
        (
            "CASH-05",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            (C.LONELY_ELDERLY, C.LOW_INCOME),
            (
                "Pensiya uchun mehnat staji yetarli boʻlmagan keksalarga nafaqa",
                "Пенсия учун меҳнат стажи етарли бўлмаган кексаларга нафақа",
                "Пособие пожилым людям без трудового стажа, нужного для пенсии",
            ),
        ),
        (
            "CASH-06",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            (C.DISABILITY, C.NEEDS_CARE_BY_OTHERS),
            (
                "Bolalikdan nogironligi boʻlgan shaxsni parvarishlovchiga nafaqa",
                "Болаликдан ногиронлиги бўлган шахсни парваришловчига нафақа",
                "Пособие по уходу за лицом с инвалидностью с детства",
            ),
        ),
        (
            "CASH-07",
            P.EMPLOYMENT_CENTER,
            STANDARD_DAYS,
            (C.UNEMPLOYMENT,),
            ("Ishsizlik nafaqasi", "Ишсизлик нафақаси", "Пособие по безработице"),
        ),
    )
)

IN_KIND_ASSISTANCE: tuple[Service, ...] = tuple(
    service_entry(code, ServiceCategory.IN_KIND_ASSISTANCE, provider, days, eligibility, names)
    for code, provider, days, eligibility, names in (
        (
            "KIND-01",
            P.MAHALLA,
            URGENT_DAYS,
            (C.LOW_INCOME, C.LONELY_ELDERLY, C.HOMELESS),
            ("Oziq-ovqat toʻplami", "Озиқ-овқат тўплами", "Продуктовый набор"),
        ),
        (
            "KIND-02",
            P.MAHALLA,
            STANDARD_DAYS,
            (C.LOW_INCOME, C.LONELY_ELDERLY),
            (
                "Qishki yoqilgʻi va kommunal xizmatlar uchun subsidiya",
                "Қишки ёқилғи ва коммунал хизматлар учун субсидия",
                "Субсидия на зимнее топливо и коммунальные услуги",
            ),
        ),
        (
            "KIND-03",
            P.EDUCATION_BODY,
            STANDARD_DAYS,
            (C.LOW_INCOME, C.CHILD_AT_RISK),
            (
                "Maktab formasi va oʻquv qurollari",
                "Мактаб формаси ва ўқув қуроллари",
                "Школьная форма и учебные принадлежности",
            ),
        ),
        (
            "KIND-04",
            P.MAHALLA,
            STANDARD_DAYS,
            (C.LOW_INCOME, C.HOMELESS),
            ("Qishki kiyim va poyabzal", "Қишки кийим ва пойабзал", "Тёплая одежда и обувь"),
        ),
        (
            "KIND-05",
            P.HEALTH_FACILITY,
            STANDARD_DAYS,
            (C.LOW_INCOME,),
            (
                "Yangi tugʻilgan chaqaloq uchun toʻplam",
                "Янги туғилган чақалоқ учун тўплам",
                "Набор для новорождённого",
            ),
        ),
    )
)

EMPLOYMENT: tuple[Service, ...] = tuple(
    service_entry(code, ServiceCategory.EMPLOYMENT, provider, days, eligibility, names)
    for code, provider, days, eligibility, names in (
        (
            "EMP-01",
            P.EMPLOYMENT_CENTER,
            STANDARD_DAYS,
            (C.UNEMPLOYMENT, C.LOW_INCOME, C.DISABILITY),
            ("Kasb-hunarga oʻqitish", "Касб-ҳунарга ўқитиш", "Профессиональное обучение"),
        ),
        (
            "EMP-02",
            P.EMPLOYMENT_CENTER,
            STANDARD_DAYS,
            (C.UNEMPLOYMENT, C.LOW_INCOME),
            (
                "Haq toʻlanadigan jamoat ishlari",
                "Ҳақ тўланадиган жамоат ишлари",
                "Оплачиваемые общественные работы",
            ),
        ),
        (
            "EMP-03",
            P.EMPLOYMENT_CENTER,
            STANDARD_DAYS,
            (C.UNEMPLOYMENT, C.DISABILITY),
            (
                "Belgilangan kvota hisobiga ishga joylashtirish",
                "Белгиланган квота ҳисобига ишга жойлаштириш",
                "Трудоустройство в счёт установленной квоты рабочих мест",
            ),
        ),
        (
            "EMP-04",
            P.EMPLOYMENT_CENTER,
            STANDARD_DAYS,
            (C.UNEMPLOYMENT, C.LOW_INCOME),
            (
                "Oʻzini oʻzi band qilish va tadbirkorlik uchun mikrokredit",
                "Ўзини ўзи банд қилиш ва тадбиркорлик учун микрокредит",
                "Микрокредит для самозанятости и предпринимательства",
            ),
        ),
        (
            "EMP-05",
            P.EMPLOYMENT_CENTER,
            STANDARD_DAYS,
            (C.UNEMPLOYMENT,),
            (
                "Ishga joylashtirishda koʻmaklashish va kasbga yoʻnaltirish",
                "Ишга жойлаштиришда кўмаклашиш ва касбга йўналтириш",
                "Содействие в трудоустройстве и профориентация",
            ),
        ),
        (
            "EMP-06",
            P.MAHALLA,
            STANDARD_DAYS,
            (C.LOW_INCOME, C.UNEMPLOYMENT),
            (
                "Tomorqa yer uchastkasi ajratilishiga koʻmaklashish",
                "Томорқа ер участкаси ажратилишига кўмаклашиш",
                "Содействие в выделении приусадебного земельного участка",
            ),
        ),
    )
)

EDUCATION: tuple[Service, ...] = tuple(
    service_entry(code, ServiceCategory.EDUCATION, provider, days, eligibility, names)
    for code, provider, days, eligibility, names in (
        (
            "EDU-01",
            P.EDUCATION_BODY,
            STANDARD_DAYS,
            (C.DISABILITY, C.CHILD_AT_RISK),
            (
                "Inklyuziv taʼlimda tyutor koʻmagi",
                "Инклюзив таълимда тьютор кўмаги",
                "Сопровождение тьютором в инклюзивном образовании",
            ),
        ),
        (
            "EDU-02",
            P.EDUCATION_BODY,
            STANDARD_DAYS,
            (C.DISABILITY,),
            ("Logoped xizmati", "Логопед хизмати", "Услуги логопеда"),
        ),
        (
            "EDU-03",
            P.EDUCATION_BODY,
            STANDARD_DAYS,
            (C.DISABILITY, C.CHILD_AT_RISK),
            (
                "Psixologik-tibbiy-pedagogik komissiyada baholash",
                "Психологик-тиббий-педагогик комиссияда баҳолаш",
                "Обследование психолого-медико-педагогической комиссией",
            ),
        ),
        (
            "EDU-04",
            P.EDUCATION_BODY,
            STANDARD_DAYS,
            (C.DISABILITY,),
            (
                "Nogironligi boʻlgan bolalarni uyda oʻqitish",
                "Ногиронлиги бўлган болаларни уйда ўқитиш",
                "Обучение детей с инвалидностью на дому",
            ),
        ),
        (
            "EDU-05",
            P.EDUCATION_BODY,
            STANDARD_DAYS,
            (C.LOW_INCOME, C.CHILD_AT_RISK),
            (
                "Kam taʼminlangan oila bolasini maktabgacha taʼlimga joylashtirish",
                "Кам таъминланган оила боласини мактабгача таълимга жойлаштириш",
                "Устройство ребёнка из малообеспеченной семьи в детский сад",
            ),
        ),
    )
)
