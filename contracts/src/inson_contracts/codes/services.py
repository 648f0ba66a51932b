"""The service catalogue: kinds of social services and assistance a plan can use.

Codes are ``<CATEGORY PREFIX>-<two digits>`` (``HOME-01``, ``REHAB-03``) and,
once published, never change meaning: a service that is withdrawn keeps its
code retired rather than reused. The entries are a working catalogue written
for this platform (see the docstrings of ``services_care``,
``services_support`` and ``services_benefits``), not NASP's official register.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from inson_contracts.codes._index import index
from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.service_model import (
    CATEGORY_PREFIX,
    EMERGENCY_DAYS,
    STANDARD_DAYS,
    URGENT_DAYS,
    ProviderType,
    Service,
    ServiceCategory,
)
from inson_contracts.codes.services_benefits import (
    CASH_ASSISTANCE,
    EDUCATION,
    EMPLOYMENT,
    IN_KIND_ASSISTANCE,
)
from inson_contracts.codes.services_care import (
    DISABILITY_SUPPORT,
    HEALTH,
    HOME_CARE,
    REHABILITATION_DEVICES,
)
from inson_contracts.codes.services_support import CHILD_PROTECTION, FAMILY_SUPPORT, HOUSING

__all__ = [
    "CATEGORY_PREFIX",
    "EMERGENCY_DAYS",
    "SERVICES",
    "SERVICES_BY_CODE",
    "STANDARD_DAYS",
    "URGENT_DAYS",
    "ProviderType",
    "Service",
    "ServiceCategory",
    "service",
    "services_in",
]

SERVICES: tuple[Service, ...] = (
    *HOME_CARE,
    *DISABILITY_SUPPORT,
    *REHABILITATION_DEVICES,
    *HOUSING,
    *CHILD_PROTECTION,
    *FAMILY_SUPPORT,
    *CASH_ASSISTANCE,
    *IN_KIND_ASSISTANCE,
    *EMPLOYMENT,
    *HEALTH,
    *EDUCATION,
)

SERVICES_BY_CODE: Mapping[str, Service] = index(SERVICES, lambda s: s.code, kind="service")

_BY_CATEGORY: Mapping[ServiceCategory, tuple[Service, ...]] = MappingProxyType(
    {category: tuple(s for s in SERVICES if s.category is category) for category in ServiceCategory}
)


def service(code: str) -> Service:
    try:
        return SERVICES_BY_CODE[code]
    except KeyError:
        raise UnknownCode("service", code) from None


def services_in(category: ServiceCategory | str) -> tuple[Service, ...]:
    """The services of a category in catalogue order; UnknownCode if it is no category."""
    try:
        return _BY_CATEGORY[ServiceCategory(category)]
    except ValueError:
        raise UnknownCode("service category", category) from None
