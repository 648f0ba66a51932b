"""The partner API: webhook subscriptions, their deliveries, and replays.

Only ``partner_admin`` may use it, and each sees and manages the
subscriptions they made (another's answer 404, as if absent; see
``handlers/commands.py``). A subscription's data-sharing level is an
administrator's to set, never the partner's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from inson_runtime.apikit import (
    Admin,
    Moment,
    Page,
    PageNo,
    PageSize,
    PartnerAdmin,
    responses,
    skip_of,
)

from notification.api.deps import PartnersDep
from notification.api.schemas import (
    DataSharingIn,
    DeliveryOut,
    ReplayOut,
    SubscriptionCreated,
    SubscriptionDetail,
    SubscriptionIn,
    SubscriptionOut,
)
from notification.domain.webhooks import State

NOT_FOUND = responses({404: "No such subscription of yours"})

router = APIRouter(prefix="/v1", tags=["partner subscriptions"])


@router.get(
    "/event-types",
    response_model=list[str],
    summary="The event types a subscription may name",
)
async def list_event_types(principal: PartnerAdmin, partners: PartnersDep) -> list[str]:
    return partners.event_types()


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
    subscription = await partners.create(
        principal.sub,
        url=str(body.url),
        event_types=body.event_types,
        regions=body.regions,
        districts=body.districts,
        circumstance_categories=body.circumstance_categories,
        service_categories=body.service_categories,
        secret=body.secret.get_secret_value() if body.secret else None,
        description=body.description,
    )
    return SubscriptionCreated.of(subscription, secret=subscription.secret)


@router.get("/subscriptions", response_model=Page[SubscriptionOut], summary="Your subscriptions")
async def list_subscriptions(
    principal: PartnerAdmin, partners: PartnersDep, page: PageNo = 1, page_size: PageSize = 20
) -> Page[SubscriptionOut]:
    found, total = await partners.page(
        principal.sub, skip=skip_of(page, page_size), limit=page_size
    )
    items = [SubscriptionOut.of(s) for s in found]
    return Page(items=items, page=page, page_size=page_size, total=total)


@router.get(
    "/subscriptions/{subscription_id}",
    response_model=SubscriptionDetail,
    responses=NOT_FOUND,
    summary="One subscription, with its deliveries counted by state",
)
async def get_subscription(
    subscription_id: str, principal: PartnerAdmin, partners: PartnersDep
) -> SubscriptionDetail:
    counted = await partners.get(principal.sub, subscription_id)
    return SubscriptionDetail.of(counted.subscription, deliveries=counted.deliveries)


@router.delete(
    "/subscriptions/{subscription_id}",
    status_code=204,
    responses=NOT_FOUND,
    summary="Stop deliveries and forget the subscription and its queue",
)
async def delete_subscription(
    subscription_id: str, principal: PartnerAdmin, partners: PartnersDep
) -> Response:
    await partners.delete(principal.sub, subscription_id)
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
    entries, total = await partners.deliveries(
        principal.sub, subscription_id, state, skip=skip_of(page, page_size), limit=page_size
    )
    items = [DeliveryOut.of(entry) for entry in entries]
    return Page(items=items, page=page, page_size=page_size, total=total)


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
    since: Annotated[Moment, Query(description="ISO 8601 with a UTC offset")],
) -> ReplayOut:
    requeued = await partners.replay(principal.sub, subscription_id, since)
    return ReplayOut(requeued=requeued)


@router.put(
    "/subscriptions/{subscription_id}/data-sharing",
    response_model=SubscriptionOut,
    responses=responses({404: "No such subscription"}),
    summary="Set which personal fields a subscription's webhooks carry (administrators only)",
)
async def set_data_sharing(
    subscription_id: str, body: DataSharingIn, principal: Admin, partners: PartnersDep
) -> SubscriptionOut:
    subscription = await partners.set_sharing(
        principal.sub,
        subscription_id,
        level=body.level,
        personal_fields=body.personal_fields,
        agreement=body.agreement,
    )
    return SubscriptionOut.of(subscription)
