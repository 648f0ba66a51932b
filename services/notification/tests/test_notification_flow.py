"""The notification service end to end on the real Kafka and FerretDB, with local servers
playing the SMS gateway, the Telegram bot API, the SMTP relay and a partner: contract
events published as the other services publish them become exactly one message each,
in the citizen's language, and NotificationSent events on Kafka."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from inson_contracts.codes.names import CYRILLIC
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    REGISTRY,
    ApplicationSubmitted,
    CaseOpened,
    NotificationFailed,
    NotificationSent,
)
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES, NOTIFICATIONS, REFERRALS
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.mongo import connect
from inson_runtime.service import Runtime
from inson_runtime.testing import free_port, read_envelopes, start_groups_at_end, wait_for
from notification.adapters.deliveries import ADDRESSES, DEFERRED, DELIVERIES
from notification.adapters.webhook_http import WebhookDestinations
from notification.adapters.webhook_outbox import PARTNER_EVENTS
from notification.domain.rules import short_ref
from notification.domain.signing import verify
from notification.handlers.messages import Notifier
from notification.handlers.policies import Policies
from notification.main import compose
from notification.projections.recipients import APPLICATION_CONTACTS, RECIPIENTS
from notification.reference.contacts import CONTACTS_FILE_ENV, reload_directory
from notification.settings import Settings

from .conftest import (
    APPLICANT_NAME,
    DISTRICT,
    REFERRAL_CODE,
    SUPERVISOR,
    WINDOW,
    WORKER,
    Clock,
    FakeHttp,
    Mailbox,
    Samples,
    fresh_phone,
    serving,
)
from .unit.fakes import PUBLIC, FakeResolver

pytestmark = pytest.mark.integration

WORKER_CHAT, SUPERVISOR_CHAT = "5550001", "5550002"
WINDOW_MAIL = "darcha-1@staff.inson.example"
BOT_TOKEN = "123:TEST"


@dataclass
class Service:
    runtime: Runtime
    app: FastAPI
    http: httpx.AsyncClient
    clock: Clock
    auth: AuthSettings
    publisher: EventPublisher
    sms: FakeHttp
    telegram: FakeHttp
    partner: FakeHttp
    mailbox: Mailbox
    kafka: str

    @property
    def notifier(self) -> Notifier:
        policies: Policies = self.app.state.policies
        return policies.notifier

    async def publish(self, topic: str, *envelopes: Envelope) -> None:
        await self.publisher.publish(topic, list(envelopes))

    def sms_to(self, phone: str) -> list[str]:
        """What the gateway accepted for ``phone`` (refused attempts left out)."""
        return [
            r.json()["text"]
            for r in self.sms.requests
            if r.json()["to"] == phone and r.status == 200
        ]

    def chats(self, chat_id: str, ref: str) -> list[str]:
        texts = [r.json()["text"] for r in self.telegram.requests]
        return [
            t
            for r, t in zip(self.telegram.requests, texts, strict=True)
            if r.json()["chat_id"] == chat_id and ref in t
        ]

    def bearer(self, sub: str, role: str = "partner_admin") -> dict[str, str]:
        token = mint_dev_token(sub=sub, role=role, settings=self.auth)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
async def service(
    kafka_bootstrap: str, mongodb_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Service]:
    folder = tmp_path_factory.mktemp("notification")
    contacts = folder / "contacts.json"
    contacts.write_text(
        json.dumps(
            {
                "placeholder": True,
                "social_worker": {WORKER: {"chat_id": WORKER_CHAT}},
                "window": {WINDOW: {"email": WINDOW_MAIL}},
                "supervisor": {SUPERVISOR: {"chat_id": SUPERVISOR_CHAT, "language": "ru"}},
            }
        )
    )
    auth = AuthSettings(dev_key_path=folder / "key.pem")
    mailbox, smtp_port = Mailbox(), free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    broker = make_broker(kafka_bootstrap, client_id="test-notification-publisher")
    await broker.connect()
    clock = Clock()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
        env.setenv(CONTACTS_FILE_ENV, str(contacts))
        reload_directory()
        async with (
            serving(FakeHttp(reply={"id": "gw"})) as sms,
            serving(FakeHttp(reply={"ok": True, "result": {"message_id": 7}})) as telegram,
            serving(FakeHttp()) as partner,
        ):
            settings = Settings(
                service_name=f"notification-test-{uuid.uuid4().hex[:8]}",
                kafka_bootstrap_servers=kafka_bootstrap,
                mongodb_url=mongodb_url,
                outbox_sweep_interval_s=0.5,
                outbox_grace_s=0.2,
                sms_gateway_url=f"{sms.url}/sms",
                sms_gateway_token="gw-token",
                telegram_api_base=telegram.url,
                telegram_bot_token=BOT_TOKEN,
                smtp_host="127.0.0.1",
                smtp_port=smtp_port,
                message_backoff_first_s=60,
                sms_rate_per_s=1000,
                telegram_rate_per_s=1000,
                email_rate_per_s=1000,
                # The tests run the retry job themselves, when they mean to.
                message_retry_interval_s=3600,
                webhook_interval_s=0.2,
            )
            runtime, app = compose(settings, clock=clock)
            await start_groups_at_end(kafka_bootstrap, runtime.consumers)
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://n") as http:
                    yield Service(
                        runtime,
                        app,
                        http,
                        clock,
                        auth,
                        EventPublisher(broker, service="test"),
                        sms,
                        telegram,
                        partner,
                        mailbox,
                        kafka_bootstrap,
                    )
        reload_directory()
    await broker.stop()
    smtp.stop()
    cleanup = connect(mongodb_url)
    await cleanup.drop_database(settings.database_name)
    await cleanup.close()


@pytest.fixture(autouse=True)
def real_time(service: Service) -> None:
    service.clock.offset = timedelta()


async def notification_events(service: Service, cause: Envelope) -> list[Any]:
    found = await read_envelopes(
        service.kafka,
        NOTIFICATIONS.name,
        match=lambda e: e.data.get("cause_event_id") == cause.id,
    )
    return [REGISTRY.parse(e.type, e.data) for e, _ in found]


async def test_an_application_reaches_the_citizen_once_in_their_language(
    service: Service, samples: Samples
) -> None:
    phone, second_phone = fresh_phone(), fresh_phone()
    submitted = samples.submitted(phone, "uz-Cyrl")
    case = f"case-{samples.case_id}"
    first = samples.envelope(submitted, case, 1)
    opened = samples.envelope(samples.opened(submitted.application_id), case, 2)

    await service.publish(INTAKE_CASES.name, first, opened)
    await wait_for(lambda: _true(service.sms_to(phone)), what="the SMS to the applicant")

    # The same record again (a producer retry, a replay), then a later
    # application in the same stream: once that is told, the copy was seen.
    later = samples.envelope(samples.submitted(second_phone, "ru"), case, 3)
    await service.publish(INTAKE_CASES.name, first, later)
    await wait_for(lambda: _true(service.sms_to(second_phone)), what="the second SMS")

    (text,) = service.sms_to(phone)
    assert text.startswith("Инсон: аризангиз қабул қилинди") and short_ref(samples.case_id) in text
    assert APPLICANT_NAME.last_name not in text and phone not in text
    assert CYRILLIC.search(text)
    assert service.sms_to(second_phone)[0].startswith("Инсон: ваше заявление принято")
    request = next(r for r in service.sms.requests if r.json()["to"] == phone)
    assert request.headers["authorization"] == "Bearer gw-token"

    async def sent_on_kafka() -> bool:
        return bool(await notification_events(service, first))

    await wait_for(sent_on_kafka, what="NotificationSent on Kafka")
    (sent,) = await notification_events(service, first)
    assert isinstance(sent, NotificationSent)
    assert (sent.recipient_kind, sent.channel, sent.language) == ("citizen", "sms", "uz-Cyrl")
    assert sent.case_id == samples.case_id and sent.attempts == 1
    assert sent.provider_message_id == "gw" and sent.template == "citizen.application_received"
    assert await service.runtime.db[DELIVERIES].count_documents({"cause_event_id": first.id}) == 1


def _visit(samples: Samples) -> Envelope:
    """A home visit at 10:30 in Tashkent."""
    return samples.envelope(
        samples.visit(datetime(2026, 12, 1, 5, 30, tzinfo=UTC)), f"assessment-{samples.case_id}"
    )


async def _case_opened_before_its_application(
    service: Service, samples: Samples, submitted: Any
) -> None:
    """Publish the case's opening (version 2) alone and wait until the view has the case."""
    case = f"case-{samples.case_id}"
    await service.publish(
        INTAKE_CASES.name, samples.envelope(samples.opened(submitted.application_id, "ru"), case, 2)
    )

    async def case_known() -> bool:
        return await service.runtime.db[RECIPIENTS].find_one({"_id": samples.case_id}) is not None

    await wait_for(case_known, what="the case in the recipients view")


async def _visit_parked(service: Service, samples: Samples, what: str) -> Envelope:
    """Publish a home visit (10:30 in Tashkent) and wait until it waits for a recipient."""
    visit = _visit(samples)
    await service.publish(ASSESSMENT_PLANS.name, visit)

    async def parked() -> bool:
        return await service.runtime.db[DEFERRED].find_one({"_id": visit.id}) is not None

    await wait_for(parked, what=what)
    return visit


async def test_a_visit_told_before_the_case_is_known_waits_for_it(
    service: Service, samples: Samples
) -> None:
    phone = fresh_phone()
    visit = await _visit_parked(service, samples, "the visit waiting for its case")
    submitted = samples.submitted(phone, "ru")
    case = f"case-{samples.case_id}"
    await service.publish(
        INTAKE_CASES.name,
        samples.envelope(submitted, case, 1),
        samples.envelope(samples.opened(submitted.application_id, "ru"), case, 2),
    )

    async def told() -> bool:
        service.clock.advance(timedelta(seconds=6))  # past the waiting event's next look
        await service.notifier.retry_due()
        return len(service.sms_to(phone)) == 2

    await wait_for(told, what="the visit SMS once the case is known")
    # Either may go first: the deferred visit is retried while the application
    # is being told.
    texts = service.sms_to(phone)
    received = next(t for t in texts if "заявление принято" in t)
    visit_text = next(t for t in texts if t is not received)
    assert received.startswith("Инсон: ваше заявление принято")
    assert "1 декабря 2026\u202fг. в 10:30" in visit_text  # Babel: a narrow no-break space
    assert await service.runtime.db[DEFERRED].find_one({"_id": visit.id}) is None


async def test_a_case_known_before_its_application_waits_for_the_phone(
    service: Service, samples: Samples
) -> None:
    # The case was read, its application not (dead-lettered until a replay,
    # or behind in another partition): the citizen's phone is not known yet,
    # which is not the same as having none.
    phone = fresh_phone()
    submitted = samples.submitted(phone, "ru")
    await _case_opened_before_its_application(service, samples, submitted)
    await _visit_parked(service, samples, "the visit waiting for the phone")
    # The application arrives (the replay): the visit goes out.
    await service.publish(
        INTAKE_CASES.name, samples.envelope(submitted, f"case-{samples.case_id}", 1)
    )

    async def told() -> bool:
        service.clock.advance(timedelta(seconds=6))
        await service.notifier.retry_due()
        return any("10:30" in t for t in service.sms_to(phone))

    await wait_for(told, what="the visit SMS once the phone is known")


async def test_a_phone_read_with_the_application_but_not_yet_on_the_case_is_used(
    service: Service, samples: Samples
) -> None:
    # The recipients view writes an application's contact first and copies
    # its phone onto the case second; a message resolved between the two
    # writes (the fault suite's full campaign hit it) must still go out.
    phone = fresh_phone()
    submitted = samples.submitted(phone, "ru")
    await _case_opened_before_its_application(service, samples, submitted)
    await service.runtime.db[APPLICATION_CONTACTS].insert_one(
        {"_id": submitted.application_id, "phone": phone, "language": "ru"}
    )
    visit = _visit(samples)
    await service.publish(ASSESSMENT_PLANS.name, visit)

    await wait_for(
        lambda: _true(any("10:30" in t for t in service.sms_to(phone))), what="the visit SMS"
    )
    assert await service.runtime.db[DEFERRED].find_one({"_id": visit.id}) is None


async def test_workers_supervisors_and_windows_are_told_on_their_channels(
    service: Service, samples: Samples
) -> None:
    ref, referral_ref = short_ref(samples.case_id), short_ref(samples.referral_id)
    assessment = f"assessment-{samples.case_id}"
    await service.publish(ASSESSMENT_PLANS.name, samples.envelope(samples.assigned(), assessment))
    await wait_for(lambda: _true(service.chats(WORKER_CHAT, ref)), what="the worker's chat")
    assert service.chats(WORKER_CHAT, ref) == [f"Inson: sizga yangi murojaat biriktirildi: {ref}."]
    assert service.telegram.requests[-1].path == f"/bot{BOT_TOKEN}/sendMessage"

    async def worker_known() -> bool:
        doc = await service.runtime.db[RECIPIENTS].find_one({"_id": samples.case_id})
        return bool(doc and doc.get("worker_id") == WORKER)

    await wait_for(worker_known, what="the case's worker in the read model")
    referral = f"referral-{samples.referral_id}"
    await service.publish(
        REFERRALS.name,
        samples.envelope(samples.issued(ProviderType.SOCIAL_SERVICE_WINDOW), referral, 1),
        samples.envelope(samples.delivered(), referral, 2),
        samples.envelope(samples.escalated(), referral, 3),
    )

    def mails() -> list[str]:
        return [m.get_content() for m in service.mailbox.messages if referral_ref in str(m)]

    await wait_for(lambda: _true(mails()), what="the window's e-mail")
    await wait_for(
        lambda: _true(service.chats(SUPERVISOR_CHAT, referral_ref)), what="the supervisor"
    )
    (mail,) = [m for m in service.mailbox.messages if referral_ref in m.get_content()]
    assert mail["To"] == WINDOW_MAIL and mail["Subject"] == "Inson: xabarnoma"
    # The service by name, and by the code the window's registers know.
    assert (
        "xizmat «Yolgʻiz keksalar va nogironligi boʻlgan shaxslarga uyda ijtimoiy xizmat» (HOME-01)"
        in mail.get_content()
    )
    (escalation,) = service.chats(WORKER_CHAT, referral_ref)
    assert "rahbarga yuborildi (1-bosqich)" in escalation
    (to_supervisor,) = service.chats(SUPERVISOR_CHAT, referral_ref)
    assert to_supervisor.startswith("Инсон: направление")  # the supervisor reads Russian


async def test_the_citizen_gets_the_referral_code_and_the_worker_hears_of_an_expiry(
    service: Service, samples: Samples
) -> None:
    phone, later_phone = fresh_phone(), fresh_phone()
    case, assessment = f"case-{samples.case_id}", f"assessment-{samples.case_id}"
    submitted = samples.submitted(phone, "uz-Latn")
    await service.publish(
        INTAKE_CASES.name,
        samples.envelope(submitted, case, 1),
        samples.envelope(samples.opened(submitted.application_id, "uz-Latn"), case, 2),
    )
    await service.publish(ASSESSMENT_PLANS.name, samples.envelope(samples.assigned(), assessment))

    async def citizen_and_worker_known() -> bool:
        doc = await service.runtime.db[RECIPIENTS].find_one({"_id": samples.case_id})
        return bool(doc and doc.get("phone") == phone and doc.get("worker_id") == WORKER)

    await wait_for(citizen_and_worker_known, what="the case's citizen and worker")
    referral = f"referral-{samples.referral_id}"
    issued = samples.issued(ProviderType.HEALTH_FACILITY, window=None, code=REFERRAL_CODE)
    await service.publish(
        REFERRALS.name,
        samples.envelope(issued, referral, 1),
        samples.envelope(samples.expired(), referral, 2),
    )

    def coded() -> list[str]:
        return [t for t in service.sms_to(phone) if REFERRAL_CODE in t]

    referral_ref = short_ref(samples.referral_id)
    await wait_for(lambda: _true(coded()), what="the referral code to the citizen")
    await wait_for(
        lambda: _true(service.chats(WORKER_CHAT, referral_ref)), what="the expiry to the worker"
    )
    (text,) = coded()
    assert "«Yolgʻiz keksalar va nogironligi boʻlgan shaxslarga uyda ijtimoiy xizmat»" in text
    assert APPLICANT_NAME.last_name not in text and not CYRILLIC.search(text)
    (expiry,) = service.chats(WORKER_CHAT, referral_ref)
    assert "muddati tugadi" in expiry

    # Issue 19's new events, each followed in its stream (same partition) by
    # one that is told: the message group reads past them. The proposal is
    # sealed as assessment's store seals it (its reason and goals are personal).
    closed = samples.envelope(samples.case_closed(), case, 3)
    proposal = samples.envelope(samples.revision_proposed(), assessment, 2)
    sealed = await service.runtime.sealer.seal(proposal.type, proposal.data, proposal.subject)
    proposal = proposal.model_copy(update={"data": sealed})
    await service.publish(
        INTAKE_CASES.name, closed, samples.envelope(samples.submitted(later_phone, "ru"), case, 4)
    )
    await service.publish(
        ASSESSMENT_PLANS.name,
        proposal,
        samples.envelope(samples.visit(datetime(2026, 12, 2, 4, 0, tzinfo=UTC)), assessment, 3),
    )
    await wait_for(lambda: _true(service.sms_to(later_phone)), what="the later application")
    # The later application brings its phone to the case: the visit (09:00 in
    # Tashkent) goes to whichever phone the case had when it was told.
    await wait_for(
        lambda: _true([t for p in (phone, later_phone) for t in service.sms_to(p) if "09:00" in t]),
        what="the visit",
    )
    # The partner feed kept both for subscribers, the proposal still sealed.
    kept = service.runtime.db[PARTNER_EVENTS]

    async def both_kept() -> bool:
        return await kept.count_documents({"_id": {"$in": [closed.id, proposal.id]}}) == 2

    await wait_for(both_kept, what="the partner feed to keep both events")
    stored = await kept.find_one({"_id": proposal.id})
    assert stored is not None and "sealed" in stored["envelope"]["data"]
    assert "reason" not in stored["envelope"]["data"]


async def test_the_citizen_and_the_worker_hear_that_temporary_housing_ends(
    service: Service, samples: Samples
) -> None:
    phone = fresh_phone()
    case, assessment = f"case-{samples.case_id}", f"assessment-{samples.case_id}"
    submitted = samples.submitted(phone, "uz-Cyrl")
    await service.publish(
        INTAKE_CASES.name,
        samples.envelope(submitted, case, 1),
        samples.envelope(samples.opened(submitted.application_id, "uz-Cyrl"), case, 2),
    )
    await service.publish(ASSESSMENT_PLANS.name, samples.envelope(samples.assigned(), assessment))

    async def citizen_and_worker_known() -> bool:
        doc = await service.runtime.db[RECIPIENTS].find_one({"_id": samples.case_id})
        return bool(doc and doc.get("phone") == phone and doc.get("worker_id") == WORKER)

    await wait_for(citizen_and_worker_known, what="the case's citizen and worker")
    ending = samples.envelope(samples.housing_ending(), assessment, 7)
    await service.publish(ASSESSMENT_PLANS.name, ending, ending)  # and once more, redelivered

    def told() -> list[str]:
        return [t for t in service.sms_to(phone) if "тугайди" in t]

    registration_ref = short_ref(samples.registration_id)
    await wait_for(lambda: _true(told()), what="the citizen told of the end")
    await wait_for(
        lambda: _true(service.chats(WORKER_CHAT, registration_ref)), what="the worker told"
    )

    async def both_on_kafka() -> bool:
        return len(await notification_events(service, ending)) == 2

    await wait_for(both_on_kafka, what="NotificationSent for both on Kafka")
    (text,) = told()
    assert "1 сентябр, 2026" in text and short_ref(samples.case_id) in text
    assert APPLICANT_NAME.last_name not in text and phone not in text
    (chat,) = service.chats(WORKER_CHAT, registration_ref)
    assert chat.startswith("Inson: murojaat") and "tugaydi" in chat
    sent = await notification_events(service, ending)
    assert sorted(e.template for e in sent) == ["citizen.housing_ending", "worker.housing_ending"]


async def test_an_outage_is_retried_and_a_crash_before_sending_is_made_good(
    service: Service, samples: Samples
) -> None:
    phone = fresh_phone()
    service.sms.fail_first = len(service.sms.requests) + 1  # the next request fails
    first = samples.envelope(samples.submitted(phone, "uz-Latn"), f"case-{samples.case_id}")
    await service.publish(INTAKE_CASES.name, first)

    async def failed_once() -> bool:
        doc = await service.runtime.db[DELIVERIES].find_one({"cause_event_id": first.id})
        return bool(doc and doc["status"] == "failed-retryable")

    await wait_for(failed_once, what="the first attempt to fail")
    await service.notifier.retry_due()
    assert service.sms_to(phone) == []  # not due yet: the backoff holds
    service.clock.advance(timedelta(seconds=61))
    await service.notifier.retry_due()
    assert len(service.sms_to(phone)) == 1
    await service.notifier.retry_due()
    assert len(service.sms_to(phone)) == 1

    async def both_recorded() -> bool:
        return len(await notification_events(service, first)) == 2

    await wait_for(both_recorded, what="NotificationFailed then NotificationSent")
    failed, sent = await notification_events(service, first)
    assert isinstance(failed, NotificationFailed) and not failed.final and failed.attempts == 1
    assert failed.reason == "provider answered HTTP 503"
    assert isinstance(sent, NotificationSent) and sent.attempts == 2
    entry = await service.runtime.db[DELIVERIES].find_one({"cause_event_id": first.id})
    assert entry is not None and entry["status"] == "sent"
    assert (entry["recorded"], entry["unrecorded"]) == (2, False)

    # A process died between writing "sending" and calling the gateway; and
    # another entry was sent before: the job sends the first, never the second.
    log, addresses = service.runtime.db[DELIVERIES], service.runtime.db[ADDRESSES]
    crashed = await log.find_one({"cause_event_id": first.id})
    assert crashed is not None
    its_address = await addresses.find_one({"_id": crashed["_id"]})
    assert its_address is not None and its_address["address"] == phone
    lost_phone = fresh_phone()
    past = service.clock() - timedelta(minutes=5)
    lost = []
    for n, status in enumerate(("sending", "sent")):
        lost.append(f"crash-{n}-{uuid.uuid4()}")
        await log.insert_one(
            crashed
            | {
                "_id": lost[-1],
                "cause_event_id": f"e-{n}-{uuid.uuid4()}",
                "status": status,
                "attempts": 1,
                "due_at": past,
                "outcomes": [],
                "recorded": 0,
                "unrecorded": False,
            }
        )
        await addresses.insert_one(its_address | {"_id": lost[-1], "address": lost_phone})
    # And one whose text cannot be written (a template out of step): failed for good.
    broken = crashed | {"_id": f"broken-{uuid.uuid4()}", "cause_event_id": f"e-{uuid.uuid4()}"}
    await log.insert_one(broken | {"status": "sending", "due_at": past})
    await addresses.insert_one(its_address | {"_id": broken["_id"], "params": {}})
    await service.notifier.retry_due()
    await service.notifier.retry_due()
    assert len(service.sms_to(lost_phone)) == 1
    assert await log.count_documents({"_id": {"$in": lost}, "status": "sent"}) == 2
    given_up = await log.find_one({"_id": broken["_id"]})
    assert given_up is not None and given_up["status"] == "failed"
    assert given_up["outcomes"][-1]["reason"] == "message cannot be written: KeyError"


async def test_a_partner_subscription_gets_signed_events_in_order_and_can_replay(
    service: Service, samples: Samples
) -> None:
    partner = service.bearer("partner-sos")
    created = await service.http.post(
        "/v1/subscriptions",
        headers=partner,
        json={
            "url": f"{service.partner.url}/inson",
            "event_types": [ApplicationSubmitted.TYPE, CaseOpened.TYPE],
            "districts": [DISTRICT],
            "description": "SOS Children's Villages",
        },
    )
    assert created.status_code == 201, created.text
    subscription = created.json()
    secret = subscription["secret"]
    assert secret.startswith("whsec_")
    service.partner.fail_first = len(service.partner.requests) + 2

    samples.now = datetime.now(UTC)
    submitted = samples.submitted(None)
    case = f"case-{samples.case_id}"
    events = [
        samples.envelope(submitted, case, 1),
        samples.envelope(samples.opened(submitted.application_id), case, 2),
    ]
    await service.publish(INTAKE_CASES.name, *events)

    def delivered() -> list[dict[str, Any]]:
        return [
            r.json()
            for r in service.partner.requests
            if r.json()["subject"] == case
            and verify(
                secret,
                r.headers["webhook-id"],
                int(r.headers["webhook-timestamp"]),
                r.body,
                r.headers["webhook-signature"],
            )
        ]

    async def caught_up() -> bool:
        service.clock.advance(timedelta(seconds=10))  # through the backoff, quickly
        return len(delivered()) >= 4  # two failed attempts, then both events

    path = f"/v1/subscriptions/{subscription['id']}"

    async def both_delivered() -> bool:
        detail = (await service.http.get(path, headers=partner)).json()
        return bool(detail["deliveries"]["delivered"] == 2)

    await wait_for(caught_up, what="the partner's deliveries")
    await wait_for(both_delivered, what="the deliveries marked delivered")
    assert [e["streamversion"] for e in delivered()] == [1, 1, 1, 2]
    assert delivered()[-1]["id"] == events[1].id and delivered()[-1]["data"]["case_id"]
    detail = (await service.http.get(path, headers=partner)).json()
    assert "secret" not in detail and detail["deliveries"]["dead"] == 0
    listed = (await service.http.get("/v1/subscriptions", headers=partner)).json()
    assert [s["id"] for s in listed["items"]] == [subscription["id"]]
    assert "secret" not in listed["items"][0]
    done = (await service.http.get(f"{path}/deliveries", headers=partner)).json()
    assert [d["state"] for d in done["items"]] == ["delivered", "delivered"]

    since = (samples.now - timedelta(seconds=1)).isoformat()
    replay = await service.http.post(f"{path}/replay", params={"since": since}, headers=partner)
    # Other runs on the shared topics may add theirs; this case's two are among them.
    assert replay.status_code == 202 and replay.json()["requeued"] >= 2
    await wait_for(lambda: _true(len(delivered()) >= 6), what="the replay")
    assert [e["streamversion"] for e in delivered()[4:]] == [1, 2]

    assert (await service.http.delete(path, headers=partner)).status_code == 204
    assert (await service.http.get(path, headers=partner)).status_code == 404


async def test_the_partner_api_is_for_partner_admins_and_keeps_secrets(
    service: Service,
) -> None:
    # As in production, with partner.example at a public address.
    partners = service.app.state.partners
    resolver = FakeResolver({"partner.example": PUBLIC})
    service.app.state.partners = replace(
        partners, destinations=WebhookDestinations(resolver, development=False)
    )
    try:
        await _partner_api_checks(service)
    finally:
        service.app.state.partners = partners


async def _partner_api_checks(service: Service) -> None:
    body = {"url": "https://partner.example/hook", "event_types": [CaseOpened.TYPE]}
    assert (await service.http.post("/v1/subscriptions", json=body)).status_code == 401
    worker = service.bearer(WORKER, role="social_worker")
    assert (await service.http.get("/v1/subscriptions", headers=worker)).status_code == 403
    mine, theirs = service.bearer("partner-a"), service.bearer("partner-b")

    bad_secret = "whsec_tooshort-but-secret"
    refused = await service.http.post(
        "/v1/subscriptions", headers=mine, json=body | {"secret": bad_secret}
    )
    assert refused.status_code == 422 and bad_secret not in refused.text
    assert refused.json()["errors"][0]["pointer"] == "/body/secret"
    unknown = await service.http.post(
        "/v1/subscriptions", headers=mine, json=body | {"event_types": ["uz.inson.x.y.z.v1"]}
    )
    assert unknown.status_code == 422
    nowhere = await service.http.post(
        "/v1/subscriptions", headers=mine, json=body | {"districts": ["9999999"]}
    )
    assert nowhere.status_code == 422
    plain = await service.http.post(
        "/v1/subscriptions", headers=mine, json=body | {"url": "http://partner.example/h"}
    )
    assert plain.status_code == 422
    created = await service.http.post("/v1/subscriptions", headers=mine, json=body)
    assert created.status_code == 201

    path = f"/v1/subscriptions/{created.json()['id']}"
    assert (await service.http.get(path, headers=theirs)).status_code == 404
    assert (await service.http.delete(path, headers=theirs)).status_code == 404
    naive = await service.http.post(
        f"{path}/replay", params={"since": "2026-01-01T00:00:00"}, headers=mine
    )
    assert naive.status_code == 422
    types = (await service.http.get("/v1/event-types", headers=mine)).json()
    assert CaseOpened.TYPE in types and NotificationSent.TYPE not in types

    # An administrator sees every partner's subscriptions (to set what each may
    # receive); a partner administrator may not list them.
    other = await service.http.post("/v1/subscriptions", headers=theirs, json=body)
    admin = service.bearer("admin-1", role="admin")
    every = "/v1/admin/subscriptions"
    assert (await service.http.get(every, headers=mine)).status_code == 403
    listed = (await service.http.get(every, headers=admin, params={"page_size": 100})).json()
    ids = {s["id"] for s in listed["items"]}
    assert {created.json()["id"], other.json()["id"]} <= ids
    assert all("secret" not in s for s in listed["items"])
    one = (await service.http.get(every, headers=admin, params={"owner": "partner-b"})).json()
    assert [(s["id"], s["created_by"]) for s in one["items"]] == [(other.json()["id"], "partner-b")]
    assert one["items"][0]["data_sharing"]["level"] == "none"
    assert (await service.http.delete(path, headers=mine)).status_code == 204


async def _true(value: object) -> bool:
    return bool(value)
