"""Circumstances that bring a person or family to the Inson system.

Intake records them on an application; the service catalogue uses them as
eligibility hints. The list and its names were written for this platform
from the reform's documents, not copied from an official NASP classifier.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.names import LocalizedName, name


class Circumstance(StrEnum):
    DISABILITY = "disability"
    LONELY_ELDERLY = "lonely_elderly"
    NEEDS_CARE_BY_OTHERS = "needs_care_by_others"
    HOMELESS = "homeless"
    CHILD_AT_RISK = "child_at_risk"
    LOW_INCOME = "low_income"
    DOMESTIC_VIOLENCE = "domestic_violence"
    UNEMPLOYMENT = "unemployment"
    NEEDS_REHABILITATION_DEVICE = "needs_rehabilitation_device"
    OTHER = "other"


_C = Circumstance

CIRCUMSTANCE_NAMES: Mapping[Circumstance, LocalizedName] = MappingProxyType(
    {
        _C.DISABILITY: name("Nogironlik", "Ногиронлик", "Инвалидность"),
        _C.LONELY_ELDERLY: name("Yolgʻiz keksa", "Ёлғиз кекса", "Одинокий пожилой человек"),
        _C.NEEDS_CARE_BY_OTHERS: name(
            "Boshqalarning parvarishiga muhtoj",
            "Бошқаларнинг парваришига муҳтож",
            "Нуждается в постороннем уходе",
        ),
        _C.HOMELESS: name(
            "Doimiy yashash joyi yoʻq",
            "Доимий яшаш жойи йўқ",
            "Без определённого места жительства",
        ),
        _C.CHILD_AT_RISK: name(
            "Xavf ostidagi bola", "Хавф остидаги бола", "Ребёнок в группе риска"
        ),
        _C.LOW_INCOME: name("Kam taʼminlangan", "Кам таъминланган", "Малообеспеченность"),
        _C.DOMESTIC_VIOLENCE: name("Oilaviy zoʻravonlik", "Оилавий зўравонлик", "Домашнее насилие"),
        _C.UNEMPLOYMENT: name("Ishsizlik", "Ишсизлик", "Безработица"),
        _C.NEEDS_REHABILITATION_DEVICE: name(
            "Reabilitatsiya vositalariga ehtiyoj",
            "Реабилитация воситаларига эҳтиёж",
            "Нуждается в средствах реабилитации",
        ),
        _C.OTHER: name("Boshqa holat", "Бошқа ҳолат", "Другое обстоятельство"),
    }
)


def circumstance(code: str) -> Circumstance:
    try:
        return Circumstance(code)
    except ValueError:
        raise UnknownCode("circumstance", code) from None
