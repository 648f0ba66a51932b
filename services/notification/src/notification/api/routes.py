"""The partner API: webhook subscriptions, their deliveries, and replays.

Only ``partner_admin`` may use it, and each sees and manages the
subscriptions they made (another's answer 404, as if absent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from inson_runtime.apikit import Problem
from inson_runtime.auth import Principal, Role, require_roles

from notification.api.schemas import (
    DeliveryOut,
    Page,
    ReplayOut,
    SubscriptionCreated,
    SubscriptionDetail,
    SubscriptionIn,
    SubscriptionOut,
)
from notification.domain.signing import BadSecret, new_secret, signing_key
from notification.partners.outbox import PartnerOutbox, State
from notification.partners.subscriptions import (
    Subscription,
    SubscriptionStore,
    subscribable_types,
)


@dataclass(frozen=True)
class Partners:
    """What the routes need, put on ``app.state.partners`` by the composition root."""

    subscriptions: SubscriptionStore
    outbox: PartnerOutbox
    clock: Callable[[], datetime]
    require_https: bool


def _partners(request: Request) -> Partners:
    partners: Partners = request.app.state.partners
    return partners


PartnersDep = Annotated[Partners, Depends(_partners)]
PartnerAdmin = Annotated[Principal, Depends(require_roles(Role.PARTNER_ADMIN))]
PageNo = Annotated[int, Query(ge=1, le=10_000)]
PageSize = Annotated[int, Query(ge=1, le=100)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such subscription of yours"}
}

router = APIRouter(prefix="/v1", tags=["partner subscriptions"])


@router.get("/event-types", summary="The event types a subscription may name")
async def list_event_types(principal: PartnerAdmin) -> list[str]:
    return subscribable_types()


@router.post(
    "/subscriptions",
    status_code=201,
    response_model=SubscriptionCreated,
    summary="Register a webhook; the answer holds its signing secret, shown only this once",
    responses={422: {"description": "Invalid subscription"}},
)
async def create_subscription(
    body: SubscriptionIn, principal: PartnerAdmin, partners: PartnersDep
) -> SubscriptionCreated:
    if partners.require_https and body.url.scheme != "https":
        raise HTTPException(422, "the webhook URL must use https")
    secret = body.secret.get_secret_value() if body.secret else new_secret()
    try:
        signing_key(secret)
    except BadSecret as exc:
        raise HTTPException(422, f"secret: {exc}") from None
    subscription = await partners.subscriptions.create(
        owner=principal.sub,
        url=str(body.url),
        secret=secret,
        event_types=body.event_types,
        regions=body.regions,
        districts=body.districts,
        description=body.description,
        now=partners.clock(),
    )
    return SubscriptionCreated(**subscription.public(), secret=secret)


@router.get("/subscriptions", response_model=Page[SubscriptionOut], summary="Your subscriptions")
async def list_subscriptions(
    principal: PartnerAdmin, partners: PartnersDep, page: PageNo = 1, page_size: PageSize = 20
) -> Page[SubscriptionOut]:
    found, total = await partners.subscriptions.page(
        principal.sub, skip=(page - 1) * page_size, limit=page_size
    )
    items = [SubscriptionOut(**s.public()) for s in found]
    return Page(items=items, page=page, page_size=page_size, total=total)


async def _own(partners: Partners, principal: Principal, subscription_id: str) -> Subscription:
    subscription = await partners.subscriptions.get(subscription_id, principal.sub)
    if subscription is None:
        raise HTTPException(404, f"no subscription {subscription_id}")
    return subscription


@router.get(
    "/subscriptions/{subscription_id}",
    response_model=SubscriptionDetail,
    responses=NOT_FOUND,
    summary="One subscription, with its deliveries counted by state",
)
async def get_subscription(
    subscription_id: str, principal: PartnerAdmin, partners: PartnersDep
) -> SubscriptionDetail:
    subscription = await _own(partners, principal, subscription_id)
    counts = await partners.outbox.counts(subscription.id)
    return SubscriptionDetail(**subscription.public(), deliveries=counts)


@router.delete(
    "/subscriptions/{subscription_id}",
    status_code=204,
    responses=NOT_FOUND,
    summary="Stop deliveries and forget the subscription and its queue",
)
async def delete_subscription(
    subscription_id: str, principal: PartnerAdmin, partners: PartnersDep
) -> Response:
    await _own(partners, principal, subscription_id)
    await partners.subscriptions.delete(subscription_id, principal.sub)
    await partners.outbox.forget(subscription_id)
    return Response(status_code=204)


@router.get(
    "/subscriptions/{subscription_id}/deliveries",
    response_model=Page[DeliveryOut],
    responses=NOT_FOUND,
    summary="Deliveries of a subscription, e.g. state=dead for those given up",
)
async def list_deliveries(
    subscription_id: str,
    principal: PartnerAdmin,
    partners: PartnersDep,
    state: State | None = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
) -> Page[DeliveryOut]:
    subscription = await _own(partners, principal, subscription_id)
    docs, total = await partners.outbox.page(
        subscription.id, state, skip=(page - 1) * page_size, limit=page_size
    )
    items = [_delivery(doc) for doc in docs]
    return Page(items=items, page=page, page_size=page_size, total=total)


def _delivery(doc: dict[str, Any]) -> DeliveryOut:
    waiting = doc["state"] in (State.PENDING.value, State.DELIVERING.value)
    return DeliveryOut(
        event_id=doc["event_id"],
        event_type=doc["event_type"],
        subject=doc["subject"],
        version=doc["version"],
        time=doc["time"],
        state=doc["state"],
        attempts=doc.get("attempts", 0),
        next_attempt_at=doc.get("due_at") if waiting else None,
        last_error=doc.get("last_error"),
        delivered_at=doc.get("delivered_at"),
        dead_at=doc.get("dead_at"),
    )


@router.post(
    "/subscriptions/{subscription_id}/replay",
    status_code=202,
    response_model=ReplayOut,
    responses=NOT_FOUND,
    summary="Deliver again every matching event since a time, in order; retries dead ones",
)
async def replay(
    subscription_id: str,
    principal: PartnerAdmin,
    partners: PartnersDep,
    since: Annotated[datetime, Query(description="ISO 8601 with a UTC offset")],
) -> ReplayOut:
    if since.tzinfo is None:
        raise HTTPException(422, "since must carry a UTC offset, e.g. 2026-03-01T00:00:00Z")
    subscription = await _own(partners, principal, subscription_id)
    requeued = await partners.outbox.replay(subscription, since, partners.clock())
    return ReplayOut(requeued=requeued)
