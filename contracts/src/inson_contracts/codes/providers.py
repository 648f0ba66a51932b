"""The providers a plan item can be referred to, other than Social service windows.

An Inson center, a health facility, an education body, an employment center,
an NGO partner or another body of each pilot district, and the mahalla
itself (its citizens' assembly) for every mahalla. Windows are the referral
service's own directory (Public Services Centers and their windows).

Shared reference data: assessment checks a plan item's chosen ``provider``
against it, referral routes to it and lets its staff act, and both must agree.
The sources name no provider, so the packaged directory is generated
placeholder data (``contracts/tools/generate_providers.py``): one provider of
each type per pilot district, its code the one referrals have always carried
(``health-1735207``), its name saying it is a placeholder. Mahallas are not
listed: every mahalla of the register in use is a provider of type
``mahalla``, coded ``mahalla-<mahalla code>``, so a replaced register brings
its mahallas along.

It is data, not code: read from ``data/providers.json`` in this package or,
when ``INSON_PROVIDERS_FILE`` names a file, from that file. It is checked as
it is loaded (codes unique and well formed, the type not a window nor a
mahalla, districts known, exactly one default of each type in every pilot
district) and a bad entry stops the load with a message naming it: a referral
routed to a provider nobody staffs would wait for nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, ConfigDict, StringConstraints

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.geography import DISTRICTS_BY_CODE, INSON_PILOT_DISTRICTS, DistrictCode
from inson_contracts.codes.mahallas import mahalla, mahallas
from inson_contracts.codes.names import LocalizedName
from inson_contracts.codes.reference import (
    ReferenceDataError,
    ReferenceFile,
    describe,
    member_list,
    validated,
)
from inson_contracts.codes.service_model import ProviderType

PROVIDERS_FILE_ENV = "INSON_PROVIDERS_FILE"
_PACKAGED = "data/providers.json"

# What fits the contract's Destination.provider (64 characters).
ProviderCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]

# Listed in the file; windows and mahallas come from their own registers.
LISTED_TYPES: tuple[ProviderType, ...] = (
    ProviderType.INSON_CENTER,
    ProviderType.HEALTH_FACILITY,
    ProviderType.EDUCATION_BODY,
    ProviderType.EMPLOYMENT_CENTER,
    ProviderType.NGO_PARTNER,
    ProviderType.OTHER,
)
# The code prefix of each type, as referrals carried it before the directory.
CODE_PREFIX: Mapping[ProviderType, str] = MappingProxyType(
    {
        ProviderType.INSON_CENTER: "inson",
        ProviderType.HEALTH_FACILITY: "health",
        ProviderType.EDUCATION_BODY: "education",
        ProviderType.EMPLOYMENT_CENTER: "employment",
        ProviderType.NGO_PARTNER: "ngo",
        ProviderType.OTHER: "other",
        ProviderType.MAHALLA: "mahalla",
    }
)


def default_code(provider_type: ProviderType, district: str) -> str:
    """The code the generated directory gives a district's provider of a listed type."""
    return f"{CODE_PREFIX[provider_type]}-{district}"


def mahalla_provider_code(mahalla_code: str) -> str:
    return f"mahalla-{mahalla_code}"


class Provider(BaseModel):
    """A body that delivers services to people referred to it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: ProviderCode
    provider_type: ProviderType
    district: DistrictCode
    name: LocalizedName
    # The provider a referral of its type in its district goes to when the
    # plan item names none (a mahalla is always the person's own).
    default: bool = False
    # True while the name is generated, so no screen or letter to a citizen
    # can pass a placeholder off as a real provider.
    placeholder: bool = False
    # For a mahalla: the mahalla it is.
    mahalla: str | None = None


class ProviderDataError(ReferenceDataError):
    """The provider file cannot be used; the message names the file and the entry."""


class _Table(NamedTuple):
    source: str
    listed: tuple[Provider, ...]
    by_code: Mapping[str, Provider]
    defaults: Mapping[tuple[ProviderType, str], Provider]


def _parse(source: str, document: Any) -> _Table:
    by_code: dict[str, Provider] = {}
    defaults: dict[tuple[ProviderType, str], Provider] = {}
    entries = member_list(source, document, "providers", ProviderDataError)
    for number, entry in enumerate(entries, start=1):
        where = describe(source, "provider", number, entry, limit=200)
        provider = validated(Provider, where, entry, ProviderDataError)
        if provider.provider_type not in LISTED_TYPES:
            raise ProviderDataError(
                f"{where}: type {provider.provider_type.value} is not listed here"
                " (windows are the service centers', mahallas the mahalla register's)"
            )
        if provider.mahalla is not None:
            raise ProviderDataError(f"{where}: only a mahalla names a mahalla")
        if provider.district not in DISTRICTS_BY_CODE:
            raise ProviderDataError(f"{where}: unknown district {provider.district}")
        if provider.code in by_code or provider.code.startswith("mahalla-"):
            raise ProviderDataError(f"{where}: code {provider.code} is taken")
        key = (provider.provider_type, provider.district)
        if provider.default:
            if key in defaults:
                raise ProviderDataError(
                    f"{where}: {provider.provider_type.value} of district {provider.district}"
                    f" already has default {defaults[key].code}"
                )
            defaults[key] = provider
        by_code[provider.code] = provider
    # Checked over the whole file: a pilot district without a default of a
    # type would leave its referrals of that type nowhere to go.
    missing = [
        f"{provider_type.value} in {district.code}"
        for district in INSON_PILOT_DISTRICTS
        for provider_type in LISTED_TYPES
        if (provider_type, district.code) not in defaults
    ]
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise ProviderDataError(f"{source}: {len(missing)} defaults missing: {shown}")
    listed = tuple(by_code[code] for code in sorted(by_code))
    return _Table(source, listed, MappingProxyType(by_code), MappingProxyType(defaults))


_FILE = ReferenceFile(
    package="inson_contracts.codes",
    resource=_PACKAGED,
    env=PROVIDERS_FILE_ENV,
    parse=_parse,
    error=ProviderDataError,
)
_table = _FILE.get


def reload_providers() -> None:
    """Forget the loaded directory; the next lookup reads the file again (after
    ``reload_mahallas()``, call this too: mahalla providers follow the register)."""
    _FILE.reload()


def providers_source() -> str:
    return _table().source


def _of_mahalla(code: str) -> Provider:
    place = mahalla(code)
    name = place.name
    return Provider(
        code=mahalla_provider_code(code),
        provider_type=ProviderType.MAHALLA,
        district=place.district_code,
        name=LocalizedName(
            uz_latn=f"{name.uz_latn} fuqarolar yigʻini",
            uz_cyrl=f"{name.uz_cyrl} фуқаролар йиғини",
            ru=f"Сход граждан: {name.ru}",
        ),
        default=True,
        placeholder=place.placeholder,
        mahalla=code,
    )


def provider(code: str) -> Provider:
    """A provider by code, a mahalla's included; UnknownCode if there is none."""
    found = _table().by_code.get(code)
    if found is not None:
        return found
    if code.startswith("mahalla-"):
        return _of_mahalla(code.removeprefix("mahalla-"))
    raise UnknownCode("provider", code)


def providers(district: str | None = None) -> tuple[Provider, ...]:
    """Every listed provider (of a district), by code; then the district's mahallas."""
    listed = tuple(p for p in _table().listed if district in (None, p.district))
    if district is None:
        return listed
    return listed + tuple(_of_mahalla(m.code) for m in mahallas() if m.district_code == district)


def default_provider(provider_type: ProviderType, district: str, mahalla_code: str) -> Provider:
    """Where a referral of this type goes when the plan names no provider.

    A mahalla item goes to the person's own mahalla; the other types to the
    district's default. UnknownCode if the directory has none (a window type,
    or a district outside the pilot).
    """
    if provider_type is ProviderType.MAHALLA:
        return _of_mahalla(mahalla_code)
    found = _table().defaults.get((provider_type, district))
    if found is None:
        raise UnknownCode(f"default {provider_type.value} provider for district", district)
    return found


def serves(chosen: Provider, provider_type: ProviderType, district: str) -> bool:
    """Whether a chosen provider may take an item of this type for a person of this district."""
    return chosen.provider_type is provider_type and chosen.district == district
