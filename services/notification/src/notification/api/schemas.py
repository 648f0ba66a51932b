"""What the partner API accepts and answers. Strict on input: unknown fields are errors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

from inson_contracts.codes.geography import DISTRICTS_BY_CODE, REGIONS_BY_CODE
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

    url: WebhookUrl = Field(description="Where deliveries are POSTed.")
    event_types: list[EventType] = Field(min_length=1, max_length=100)
    regions: list[KnownRegion] = Field(default_factory=list, max_length=20)
    districts: list[KnownDistrict] = Field(default_factory=list, max_length=250)
    # Unconstrained here and checked by the handler: a validation error
    # would echo the input, and this input is a secret.
    secret: SecretStr | None = Field(
        default=None,
        description="A Standard Webhooks secret (whsec_ + base64 of 24-64 bytes); "
        "one is generated when omitted. Returned only in this call's answer.",
    )
    description: str | None = Field(default=None, max_length=200)


class SubscriptionOut(BaseModel):
    id: str
    url: str
    event_types: list[str]
    regions: list[str]
    districts: list[str]
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
