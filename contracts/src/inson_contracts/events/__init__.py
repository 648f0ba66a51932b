"""Every event type of the published language, registered in ``REGISTRY``.

Importing this package imports every events module, so ``REGISTRY`` is full.
"""

from inson_contracts.events import (
    assessment,
    edits,
    intake,
    notification,
    plans,
    platform,
    referral,
    registers,
)
from inson_contracts.events.assessment import (
    AssessmentCompleted,
    AssessmentRecorded,
    HomeVisitScheduled,
    SocialWorkerAssigned,
    SocialWorkerReassigned,
)
from inson_contracts.events.base import (
    REGISTRY,
    Event,
    EventDataError,
    EventRegistry,
    UnknownEventType,
    personal,
)
from inson_contracts.events.edits import (
    ConflictResolution,
    EditConflicted,
    EditConflictResolved,
    EditedCommand,
)
from inson_contracts.events.intake import (
    ApplicationLinkConfirmed,
    ApplicationLinkedToCase,
    ApplicationLinkRefused,
    ApplicationRejected,
    ApplicationSubmitted,
    CaseClosed,
    CaseOpened,
    ErasureBasis,
    PersonErased,
)
from inson_contracts.events.notification import NotificationFailed, NotificationSent
from inson_contracts.events.plans import (
    PlanApproved,
    PlanClosed,
    PlanCompleted,
    PlanDrafted,
    PlanItemCompleted,
    PlanRevised,
    PlanRevisionProposed,
)
from inson_contracts.events.platform import EventDeadLettered, PersonalDataRead
from inson_contracts.events.referral import (
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDelivered,
    ReferralEscalated,
    ReferralExpired,
    ReferralIssued,
    ReferralRejected,
    ReferralStarted,
)
from inson_contracts.events.registers import (
    CareRegisterEntryAdded,
    CareRegisterEntryRemoved,
    TemporaryHousingEndingSoon,
    TemporaryHousingExpired,
    TemporaryHousingGranted,
)
from inson_contracts.personal import PERSONAL_DATA
from inson_contracts.topics import Topic

__all__ = [
    "PERSONAL_DATA",
    "REGISTRY",
    "ApplicationLinkConfirmed",
    "ApplicationLinkRefused",
    "ApplicationLinkedToCase",
    "ApplicationRejected",
    "ApplicationSubmitted",
    "AssessmentCompleted",
    "AssessmentRecorded",
    "CareRegisterEntryAdded",
    "CareRegisterEntryRemoved",
    "CaseClosed",
    "CaseOpened",
    "ConflictResolution",
    "EditConflictResolved",
    "EditConflicted",
    "EditedCommand",
    "ErasureBasis",
    "Event",
    "EventDataError",
    "EventDeadLettered",
    "EventRegistry",
    "HomeVisitScheduled",
    "NotificationFailed",
    "NotificationSent",
    "PersonErased",
    "PersonalDataRead",
    "PlanApproved",
    "PlanClosed",
    "PlanCompleted",
    "PlanDrafted",
    "PlanItemCompleted",
    "PlanRevised",
    "PlanRevisionProposed",
    "ReferralAccepted",
    "ReferralCancelled",
    "ReferralCompleted",
    "ReferralDelivered",
    "ReferralEscalated",
    "ReferralExpired",
    "ReferralIssued",
    "ReferralRejected",
    "ReferralStarted",
    "SocialWorkerAssigned",
    "SocialWorkerReassigned",
    "TemporaryHousingEndingSoon",
    "TemporaryHousingExpired",
    "TemporaryHousingGranted",
    "UnknownEventType",
    "assessment",
    "edits",
    "event_types",
    "intake",
    "notification",
    "personal",
    "plans",
    "platform",
    "referral",
    "registers",
]


def event_types(topic: Topic | str) -> list[str]:
    """The event types a topic carries: those whose class names it as TOPIC."""
    name = topic if isinstance(topic, str) else topic.name
    return [t for t in REGISTRY.types() if name == REGISTRY.class_for(t).TOPIC]
