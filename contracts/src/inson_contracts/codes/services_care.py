"""Catalogue entries for care, disability, rehabilitation and health.

Compiled for this platform from the kinds of help the reform's documents
name (home care for lonely elderly people, prosthetic and orthopaedic
devices, the medical-social expert commission, ...) and from the general
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

HOME_CARE: tuple[Service, ...] = tuple(
    service_entry(code, ServiceCategory.HOME_CARE, provider, days, eligibility, names)
    for code, provider, days, eligibility, names in (
        (
            "HOME-01",
            P.INSON_CENTER,
            URGENT_DAYS,
            (C.LONELY_ELDERLY, C.NEEDS_CARE_BY_OTHERS, C.DISABILITY),
            (
                "Yolgʻiz keksalar va nogironligi boʻlgan shaxslarga uyda ijtimoiy xizmat",
                "Ёлғиз кексалар ва ногиронлиги бўлган шахсларга уйда ижтимоий хизмат",
                "Социальное обслуживание на дому одиноких пожилых и лиц с инвалидностью",
            ),
        ),
        (
            "HOME-02",
            P.HEALTH_FACILITY,
            URGENT_DAYS,
            (C.NEEDS_CARE_BY_OTHERS, C.LONELY_ELDERLY, C.DISABILITY),
            (
                "Uyda patronaj hamshiralik parvarishi",
                "Уйда патронаж ҳамширалик парвариши",
                "Патронажный сестринский уход на дому",
            ),
        ),
        (
            "HOME-03",
            P.INSON_CENTER,
            STANDARD_DAYS,
            (C.LONELY_ELDERLY, C.NEEDS_CARE_BY_OTHERS),
            (
                "Keksalar uchun kunduzgi parvarish markazi",
                "Кексалар учун кундузги парвариш маркази",
                "Дневной центр ухода для пожилых людей",
            ),
        ),
        (
            "HOME-04",
            P.INSON_CENTER,
            STANDARD_DAYS,
            (C.DISABILITY, C.NEEDS_CARE_BY_OTHERS, C.CHILD_AT_RISK),
            (
                "Nogironligi boʻlgan bolalar uchun kunduzgi parvarish",
                "Ногиронлиги бўлган болалар учун кундузги парвариш",
                "Дневной уход за детьми с инвалидностью",
            ),
        ),
        (
            # "Sahovat" homes take older people and adults with disabilities,
            # "Muruvvat" homes people with severe mental disabilities.
            "HOME-05",
            P.INSON_CENTER,
            STANDARD_DAYS,
            (C.LONELY_ELDERLY, C.NEEDS_CARE_BY_OTHERS, C.DISABILITY),
            (
                "«Sahovat» va «Muruvvat» internat uylariga joylashtirish",
                "«Саховат» ва «Мурувват» интернат уйларига жойлаштириш",
                "Устройство в дома-интернаты «Саховат» и «Мурувват»",
            ),
        ),
        (
            "HOME-06",
            P.INSON_CENTER,
            STANDARD_DAYS,
            (C.NEEDS_CARE_BY_OTHERS, C.DISABILITY),
            (
                "Parvarish qiluvchi oila aʼzolariga qisqa muddatli dam berish",
                "Парвариш қилувчи оила аъзоларига қисқа муддатли дам бериш",
                "Кратковременный уход для отдыха ухаживающих членов семьи",
            ),
        ),
        (
            "HOME-07",
            P.MAHALLA,
            URGENT_DAYS,
            (C.LONELY_ELDERLY, C.NEEDS_CARE_BY_OTHERS),
            (
                "Uyga issiq ovqat yetkazib berish",
                "Уйга иссиқ овқат етказиб бериш",
                "Доставка горячего питания на дом",
            ),
        ),
    )
)

DISABILITY_SUPPORT: tuple[Service, ...] = tuple(
    service_entry(code, ServiceCategory.DISABILITY_SUPPORT, provider, days, eligibility, names)
    for code, provider, days, eligibility, names in (
        (
            "DIS-01",
            P.INSON_CENTER,
            STANDARD_DAYS,
            (C.DISABILITY, C.NEEDS_CARE_BY_OTHERS),
            (
                "Nogironligi boʻlgan shaxsga shaxsiy yordamchi",
                "Ногиронлиги бўлган шахсга шахсий ёрдамчи",
                "Персональный ассистент для лица с инвалидностью",
            ),
        ),
        (
            "DIS-02",
            P.INSON_CENTER,
            STANDARD_DAYS,
            (C.DISABILITY,),
            (
                "Imo-ishora tili tarjimoni xizmati",
                "Имо-ишора тили таржимони хизмати",
                "Услуги переводчика жестового языка",
            ),
        ),
        (
            "DIS-03",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            (C.DISABILITY, C.LONELY_ELDERLY),
            (
                "Sanatoriy-kurortda davolanish uchun yoʻllanma",
                "Санаторий-курортда даволаниш учун йўлланма",
                "Путёвка на санаторно-курортное лечение",
            ),
        ),
        (
            "DIS-04",
            P.INSON_CENTER,
            STANDARD_DAYS,
            (C.DISABILITY,),
            (
                "Individual reabilitatsiya dasturini tuzish va kuzatib borish",
                "Индивидуал реабилитация дастурини тузиш ва кузатиб бориш",
                "Составление и сопровождение индивидуальной программы реабилитации",
            ),
        ),
        (
            "DIS-05",
            P.NGO_PARTNER,
            STANDARD_DAYS,
            (C.DISABILITY,),
            (
                "Nogironligi boʻlgan shaxslar uchun ijtimoiy taksi",
                "Ногиронлиги бўлган шахслар учун ижтимоий такси",
                "Социальное такси для лиц с инвалидностью",
            ),
        ),
        (
            "DIS-06",
            P.INSON_CENTER,
            STANDARD_DAYS,
            (C.DISABILITY, C.NEEDS_REHABILITATION_DEVICE),
            (
                "Uy-joyni nogironligi boʻlgan shaxs ehtiyojlariga moslashtirish",
                "Уй-жойни ногиронлиги бўлган шахс эҳтиёжларига мослаштириш",
                "Приспособление жилья к потребностям лица с инвалидностью",
            ),
        ),
    )
)

_DEVICE = (C.NEEDS_REHABILITATION_DEVICE, C.DISABILITY)

REHABILITATION_DEVICES: tuple[Service, ...] = tuple(
    service_entry(code, ServiceCategory.REHABILITATION_DEVICES, provider, days, eligibility, names)
    for code, provider, days, eligibility, names in (
        (
            "REHAB-01",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            _DEVICE,
            (
                "Protez-ortopediya buyumlari bilan taʼminlash",
                "Протез-ортопедия буюмлари билан таъминлаш",
                "Обеспечение протезно-ортопедическими изделиями",
            ),
        ),
        (
            "REHAB-02",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            _DEVICE,
            (
                "Nogironlik aravachasi bilan taʼminlash",
                "Ногиронлик аравачаси билан таъминлаш",
                "Обеспечение креслом-коляской",
            ),
        ),
        (
            "REHAB-03",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            _DEVICE,
            (
                "Eshitish apparati bilan taʼminlash",
                "Эшитиш аппарати билан таъминлаш",
                "Обеспечение слуховым аппаратом",
            ),
        ),
        (
            "REHAB-04",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            _DEVICE,
            (
                "Reabilitatsiyaning texnik vositalari (qoʻltiqtayoq, yurish moslamasi)",
                "Реабилитациянинг техник воситалари (қўлтиқтаёқ, юриш мосламаси)",
                "Технические средства реабилитации (костыли, ходунки)",
            ),
        ),
        (
            "REHAB-05",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            (C.NEEDS_REHABILITATION_DEVICE, C.DISABILITY, C.NEEDS_CARE_BY_OTHERS),
            (
                "Gigiyena vositalari va yotoq yarasiga qarshi matras",
                "Гигиена воситалари ва ётоқ ярасига қарши матрас",
                "Средства гигиены и противопролежневый матрас",
            ),
        ),
        (
            "REHAB-06",
            P.SOCIAL_SERVICE_WINDOW,
            STANDARD_DAYS,
            _DEVICE,
            (
                "Koʻzi ojizlar uchun tiflotexnika vositalari",
                "Кўзи ожизлар учун тифлотехника воситалари",
                "Тифлотехнические средства для незрячих",
            ),
        ),
        (
            "REHAB-07",
            P.OTHER,
            STANDARD_DAYS,
            _DEVICE,
            (
                "Protez-ortopediya buyumlarini taʼmirlash",
                "Протез-ортопедия буюмларини таъмирлаш",
                "Ремонт протезно-ортопедических изделий",
            ),
        ),
        (
            "REHAB-08",
            P.HEALTH_FACILITY,
            STANDARD_DAYS,
            _DEVICE,
            (
                "Reabilitatsiya markazida tibbiy-ijtimoiy reabilitatsiya kursi",
                "Реабилитация марказида тиббий-ижтимоий реабилитация курси",
                "Курс медико-социальной реабилитации в реабилитационном центре",
            ),
        ),
    )
)

HEALTH: tuple[Service, ...] = tuple(
    service_entry(code, ServiceCategory.HEALTH, provider, days, eligibility, names)
    for code, provider, days, eligibility, names in (
        (
            # The commission sits in NASP's own system, which has no provider
            # type of its own, hence OTHER rather than a health facility.
            "HLTH-01",
            P.OTHER,
            STANDARD_DAYS,
            (C.DISABILITY,),
            (
                "Tibbiy-ijtimoiy ekspert komissiyasida koʻrik (nogironlikni belgilash)",
                "Тиббий-ижтимоий эксперт комиссиясида кўрик (ногиронликни белгилаш)",
                "Освидетельствование медико-социальной экспертной комиссией"
                " (установление инвалидности)",
            ),
        ),
        (
            "HLTH-02",
            P.HEALTH_FACILITY,
            URGENT_DAYS,
            (C.DISABILITY, C.LOW_INCOME, C.LONELY_ELDERLY),
            (
                "Dori vositalari bilan bepul taʼminlash",
                "Дори воситалари билан бепул таъминлаш",
                "Бесплатное обеспечение лекарственными средствами",
            ),
        ),
        (
            "HLTH-03",
            P.HEALTH_FACILITY,
            URGENT_DAYS,
            (C.NEEDS_CARE_BY_OTHERS, C.LONELY_ELDERLY, C.DISABILITY),
            (
                "Oilaviy shifokorning uyga tashrifi",
                "Оилавий шифокорнинг уйга ташрифи",
                "Посещение семейным врачом на дому",
            ),
        ),
        (
            "HLTH-04",
            P.HEALTH_FACILITY,
            STANDARD_DAYS,
            (C.LONELY_ELDERLY, C.LOW_INCOME),
            (
                "Keksalarga bepul tish protezi",
                "Кексаларга бепул тиш протези",
                "Бесплатное зубопротезирование пожилых людей",
            ),
        ),
        (
            "HLTH-05",
            P.HEALTH_FACILITY,
            URGENT_DAYS,
            (C.NEEDS_CARE_BY_OTHERS,),
            ("Palliativ yordam", "Паллиатив ёрдам", "Паллиативная помощь"),
        ),
        (
            "HLTH-06",
            P.HEALTH_FACILITY,
            EMERGENCY_DAYS,
            (C.DOMESTIC_VIOLENCE, C.CHILD_AT_RISK),
            (
                "Zoʻravonlikdan jabrlanganlarga tibbiy yordam",
                "Зўравонликдан жабрланганларга тиббий ёрдам",
                "Медицинская помощь пострадавшим от насилия",
            ),
        ),
    )
)
