"""Catalogue entries for housing, child protection and family support.

Compiled for this platform from the kinds of help the reform's documents
name (temporary registration of homeless people for up to six months,
foster care, parenting-skills training, ...) and from the general
shape of Uzbekistan's social-protection system. It is not a copy of NASP's
official register of services: codes are this platform's own, names are
working translations, and providers and target days are platform defaults.
"""

from __future__ import annotations

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.service_model import (
    EMERGENCY_DAYS,
    STANDARD_DAYS,
    URGENT_DAYS,
    ProviderType,
    Service,
    ServiceCategory,
    service_entry,
)

C = Circumstance
P = ProviderType

HOUSING: tuple[Service, ...] = tuple(
    service_entry(code, ServiceCategory.HOUSING, provider, days, eligibility, names)
    for code, provider, days, eligibility, names in (
        (
            # A decision the Inson center takes itself (decree of 28 Sep 2023).
            "HOUSE-01",
            P.INSON_CENTER,
            URGENT_DAYS,
            (C.HOMELESS,),
            (
                "Uysiz shaxsni uy-joy fondiga ega muassasada"
                " olti oygacha vaqtincha roʻyxatga olish",
                "Уйсиз шахсни уй-жой фондига эга муассасада олти ойгача вақтинча рўйхатга олиш",
                "Временная регистрация бездомного до шести месяцев в учреждении с жилищным фондом",
            ),
        ),
        (
            "HOUSE-02",
            P.INSON_CENTER,
            EMERGENCY_DAYS,
            (C.HOMELESS,),
            (
                "Uysiz shaxslar uchun vaqtinchalik boshpana",
                "Уйсиз шахслар учун вақтинчалик бошпана",
                "Временный приют для бездомных",
            ),
        ),
        (
            "HOUSE-03",
            P.OTHER,
            EMERGENCY_DAYS,
            (C.DOMESTIC_VIOLENCE, C.HOMELESS),
            (
                "Zoʻravonlikdan jabrlanganlar uchun inqiroz markazida boshpana",
                "Зўравонликдан жабрланганлар учун инқироз марказида бошпана",
                "Убежище в кризисном центре для пострадавших от насилия",
            ),
        ),
        (
            "HOUSE-04",
            P.OTHER,
            STANDARD_DAYS,
            (C.LOW_INCOME, C.HOMELESS),
            (
                "Ijtimoiy uy-joy bilan taʼminlashga koʻmaklashish",
                "Ижтимоий уй-жой билан таъминлашга кўмаклашиш",
                "Содействие в обеспечении социальным жильём",
            ),
        ),
        (
            "HOUSE-05",
            P.MAHALLA,
            STANDARD_DAYS,
            (C.LONELY_ELDERLY, C.LOW_INCOME, C.DISABILITY),
            (
                "Yolgʻiz keksalar uyini taʼmirlashga koʻmaklashish",
                "Ёлғиз кексалар уйини таъмирлашга кўмаклашиш",
                "Помощь в ремонте жилья одиноких пожилых людей",
            ),
        ),
        (
            "HOUSE-06",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            (C.HOMELESS,),
            (
                "Shaxsni tasdiqlovchi hujjatlarni tiklashga koʻmaklashish",
                "Шахсни тасдиқловчи ҳужжатларни тиклашга кўмаклашиш",
                "Содействие в восстановлении документов, удостоверяющих личность",
            ),
        ),
    )
)

CHILD_PROTECTION: tuple[Service, ...] = tuple(
    service_entry(code, ServiceCategory.CHILD_PROTECTION, provider, days, eligibility, names)
    for code, provider, days, eligibility, names in (
        (
            "CHILD-01",
            P.INSON_CENTER,
            URGENT_DAYS,
            (C.CHILD_AT_RISK,),
            (
                "Bolani patronat oilaga joylashtirish",
                "Болани патронат оилага жойлаштириш",
                "Устройство ребёнка в патронатную семью",
            ),
        ),
        (
            # Guardianship and trusteeship bodies sit with the education authorities.
            "CHILD-02",
            P.EDUCATION_BODY,
            STANDARD_DAYS,
            (C.CHILD_AT_RISK,),
            (
                "Vasiylik va homiylikni rasmiylashtirish va qoʻllab-quvvatlash",
                "Васийлик ва ҳомийликни расмийлаштириш ва қўллаб-қувватлаш",
                "Оформление и сопровождение опеки и попечительства",
            ),
        ),
        (
            "CHILD-03",
            P.EDUCATION_BODY,
            STANDARD_DAYS,
            (C.CHILD_AT_RISK,),
            (
                "Oilaviy bolalar uyiga joylashtirish",
                "Оилавий болалар уйига жойлаштириш",
                "Устройство в детский дом семейного типа",
            ),
        ),
        (
            "CHILD-04",
            P.INSON_CENTER,
            URGENT_DAYS,
            (C.CHILD_AT_RISK, C.LOW_INCOME),
            (
                "Bolaning muassasaga joylashtirilishining oldini olish uchun"
                " oilani qoʻllab-quvvatlash",
                "Боланинг муассасага жойлаштирилишининг олдини олиш учун оилани қўллаб-қувватлаш",
                "Поддержка семьи для предотвращения помещения ребёнка в учреждение",
            ),
        ),
        (
            "CHILD-05",
            P.INSON_CENTER,
            EMERGENCY_DAYS,
            (C.CHILD_AT_RISK,),
            (
                "Ota-ona qaramogʻisiz qolgan bolani shoshilinch joylashtirish",
                "Ота-она қарамоғисиз қолган болани шошилинч жойлаштириш",
                "Экстренное устройство ребёнка, оставшегося без попечения родителей",
            ),
        ),
        (
            "CHILD-06",
            P.INSON_CENTER,
            STANDARD_DAYS,
            (C.CHILD_AT_RISK,),
            (
                "Bolani muassasadan oilaga qaytarish (reintegratsiya)",
                "Болани муассасадан оилага қайтариш (реинтеграция)",
                "Возвращение ребёнка из учреждения в семью (реинтеграция)",
            ),
        ),
        (
            "CHILD-07",
            P.INSON_CENTER,
            STANDARD_DAYS,
            (C.CHILD_AT_RISK, C.HOMELESS, C.UNEMPLOYMENT),
            (
                "Mehribonlik uylari bitiruvchilarini mustaqil hayotga tayyorlash",
                "Меҳрибонлик уйлари битирувчиларини мустақил ҳаётга тайёрлаш",
                "Сопровождение выпускников детских домов в самостоятельной жизни",
            ),
        ),
    )
)

FAMILY_SUPPORT: tuple[Service, ...] = tuple(
    service_entry(code, ServiceCategory.FAMILY_SUPPORT, provider, days, eligibility, names)
    for code, provider, days, eligibility, names in (
        (
            "FAM-01",
            P.INSON_CENTER,
            URGENT_DAYS,
            (C.DOMESTIC_VIOLENCE, C.CHILD_AT_RISK, C.OTHER),
            ("Psixologik maslahat", "Психологик маслаҳат", "Психологическое консультирование"),
        ),
        (
            "FAM-02",
            P.NGO_PARTNER,
            STANDARD_DAYS,
            (C.CHILD_AT_RISK, C.OTHER),
            (
                "Ota-onalik koʻnikmalari boʻyicha trening",
                "Ота-оналик кўникмалари бўйича тренинг",
                "Тренинг родительских навыков",
            ),
        ),
        (
            "FAM-03",
            P.MAHALLA,
            STANDARD_DAYS,
            (C.DOMESTIC_VIOLENCE, C.OTHER),
            (
                "Oilaviy nizolarni hal qilishda mediatsiya",
                "Оилавий низоларни ҳал қилишда медиация",
                "Семейная медиация при разрешении конфликтов",
            ),
        ),
        (
            # Protection orders are issued by the internal affairs bodies.
            "FAM-04",
            P.OTHER,
            EMERGENCY_DAYS,
            (C.DOMESTIC_VIOLENCE,),
            (
                "Himoya orderi berilishiga koʻmaklashish",
                "Ҳимоя ордери берилишига кўмаклашиш",
                "Содействие в выдаче охранного ордера",
            ),
        ),
        (
            "FAM-05",
            P.NGO_PARTNER,
            STANDARD_DAYS,
            (C.LOW_INCOME, C.DOMESTIC_VIOLENCE, C.OTHER),
            (
                "Bepul huquqiy maslahat",
                "Бепул ҳуқуқий маслаҳат",
                "Бесплатная юридическая консультация",
            ),
        ),
        (
            "FAM-06",
            P.INSON_CENTER,
            STANDARD_DAYS,
            (C.LOW_INCOME, C.CHILD_AT_RISK),
            (
                "Kam taʼminlangan oilani idoralararo guruh bilan kuzatib borish",
                "Кам таъминланган оилани идоралараро гуруҳ билан кузатиб бориш",
                "Сопровождение малообеспеченной семьи межведомственной командой",
            ),
        ),
    )
)
