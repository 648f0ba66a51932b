"""Fixtures of the referral tests: a movable clock, plan events, and the service's
handlers on a FerretDB database of their own without Kafka (``offline``)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    REGISTRY,
    ApplicationSubmitted,
    CaseOpened,
    Event,
    PersonErased,
    PlanApproved,
    PlanClosed,
    PlanRevised,
)
from inson_contracts.events.intake import Applicant, Consent, ErasureBasis
from inson_contracts.events.plans import ClosureReason
from inson_contracts.events.values import Actor, Address, HouseholdMember, PersonName, PlanItem
from inson_contracts.ids import new_event_id
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.mongo import connect
from inson_runtime.service import Runtime
from inson_runtime.testing import start_groups_at_end
from referral.domain.referral import Referral
from referral.domain.routing import referral_id
from referral.handlers.commands import Referrals
from referral.handlers.policies import ReferralPolicies
from referral.main import compose
from referral.projections.views import ensure_view_indexes
from referral.settings import Settings

DISTRICT = "1735207"  # Beruniy: one center, two windows
MAHALLA = mahallas_of(DISTRICT)[2].code
SUPERVISOR = Actor(id=f"sup-{DISTRICT}", role="supervisor")


class Clock:
    """The handlers' clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC).replace(microsecond=0))


class Plans:
    """Plan events as the assessment service publishes them."""

    def __init__(self, case_id: str, plan_id: str) -> None:
        self.case_id, self.plan_id = case_id, plan_id

    def approved(self, items: list[PlanItem], mahalla: str = MAHALLA) -> PlanApproved:
        return PlanApproved(
            case_id=self.case_id,
            plan_id=self.plan_id,
            plan_version=1,
            region=DISTRICT[:4],
            district=mahalla[:7],
            mahalla=mahalla,
            social_worker_id=f"sw-{DISTRICT}-01",
            items=items,
            approved_by=SUPERVISOR,
            approved_at=datetime.now(UTC),
        )

    def revised(self, items: list[PlanItem], version: int = 2) -> PlanRevised:
        return PlanRevised(
            case_id=self.case_id,
            plan_id=self.plan_id,
            plan_version=version,
            region=DISTRICT[:4],
            district=DISTRICT,
            mahalla=MAHALLA,
            social_worker_id=f"sw-{DISTRICT}-01",
            items=items,
            reason="the family moved in with a relative",
            revised_by=SUPERVISOR,
            revised_at=datetime.now(UTC),
        )

    def closed(self) -> PlanClosed:
        return PlanClosed(
            case_id=self.case_id,
            plan_id=self.plan_id,
            reason=ClosureReason.MOVED_AWAY,
            closed_by=SUPERVISOR,
            closed_at=datetime.now(UTC),
        )

    def envelope(self, event: Event, version: int = 1) -> Envelope:
        return Envelope(
            id=new_event_id(),
            source="inson/assessment",
            type=event.TYPE,
            time=datetime.now(UTC),
            subject=f"assessment-{self.case_id}",
            streamversion=version,
            region=DISTRICT[:4],
            district=DISTRICT,
            data=event.model_dump(mode="json"),
        )

    def referral(self, item_id: str) -> str:
        return referral_id(self.plan_id, item_id)


@pytest.fixture
def plans() -> Callable[[], Plans]:
    return lambda: Plans(f"case-{uuid.uuid4().hex[:12]}", f"plan-{uuid.uuid4().hex[:12]}")


class Applications:
    """Intake's events about one person (one case), as intake records them.

    The applicant is made up; every personal field is set, so a test can look
    for any of them where it must not be.
    """

    NAME = PersonName(last_name="Qodirova", first_name="Malika", patronymic="Rustamovna")
    BORN = date(1948, 5, 17)
    STREET, HOUSE, APARTMENT = "Alisher Navoiy koʻchasi", "12", "3"

    def __init__(self, case_id: str, mahalla: str = MAHALLA) -> None:
        self.case_id, self.mahalla = case_id, mahalla
        self.application_id = f"app-{case_id}"

    def submitted(self) -> ApplicationSubmitted:
        now = datetime.now(UTC)
        return ApplicationSubmitted(
            application_id=self.application_id,
            channel="mahalla_tablet",
            submitted_by=Actor(id=f"sw-{DISTRICT}-01", role="social_worker"),
            submitted_at=now,
            applicant=Applicant(
                pinfl="31705480123456",
                name=self.NAME,
                birth_date=self.BORN,
                sex="female",
                phone="+998901234567",
                language="uz-Latn",
            ),
            address=Address(
                region=self.mahalla[:4],
                district=self.mahalla[:7],
                mahalla=self.mahalla,
                street=self.STREET,
                house=self.HOUSE,
                apartment=self.APARTMENT,
            ),
            household=[
                HouseholdMember(
                    relation="grandchild",
                    name=PersonName(last_name="Qodirov", first_name="Jasur"),
                    birth_date=date(2012, 1, 9),
                )
            ],
            circumstances=["lonely_elderly", "needs_care_by_others"],
            consent=Consent(given=True, given_at=now, text_version="2024-01"),
        )

    def opened(self) -> CaseOpened:
        return CaseOpened(
            case_id=self.case_id,
            application_id=self.application_id,
            region=self.mahalla[:4],
            district=self.mahalla[:7],
            mahalla=self.mahalla,
            circumstances=["lonely_elderly", "needs_care_by_others"],
            household_size=2,
            language="uz-Latn",
            opened_at=datetime.now(UTC),
        )

    def erased(self) -> PersonErased:
        return PersonErased(
            case_id=self.case_id,
            basis=ErasureBasis.SUBJECT_REQUEST,
            reference="ARIZA-2026/17",
            erased_by=Actor(id="admin-1", role="admin"),
            erased_at=datetime.now(UTC),
        )

    def envelope(self, event: Event, version: int, data: dict[str, Any] | None = None) -> Envelope:
        """The event as intake's relay sends it; ``data`` its wire form (sealed)."""
        return Envelope(
            id=new_event_id(),
            source="inson/intake",
            type=event.TYPE,
            time=datetime.now(UTC),
            subject=f"case-{self.case_id}",
            streamversion=version,
            region=self.mahalla[:4],
            district=self.mahalla[:7],
            data=data if data is not None else event.model_dump(mode="json"),
        )


@pytest.fixture
def applications() -> Callable[..., Applications]:
    return lambda case_id, **more: Applications(case_id, **more)


class Offline:
    """The service as composed, on its own database, with Kafka left out.

    Plan events go straight to the policy consumer's handlers and the store's
    commits straight to the projection's, so a test decides when the read
    models catch up. A publish after a commit fails at once and is only
    logged, as the runtime does while Kafka is away.
    """

    def __init__(self, runtime: Runtime, app: FastAPI) -> None:
        self.runtime, self.app = runtime, app
        self.referrals: Referrals = app.state.referrals
        self.policies: ReferralPolicies = app.state.policies
        self.db = runtime.db

    def http(self) -> httpx.AsyncClient:
        """The API in process, without the lifespan: no Kafka, the same database."""
        transport = httpx.ASGITransport(app=self.app)
        return httpx.AsyncClient(transport=transport, base_url="http://referral")

    async def deliver(self, event: Event, envelope: Envelope) -> None:
        policy = next(c for c in self.runtime.consumers if c.group_id.endswith("policy.plans"))
        await policy.handlers[event.TYPE](event, envelope)

    async def project(self) -> None:
        """Apply every commit to the read models; applying one twice changes nothing."""
        projection = self.runtime.projections[0]
        # Only what the projection's topics carry (not, e.g., the access audit's commits).
        cursor = self.runtime.store.commits.find(
            {"topic": {"$in": list(projection.topics)}},
            sort=[("stream_id", 1), ("first_version", 1)],
        )
        async for doc in cursor:
            for raw in doc["events"]:
                envelope = Envelope.model_validate(raw)
                event = REGISTRY.parse(envelope.type, envelope.data)
                await projection.apply(event, envelope, self.db)

    async def load(self, rid: str) -> Referral:
        return await self.referrals.referrals.load(rid)

    def stream_id(self, rid: str) -> str:
        return self.referrals.referrals.stream(rid)

    async def stream(self, rid: str) -> list[Envelope]:
        """The referral's events as stored."""
        return await self.runtime.store.load(self.stream_id(rid))

    async def events(self, rid: str) -> list[str]:
        return [e.type.split(".")[4] for e in await self.stream(rid)]

    async def commits(self) -> int:
        return await self.runtime.store.commits.count_documents({})


async def offline_service(settings: Settings, clock: Clock) -> Offline:
    runtime, app = compose(settings, clock=clock)
    await runtime.store.ensure_indexes()
    await ensure_view_indexes(runtime.db)
    return Offline(runtime, app)


def offline_settings(mongodb_url: str, database: str) -> Settings:
    return Settings(
        service_name=f"referral-offline-{uuid.uuid4().hex[:8]}",
        mongodb_url=mongodb_url,
        mongodb_database=database,
        inline_publish_timeout_s=0.05,
        expire_after_days=30,
    )


def bearer(auth: AuthSettings, role: str, sub: str, **scope: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(sub=sub, role=role, settings=auth, **scope)}"}


@pytest.fixture
def token(auth: AuthSettings) -> Callable[..., dict[str, str]]:
    """Authorization headers: ``token("window_operator", "op-1", service_center=...)``."""
    return lambda role, sub, **scope: bearer(auth, role, sub, **scope)


@pytest.fixture
async def offline(mongodb_url: str, clock: Clock, auth: AuthSettings) -> AsyncIterator[Offline]:
    database = f"test_referral_{uuid.uuid4().hex[:10]}"
    service = await offline_service(offline_settings(mongodb_url, database), clock)
    yield service
    await service.runtime.mongo.drop_database(database)
    await service.runtime.mongo.close()


class SharedDatabase:
    """Several instances of the service on one database: a restart, or two replicas."""

    def __init__(self, mongodb_url: str) -> None:
        self.mongodb_url = mongodb_url
        self.database = f"test_referral_{uuid.uuid4().hex[:10]}"
        self.instances: list[Offline] = []

    async def instance(self, clock: Clock) -> Offline:
        settings = offline_settings(self.mongodb_url, self.database)
        service = await offline_service(settings, clock)
        self.instances.append(service)
        return service


@pytest.fixture
async def shared_database(mongodb_url: str, auth: AuthSettings) -> AsyncIterator[SharedDatabase]:
    shared = SharedDatabase(mongodb_url)
    yield shared
    for service in shared.instances:
        await service.runtime.mongo.close()
    cleanup = connect(mongodb_url)
    await cleanup.drop_database(shared.database)
    await cleanup.close()


@pytest.fixture
def skip_history(kafka_bootstrap: str) -> Callable[[Runtime], Awaitable[None]]:
    """Start a service's consumer groups at the topics' current ends (see below)."""
    # A fresh group would otherwise replay every plan earlier runs left on the
    # shared topic, and issue (and publish) referrals for them.
    return lambda runtime: start_groups_at_end(kafka_bootstrap, runtime.consumers)
