"""The ways an application reaches the Inson system."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.names import LocalizedName, name


class Channel(StrEnum):
    MAHALLA_TABLET = "mahalla_tablet"  # a social worker's tablet, in the mahalla
    SERVICE_WINDOW = "service_window"  # a Social service window at a Public Services Center
    ONLINE_PORTAL = "online_portal"
    PROACTIVE_IDENTIFICATION = "proactive_identification"  # found by the system, no application
    HOTLINE = "hotline"


CHANNEL_NAMES: Mapping[Channel, LocalizedName] = MappingProxyType(
    {
        Channel.MAHALLA_TABLET: name(
            "Mahallada planshet orqali", "Маҳаллада планшет орқали", "Через планшет в махалле"
        ),
        Channel.SERVICE_WINDOW: name(
            "Ijtimoiy xizmat darchasi", "Ижтимоий хизмат дарчаси", "Окно социальных услуг"
        ),
        Channel.ONLINE_PORTAL: name("Onlayn portal", "Онлайн портал", "Онлайн-портал"),
        Channel.PROACTIVE_IDENTIFICATION: name(
            "Proaktiv aniqlash", "Проактив аниқлаш", "Проактивное выявление"
        ),
        Channel.HOTLINE: name("Ishonch telefoni", "Ишонч телефони", "Телефон доверия"),
    }
)


def channel(code: str) -> Channel:
    try:
        return Channel(code)
    except ValueError:
        raise UnknownCode("channel", code) from None
