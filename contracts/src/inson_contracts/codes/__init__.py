"""Code lists partners share with the Inson platform.

Geography (SOATO codes), the service catalogue, intake channels and the
circumstances intake records, each as immutable typed data with names in
Uzbek Latin, Uzbek Cyrillic and Russian. Every lookup raises ``UnknownCode``
(a ``KeyError``) for a code that is not listed. How far each list can be
trusted is written in its module's docstring.
"""

from __future__ import annotations

from inson_contracts.codes.channels import CHANNEL_NAMES, Channel, channel
from inson_contracts.codes.circumstances import CIRCUMSTANCE_NAMES, Circumstance, circumstance
from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.geography import (
    DISTRICTS,
    DISTRICTS_BY_CODE,
    INSON_PILOT_DISTRICTS,
    REGIONS,
    REGIONS_BY_CODE,
    District,
    DistrictKind,
    Region,
    RegionKind,
    district,
    districts_of,
    region,
)
from inson_contracts.codes.names import Language, LocalizedName, language
from inson_contracts.codes.services import (
    CATEGORY_PREFIX,
    EMERGENCY_DAYS,
    SERVICES,
    SERVICES_BY_CODE,
    STANDARD_DAYS,
    URGENT_DAYS,
    ProviderType,
    Service,
    ServiceCategory,
    service,
    services_in,
)

__all__ = [
    "CATEGORY_PREFIX",
    "CHANNEL_NAMES",
    "CIRCUMSTANCE_NAMES",
    "DISTRICTS",
    "DISTRICTS_BY_CODE",
    "EMERGENCY_DAYS",
    "INSON_PILOT_DISTRICTS",
    "REGIONS",
    "REGIONS_BY_CODE",
    "SERVICES",
    "SERVICES_BY_CODE",
    "STANDARD_DAYS",
    "URGENT_DAYS",
    "Channel",
    "Circumstance",
    "District",
    "DistrictKind",
    "Language",
    "LocalizedName",
    "ProviderType",
    "Region",
    "RegionKind",
    "Service",
    "ServiceCategory",
    "UnknownCode",
    "channel",
    "circumstance",
    "district",
    "districts_of",
    "language",
    "region",
    "service",
    "services_in",
]
