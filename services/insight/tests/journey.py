"""Journeys with known timings: every service's events about one case, with set times
and stream versions, as the platform's services record them.

``CaseJourney(case_id, start)`` builds the envelopes of an application through
its home visit, assessment, plan, referrals (one accepted, one refused),
registers, messages, plan completion and closure; each step takes the hours
from ``start`` it is given, so a test knows every duration it should see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    ApplicationSubmitted,
    AssessmentCompleted,
    AssessmentRecorded,
    CareRegisterEntryAdded,
    CaseClosed,
    CaseOpened,
    Event,
    NotificationFailed,
    NotificationSent,
    PlanApproved,
    PlanCompleted,
    ReferralAccepted,
    ReferralIssued,
    ReferralRejected,
    SocialWorkerAssigned,
    TemporaryHousingGranted,
)
from inson_contracts.events.assessment import AssessedMember, HouseholdSituation
from inson_contracts.events.intake import Applicant, Consent
from inson_contracts.events.referral import Destination
from inson_contracts.events.values import Actor, Address, PersonName, PlanItem
from inson_contracts.ids import new_event_id

DISTRICT = "1735207"  # Beruniy
REGION = "1735"
MAHALLA = "1735207001"
WORKER = f"sw-{DISTRICT}-01"
SUPERVISOR = Actor(id=f"sup-{DISTRICT}", role="supervisor")
OPERATOR = Actor(id="op-1", role="window_operator")


@dataclass
class CaseJourney:
    case_id: str
    start: datetime
    mahalla: str = MAHALLA
    channel: str = "mahalla_tablet"
    envelopes: list[Envelope] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)

    @property
    def district(self) -> str:
        return self.mahalla[:7]

    def at(self, hours: float) -> datetime:
        return self.start + timedelta(hours=hours)

    def _record(self, stream: str, event: Event, source: str, when: datetime) -> Envelope:
        version = self.versions.get(stream, 0) + 1
        self.versions[stream] = version
        envelope = Envelope(
            id=new_event_id(),
            source=source,
            type=event.TYPE,
            time=when,
            subject=stream,
            streamversion=version,
            region=self.district[:4],
            district=self.district,
            data=event.model_dump(mode="json"),
        )
        self.envelopes.append(envelope)
        return envelope

    def intake(self, event: Event, when: datetime) -> None:
        self._record(f"case-{self.case_id}", event, "inson/intake", when)

    def assessment(self, event: Event, when: datetime) -> None:
        self._record(f"assessment-{self.case_id}", event, "inson/assessment", when)

    def referral(self, referral_id: str, event: Event, when: datetime) -> None:
        self._record(f"referral-{referral_id}", event, "inson/referral", when)

    def notification(self, notification_id: str, event: Event, when: datetime) -> None:
        self._record(f"notification-{notification_id}", event, "inson/notification", when)

    def applied(self, hours: float = 0) -> CaseJourney:
        when = self.at(hours)
        application_id = f"app-{self.case_id}"
        self.intake(
            ApplicationSubmitted(
                application_id=application_id,
                channel=self.channel,
                submitted_by=Actor(id=WORKER, role="social_worker"),
                submitted_at=when,
                applicant=Applicant(
                    name=PersonName(last_name="Qodirova", first_name="Malika"),
                    birth_date=date(1948, 5, 17),
                    sex="female",
                    language="uz-Latn",
                ),
                address=Address(
                    region=self.district[:4], district=self.district, mahalla=self.mahalla
                ),
                circumstances=["lonely_elderly"],
                consent=Consent(given=True, given_at=when, text_version="2024-01"),
            ),
            when,
        )
        self.intake(
            CaseOpened(
                case_id=self.case_id,
                application_id=application_id,
                region=self.district[:4],
                district=self.district,
                mahalla=self.mahalla,
                circumstances=["lonely_elderly"],
                household_size=1,
                language="uz-Latn",
                opened_at=when,
            ),
            when,
        )
        when = self.at(hours + 0.01)
        self.assessment(
            SocialWorkerAssigned(
                case_id=self.case_id,
                social_worker_id=WORKER,
                mahalla=self.mahalla,
                district=self.district,
                caseload_after=1,
                assigned_at=when,
            ),
            when,
        )
        return self

    def visited(self, hours: float) -> CaseJourney:
        when = self.at(hours)
        situation = HouseholdSituation(
            members=[AssessedMember(member_ref="m1", age=77, sex="female", employment="pensioner")],
            housing="adequate",
        )
        recorded = AssessmentRecorded(
            case_id=self.case_id,
            assessment_id=f"as-{self.case_id}",
            visit_id=f"visit-{self.case_id}",
            social_worker_id=WORKER,
            situation=situation,
            recorded_at=when,
        )
        self.assessment(recorded, when)
        return self

    def assessed(self, hours: float) -> CaseJourney:
        when = self.at(hours)
        completed = AssessmentCompleted(
            case_id=self.case_id,
            assessment_id=f"as-{self.case_id}",
            score_model="scoring-v1",
            need_score=12.5,
            need_level="high",
            contributions=[],
            income_per_person_uzs=0,
            eligible_services=["CASH-01"],
            completed_by=WORKER,
            completed_at=when,
        )
        self.assessment(completed, when)
        return self

    def approved(self, hours: float) -> CaseJourney:
        when = self.at(hours)
        item = PlanItem(
            item_id="item-1",
            service_code="CASH-01",
            provider_type="social_service_window",
            priority="routine",
        )
        approved = PlanApproved(
            case_id=self.case_id,
            plan_id=f"plan-{self.case_id}",
            plan_version=1,
            region=self.district[:4],
            district=self.district,
            mahalla=self.mahalla,
            social_worker_id=WORKER,
            items=[item],
            approved_by=SUPERVISOR,
            approved_at=when,
        )
        self.assessment(approved, when)
        return self

    def referred(self, referral_id: str, hours: float, *, provider_type: str) -> CaseJourney:
        when = self.at(hours)
        issued = ReferralIssued(
            referral_id=referral_id,
            case_id=self.case_id,
            plan_id=f"plan-{self.case_id}",
            plan_version=1,
            item_id=f"item-{referral_id}",
            service_code="CASH-01",
            priority="routine",
            destination=Destination(provider_type=provider_type, district=self.district),
            accept_by=when + timedelta(days=2),
            issued_at=when,
        )
        self.referral(referral_id, issued, when)
        return self

    def accepted(self, referral_id: str, hours: float) -> CaseJourney:
        when = self.at(hours)
        accepted = ReferralAccepted(
            referral_id=referral_id, case_id=self.case_id, accepted_by=OPERATOR, accepted_at=when
        )
        self.referral(referral_id, accepted, when)
        return self

    def refused(self, referral_id: str, hours: float, code: str = "not_eligible") -> CaseJourney:
        when = self.at(hours)
        rejected = ReferralRejected(
            referral_id=referral_id,
            case_id=self.case_id,
            code=code,
            reason="The person already receives it",
            rejected_by=OPERATOR,
            rejected_at=when,
        )
        self.referral(referral_id, rejected, when)
        return self

    def registered(self, hours: float) -> CaseJourney:
        when = self.at(hours)
        entry = CareRegisterEntryAdded(
            case_id=self.case_id,
            entry_id=f"entry-{self.case_id}",
            category="lonely_elderly",
            district=self.district,
            decision_ref="Q-17",
            decided_by=SUPERVISOR,
            decided_at=when,
        )
        self.assessment(entry, when)
        housing = TemporaryHousingGranted(
            case_id=self.case_id,
            registration_id=f"housing-{self.case_id}",
            institution_code="INST-1",
            valid_from=when.date(),
            valid_until=when.date() + timedelta(days=90),
            decided_by=SUPERVISOR,
            decided_at=when,
        )
        self.assessment(housing, when)
        return self

    def messaged(self, hours: float, *, failed: bool = False) -> CaseJourney:
        when = self.at(hours)
        notification_id = f"msg-{self.case_id}-{len(self.envelopes)}"
        common = {
            "notification_id": notification_id,
            "case_id": self.case_id,
            "cause_event_id": "cause-1",
            "recipient_kind": "citizen",
            "recipient": "+998901234567",
            "channel": "sms",
            "template": "application_received",
            "language": "uz-Latn",
            "attempts": 1,
        }
        event: Event
        if failed:
            event = NotificationFailed(
                **common, reason="gateway refused", final=True, failed_at=when
            )
        else:
            event = NotificationSent(**common, sent_at=when)
        self.notification(notification_id, event, when)
        return self

    def completed(self, hours: float) -> CaseJourney:
        when = self.at(hours)
        done = PlanCompleted(
            case_id=self.case_id,
            plan_id=f"plan-{self.case_id}",
            plan_version=1,
            completed_by=WORKER,
            completed_at=when,
        )
        self.assessment(done, when)
        closed = CaseClosed(
            case_id=self.case_id,
            plan_id=f"plan-{self.case_id}",
            reason="plan_completed",
            district=self.district,
            closed_at=when,
        )
        self.intake(closed, when)
        return self
