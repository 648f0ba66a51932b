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
    answer,
    example_request,
    responses,
    skip_of,
)

from notification.api import examples
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
    description="A partner agency's administrator reads the types of the platform's "
    "events (the contracts' catalogue: cases opened and closed, plans approved, referrals "
    "issued, accepted, completed, ...) that a subscription may name in `event_types`.",
    responses=answer("The subscribable event types", examples.EVENT_TYPES),
)
async def list_event_types(principal: PartnerAdmin, partners: PartnersDep) -> list[str]:
    return partners.event_types()


@router.post(
    "/subscriptions",
    status_code=201,
    response_model=SubscriptionCreated,
    summary="Register a webhook; the answer holds its signing secret, shown only this once",
    description="A partner agency's administrator subscribes an HTTPS endpoint of theirs to "
    "event types (`GET /v1/event-types`), optionally only for some regions or districts "
    "(a district narrows its region; one outside the listed regions is refused) and bound "
    "to a purpose: circumstance categories (child protection, disability, older people, "
    "low income, homelessness) and service categories. "
    "From then on each matching event is POSTed to the URL as JSON, signed as Standard "
    "Webhooks are (`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256 "
    "with the subscription's secret), one at a time per case or referral in the order "
    "they happened, retried with backoff until delivered or dead. The secret is "
    "generated unless given, and returned only in this answer: keep it to verify "
    "deliveries. The body carries no personal field until an administrator sets the "
    "subscription's data-sharing level (`PUT .../data-sharing`).",
    responses={
        **answer("The subscription, with its secret", examples.SUBSCRIPTION_CREATED, status=201),
        422: {"description": "Invalid subscription"},
    },
    openapi_extra=example_request(examples.SUBSCRIPTION_REQUEST),
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


@router.get(
    "/subscriptions",
    response_model=Page[SubscriptionOut],
    summary="Your subscriptions",
    description="The subscriptions the calling partner administrator made (never another "
    "partner's), without their secrets.",
    responses=answer("One page of your subscriptions", examples.SUBSCRIPTIONS),
)
async def list_subscriptions(
    principal: PartnerAdmin, partners: PartnersDep, page: PageNo = 1, page_size: PageSize = 20
) -> Page[SubscriptionOut]:
    found, total = await partners.page(
        principal.sub, skip=skip_of(page, page_size), limit=page_size
    )
    items = [SubscriptionOut.of(s) for s in found]
    return Page(items=items, page=page, page_size=page_size, total=total)


@router.get(
    "/admin/subscriptions",
    response_model=Page[SubscriptionOut],
    summary="Every partner's subscriptions (administrators only)",
    description="All partner agencies' subscriptions, oldest first, without their "
    "secrets, each with its data-sharing level and who made it (`created_by`): what an "
    "administrator reviews before setting a level. `owner` keeps one partner "
    "administrator's.",
    responses=answer("One page of the subscriptions", examples.SUBSCRIPTIONS),
)
async def list_every_subscription(
    principal: Admin,
    partners: PartnersDep,
    owner: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
) -> Page[SubscriptionOut]:
    found, total = await partners.every(owner, skip=skip_of(page, page_size), limit=page_size)
    items = [SubscriptionOut.of(s) for s in found]
    return Page(items=items, page=page, page_size=page_size, total=total)


@router.get(
    "/subscriptions/{subscription_id}",
    response_model=SubscriptionDetail,
    responses=answer("The subscription and its deliveries by state", examples.SUBSCRIPTION)
    | NOT_FOUND,
    summary="One subscription, with its deliveries counted by state",
    description="One of the caller's subscriptions (another partner's answers 404, as if "
    "absent), without its secret, and how many of its deliveries are pending, being "
    "delivered, delivered, dead (retries exhausted) or blocked behind a dead one.",
)
async def get_subscription(
    subscription_id: str, principal: PartnerAdmin, partners: PartnersDep
) -> SubscriptionDetail:
    counted = await partners.get(principal.sub, subscription_id)
    return SubscriptionDetail.of(counted.subscription, deliveries=counted.deliveries)


@router.delete(
    "/subscriptions/{subscription_id}",
    status_code=204,
    responses=answer("Deleted", status=204) | NOT_FOUND,
    summary="Stop deliveries and forget the subscription and its queue",
    description="The partner administrator ends one of their subscriptions: nothing more "
    "is sent to its URL, and the deliveries still queued are dropped.",
)
async def delete_subscription(
    subscription_id: str, principal: PartnerAdmin, partners: PartnersDep
) -> Response:
    await partners.delete(principal.sub, subscription_id)
    return Response(status_code=204)


@router.get(
    "/subscriptions/{subscription_id}/deliveries",
    response_model=Page[DeliveryOut],
    responses=answer("One page of deliveries", examples.DELIVERIES) | NOT_FOUND,
    summary="Deliveries of a subscription, e.g. state=dead for those given up",
    description="What was sent to one of the caller's subscriptions, or is waiting to be: "
    "each event (id, type, subject, version, time), its state, the attempts made, the "
    "next one and the last error. A `dead` delivery exhausted its retries and holds the "
    "events of the same case or referral behind it (`blocked`) until a replay.",
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
    responses=answer("How many events were queued again", examples.REPLAY, status=202) | NOT_FOUND,
    summary="Deliver again every matching event since a time, in order; retries dead ones",
    description="After an outage at the partner, or to fill a new endpoint, the partner "
    "administrator queues again every event matching the subscription since `since` "
    "(with a UTC offset), in order; dead deliveries are retried too, releasing those "
    "blocked behind them. Delivery happens in the background: the answer says how many "
    "were queued.",
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
    responses=answer("The subscription with its new level", examples.SUBSCRIPTION_SHARED)
    | responses({404: "No such subscription"}),
    summary="Set which personal fields a subscription's webhooks carry (administrators only)",
    description="What a partner may receive follows its data-sharing agreement, so an "
    "administrator sets it, never the partner. `none` (the default): webhook bodies hold "
    "ids, codes, areas and dates, and each personal field is withheld (named under "
    "`sealed`, without its value). `named_fields`: the listed paths of the events' data "
    "(`applicant.name`, `applicant.phone`, `household[].birth_date`; a path covers what "
    "is under it) are sent in clear, with the agreement that allows them. The level in "
    "force when a delivery is attempted applies, retries and replays included; after an "
    "erasure the fields are gone whatever the level.",
    openapi_extra=example_request(examples.DATA_SHARING_REQUEST),
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
