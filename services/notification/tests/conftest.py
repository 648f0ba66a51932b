"""Fixtures of the notification tests: a movable clock, contract events as the other
services publish them, and in-process servers on 127.0.0.1 that record and answer as
a test tells them (slow, failing, checking signatures): a partner's webhook receiver,
an SMS gateway or bot API (HTTP, on uvicorn), an SMTP relay's mailbox (aiosmtpd). The
channels themselves are tested against the dev stand-ins (``sinks.py``)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
import uvicorn
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    ApplicationSubmitted,
    CaseClosed,
    CaseOpened,
    Event,
    HomeVisitScheduled,
    PlanApproved,
    PlanRevisionProposed,
    ReferralAccepted,
    ReferralCompleted,
    ReferralDelivered,
    ReferralEscalated,
    ReferralExpired,
    ReferralIssued,
    ReferralRejected,
    SocialWorkerAssigned,
    SocialWorkerReassigned,
    TemporaryHousingEndingSoon,
)
from inson_contracts.events.assessment import AssignmentReason
from inson_contracts.events.intake import Applicant, CaseClosureReason, Consent
from inson_contracts.events.referral import Destination, RejectionCode
from inson_contracts.events.values import Actor, Address, PersonName, PlanItem, Priority, Sex
from inson_contracts.ids import new_event_id

DISTRICT = "1735207"
REGION = "1735"
MAHALLA = mahallas_of(DISTRICT)[0].code
WORKER = f"sw-{DISTRICT}-01"
SUPERVISOR = f"sup-{DISTRICT}"
WINDOW = f"psc-{DISTRICT}-w1"
APPLICANT_NAME = PersonName(last_name="Qodirova", first_name="Zulfiya", patronymic="Karimovna")
PINFL = "41204505012345"
REFERRAL_CODE = "7K3M9Q2P"  # Crockford base32, as referral derives it


class Clock:
    """Real time plus an offset the test moves: the service's clock."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, by: timedelta) -> None:
        self.offset += by


@pytest.fixture
def clock() -> Clock:
    return Clock()


def fresh_phone() -> str:
    return f"+99890{uuid.uuid4().int % 10**7:07d}"


class Samples:
    """Contract events as intake, assessment and referral publish them."""

    def __init__(self) -> None:
        self.case_id = str(uuid.uuid4())
        self.referral_id = str(uuid.uuid4())
        self.registration_id = str(uuid.uuid4())
        self.now = datetime.now(UTC).replace(microsecond=0)

    def envelope(self, event: Event, stream: str, version: int = 1, **extra: Any) -> Envelope:
        return Envelope(
            id=new_event_id(),
            source="inson/test",
            type=type(event).TYPE,
            time=self.now,
            subject=stream,
            dataschema=type(event).dataschema(),
            streamversion=version,
            region=REGION,
            district=DISTRICT,
            correlationid=extra.pop("correlationid", None),
            data=event.model_dump(mode="json"),
        )

    def submitted(self, phone: str | None, language: str = "uz-Cyrl") -> ApplicationSubmitted:
        return ApplicationSubmitted(
            application_id=str(uuid.uuid4()),
            channel="mahalla_tablet",
            submitted_by=Actor(id=WORKER, role="social_worker"),
            submitted_at=self.now,
            applicant=Applicant(
                pinfl=PINFL,
                name=APPLICANT_NAME,
                birth_date=date(1950, 4, 12),
                sex=Sex.FEMALE,
                phone=phone,
                language=language,
            ),
            address=Address(region=REGION, district=DISTRICT, mahalla=MAHALLA, street="Navoiy 5"),
            circumstances=[Circumstance.LONELY_ELDERLY],
            consent=Consent(given=True, given_at=self.now, text_version="2026-01"),
        )

    def opened(self, application_id: str, language: str = "uz-Cyrl") -> CaseOpened:
        return CaseOpened(
            case_id=self.case_id,
            application_id=application_id,
            region=REGION,
            district=DISTRICT,
            mahalla=MAHALLA,
            circumstances=[Circumstance.LONELY_ELDERLY],
            household_size=1,
            language=language,
            opened_at=self.now,
        )

    def assigned(self, worker: str = WORKER) -> SocialWorkerAssigned:
        return SocialWorkerAssigned(
            case_id=self.case_id,
            social_worker_id=worker,
            mahalla=MAHALLA,
            district=DISTRICT,
            caseload_after=3,
            assigned_at=self.now,
        )

    def reassigned(self, to: str) -> SocialWorkerReassigned:
        return SocialWorkerReassigned(
            case_id=self.case_id,
            from_social_worker_id=WORKER,
            to_social_worker_id=to,
            reason=AssignmentReason.CASELOAD_BALANCING,
            note="Oila ko'chib ketdi",
            reassigned_by=Actor(id=SUPERVISOR, role="supervisor"),
            reassigned_at=self.now,
        )

    def visit(self, at: datetime) -> HomeVisitScheduled:
        return HomeVisitScheduled(
            case_id=self.case_id,
            visit_id=str(uuid.uuid4()),
            social_worker_id=WORKER,
            scheduled_for=at,
            scheduled_at=self.now,
        )

    def plan_approved(self, item: PlanItem | None = None) -> PlanApproved:
        item = item or PlanItem(item_id="i1", service_code="HOME-01", provider_type="inson_center")
        return PlanApproved(
            case_id=self.case_id,
            plan_id=str(uuid.uuid4()),
            plan_version=1,
            region=REGION,
            district=DISTRICT,
            mahalla=MAHALLA,
            social_worker_id=WORKER,
            items=[item],
            approved_by=Actor(id=SUPERVISOR, role="supervisor"),
            approved_at=self.now,
        )

    def revision_proposed(self) -> PlanRevisionProposed:
        item = PlanItem(
            item_id="i2",
            service_code="REHAB-01",
            provider_type="health_facility",
            needs=["mobility"],
            provider=f"health-{DISTRICT}",
        )
        return PlanRevisionProposed(
            case_id=self.case_id,
            plan_id="p1",
            items=[item],
            added_services=["REHAB-01"],
            reason="Qodirova Z. oyogʻidan jarohat oldi",
            proposed_by=Actor(id=WORKER, role="social_worker"),
            proposed_at=self.now,
        )

    def case_closed(self) -> CaseClosed:
        return CaseClosed(
            case_id=self.case_id,
            plan_id="p1",
            reason=CaseClosureReason.PLAN_COMPLETED,
            district=DISTRICT,
            closed_at=self.now,
        )

    def issued(
        self,
        provider: ProviderType,
        window: str | None = WINDOW,
        *,
        code: str | None = None,
        replaces: str | None = None,
    ) -> ReferralIssued:
        return ReferralIssued(
            referral_id=self.referral_id,
            case_id=self.case_id,
            plan_id="p1",
            plan_version=1,
            item_id="i1",
            service_code="HOME-01",
            priority=Priority.ROUTINE,
            destination=Destination(
                provider_type=provider,
                district=DISTRICT,
                service_center=f"psc-{DISTRICT}" if window else None,
                window=window,
            ),
            accept_by=datetime(2026, 3, 20, 23, 30, tzinfo=UTC),
            issued_at=self.now,
            referral_code=code,
            replaces=replaces,
        )

    def delivered(self) -> ReferralDelivered:
        return ReferralDelivered(
            referral_id=self.referral_id, case_id=self.case_id, delivered_at=self.now
        )

    def accepted(self) -> ReferralAccepted:
        return ReferralAccepted(
            referral_id=self.referral_id,
            case_id=self.case_id,
            accepted_by=Actor(id="window-op-1", role="window_operator"),
            note="Qizi bilan keladi",
            accepted_at=self.now,
        )

    def completed(self) -> ReferralCompleted:
        return ReferralCompleted(
            referral_id=self.referral_id,
            case_id=self.case_id,
            completed_by=Actor(id="window-op-1", role="window_operator"),
            outcome="Nogironlik aravachasi berildi",
            completed_at=self.now,
        )

    def rejected(self, code: RejectionCode = RejectionCode.DOCUMENTS_MISSING) -> ReferralRejected:
        return ReferralRejected(
            referral_id=self.referral_id,
            case_id=self.case_id,
            code=code,
            reason="Pasport nusxasi yo'q, Qodirova Z.",
            rejected_by=Actor(id="window-op-1", role="window_operator"),
            rejected_at=self.now,
        )

    def expired(self) -> ReferralExpired:
        return ReferralExpired(
            referral_id=self.referral_id, case_id=self.case_id, expired_at=self.now
        )

    def housing_ending(self, last_day: date = date(2026, 9, 1)) -> TemporaryHousingEndingSoon:
        return TemporaryHousingEndingSoon(
            case_id=self.case_id,
            registration_id=self.registration_id,
            valid_until=last_day,
            lead_days=14,
            rule="housing-v1",
            noticed_at=self.now,
        )

    def escalated(self, to: str | None = SUPERVISOR) -> ReferralEscalated:
        return ReferralEscalated(
            referral_id=self.referral_id,
            case_id=self.case_id,
            district=DISTRICT,
            accept_by=self.now - timedelta(hours=5),
            overdue_minutes=300,
            escalation_level=1,
            escalated_to=to,
            escalated_at=self.now,
        )


@pytest.fixture
def samples() -> Samples:
    return Samples()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 200

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeHttp:
    """An HTTP server that records every request and answers as told.

    ``fail_first`` requests are answered ``fail_status``; then ``reply`` with 200.
    ``delay_s`` holds each answer, to catch a client that sends in parallel.
    """

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    reply: dict[str, Any] = field(default_factory=lambda: {"ok": True})
    fail_first: int = 0
    fail_status: int = 503
    delay_s: float = 0.0
    in_flight: int = 0
    max_in_flight: int = 0
    # A partner that checks what it is sent: False answers 401.
    verifier: Callable[[dict[str, str], bytes], bool] | None = None
    # Sent with every failing answer (a redirect's Location).
    fail_headers: dict[str, str] = field(default_factory=dict)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay_s)
        finally:
            self.in_flight -= 1
        failing = len(self.requests) < self.fail_first
        status = self.fail_status if failing else 200
        if self.verifier is not None and not self.verifier(headers, body):
            failing, status = True, 401
        self.requests.append(Received(scope["path"], headers, body, status))
        payload = json.dumps({"error": "down"} if failing else self.reply).encode()
        extra = [(k.encode(), v.encode()) for k, v in self.fail_headers.items()] if failing else []
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json"), *extra],
            }
        )
        await send({"type": "http.response.body", "body": payload})


@contextlib.asynccontextmanager
async def serving(app: FakeHttp) -> AsyncIterator[FakeHttp]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    # uvicorn offers no event to wait on.
    while not server.started:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    app.url = f"http://127.0.0.1:{port}"
    try:
        yield app
    finally:
        server.should_exit = True
        await task
        sock.close()


@pytest.fixture
async def webhook_receiver() -> AsyncIterator[FakeHttp]:
    async with serving(FakeHttp()) as server:
        yield server


class Mailbox:
    """aiosmtpd handler keeping what it was given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"
