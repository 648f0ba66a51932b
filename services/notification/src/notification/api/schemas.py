"""What the partner API accepts and answers. Strict on input: unknown fields are errors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

from inson_contracts.codes.categories import CircumstanceCategory
from inson_contracts.codes.geography import DISTRICTS_BY_CODE, REGIONS_BY_CODE
from inson_contracts.codes.services import ServiceCategory
from inson_contracts.events.values import DistrictCode, RegionCode
from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    UrlConstraints,
)
from pydantic_core import PydanticCustomError

from notification.domain.sharing import DataSharing, Level
from notification.domain.subscriptions import Subscription, subscribable_types
from notification.domain.webhooks import Entry


# Each rule's error type is the field code an answer gives (api/problems.py).
def _known_region(code: str) -> str:
    if code not in REGIONS_BY_CODE:
        raise PydanticCustomError("unknown_code", "unknown region")
    return code


def _known_district(code: str) -> str:
    if code not in DISTRICTS_BY_CODE:
        raise PydanticCustomError("unknown_code", "unknown district")
    return code


def _subscribable(event_type: str) -> str:
    if event_type not in subscribable_types():
        raise PydanticCustomError(
            "event_type_unknown", "not an event type partners can subscribe to"
        )
    return event_type


WebhookUrl = Annotated[AnyHttpUrl, UrlConstraints(max_length=2048)]
KnownRegion = Annotated[RegionCode, AfterValidator(_known_region)]
KnownDistrict = Annotated[DistrictCode, AfterValidator(_known_district)]
EventType = Annotated[str, Field(max_length=128), AfterValidator(_subscribable)]


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: WebhookUrl = Field(
        description="Where deliveries are POSTed: https to a public address (in the "
        "development profile also plain http to the loopback). The host is resolved now "
        "and before every delivery; loopback, private, link-local, shared, multicast, "
        "reserved and cloud metadata addresses are refused."
    )
    event_types: list[EventType] = Field(min_length=1, max_length=100)
    regions: list[KnownRegion] = Field(
        default_factory=list,
        max_length=20,
        description="Events of these regions; a region with districts listed is narrowed to them.",
    )
    districts: list[KnownDistrict] = Field(
        default_factory=list,
        max_length=250,
        description="Events of these districts; with regions listed, each must lie in one.",
    )
    circumstance_categories: list[CircumstanceCategory] = Field(
        default_factory=list,
        max_length=5,
        description="The purpose: only cases whose circumstances fall under one of these "
        "categories (none: every case).",
    )
    service_categories: list[ServiceCategory] = Field(
        default_factory=list,
        max_length=20,
        description="Only events about services of these categories: a referral's "
        "service, a plan's items, else the case's planned and referred services "
        "(none: every event).",
    )
    # Unconstrained here and checked by the handler: a validation error
    # would echo the input, and this input is a secret.
    secret: SecretStr | None = Field(
        default=None,
        description="A Standard Webhooks secret (whsec_ + base64 of 24-64 bytes); "
        "one is generated when omitted. Returned only in this call's answer.",
    )
    description: str | None = Field(default=None, max_length=200)


class DataSharingOut(BaseModel):
    level: Level = Field(
        description="none: no personal field in a webhook; named_fields: those listed."
    )
    personal_fields: list[str]
    agreement: str | None = None
    set_by: str | None = None
    set_at: datetime | None = None

    @classmethod
    def of(cls, sharing: DataSharing) -> DataSharingOut:
        return cls(
            level=sharing.level,
            personal_fields=list(sharing.personal_fields),
            agreement=sharing.agreement,
            set_by=sharing.set_by,
            set_at=sharing.set_at,
        )


# A reference to a document, as an erasure's: letters, digits and punctuation, no data.
Agreement = Annotated[str, Field(min_length=3, max_length=120, pattern=r"^[A-Za-z0-9 ./№#:_-]+$")]
FieldPath = Annotated[
    str, Field(max_length=120, pattern=r"^[a-z][a-z0-9_]*(\[\])?(\.[a-z][a-z0-9_]*(\[\])?)*$")
]


class DataSharingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: Level
    personal_fields: list[FieldPath] = Field(
        default_factory=list,
        max_length=50,
        description="For named_fields: paths of personal fields in the events' data "
        "(applicant.name, applicant.phone, household[].birth_date; a path names what is "
        "under it), of the subscription's types.",
    )
    agreement: Agreement | None = Field(
        default=None,
        description="For named_fields: the data-sharing agreement that allows them "
        "(its reference, never a person's data).",
    )


class SubscriptionOut(BaseModel):
    id: str
    url: str
    event_types: list[str]
    regions: list[str]
    districts: list[str]
    circumstance_categories: list[str] = Field(default_factory=list)
    service_categories: list[str] = Field(default_factory=list)
    data_sharing: DataSharingOut = Field(
        default_factory=lambda: DataSharingOut(level=Level.NONE, personal_fields=[]),
        description="Set by an administrator; by default no personal data.",
    )
    description: str | None
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, subscription: Subscription, **more: Any) -> Self:
        """Everything but the secret (and ``more``, which a subclass adds)."""
        return cls(
            id=subscription.id,
            url=subscription.url,
            event_types=list(subscription.event_types),
            regions=list(subscription.regions),
            districts=list(subscription.districts),
            circumstance_categories=list(subscription.circumstance_categories),
            service_categories=list(subscription.service_categories),
            data_sharing=DataSharingOut.of(subscription.sharing),
            description=subscription.description,
            created_by=subscription.owner,
            created_at=subscription.created_at,
            **more,
        )


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="Keep it: it is never shown again.")


class SubscriptionDetail(SubscriptionOut):
    deliveries: dict[str, int] = Field(description="Deliveries by state.")


class DeliveryOut(BaseModel):
    event_id: str
    event_type: str
    subject: str
    version: int
    time: datetime
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    delivered_at: datetime | None = None
    dead_at: datetime | None = None

    @classmethod
    def of(cls, entry: Entry) -> DeliveryOut:
        return cls(
            event_id=entry.event_id,
            event_type=entry.event_type,
            subject=entry.subject,
            version=entry.version,
            time=entry.time,
            state=entry.state.value,
            attempts=entry.attempts,
            next_attempt_at=entry.next_attempt_at,
            last_error=entry.last_error,
            delivered_at=entry.delivered_at,
            dead_at=entry.dead_at,
        )


class ReplayOut(BaseModel):
    requeued: int = Field(description="Events queued again; dead deliveries are retried too.")
