"""Assessment: the social worker, the home visit and the assessment of need.

Stream: ``assessment-<case_id>``, one per case, on the assessment topic.
Register decisions and plans are in :mod:`inson_contracts.events.plans`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from inson_contracts.events.base import REGISTRY, Event, personal
from inson_contracts.events.values import (
    Actor,
    ActorId,
    DistrictCode,
    Id,
    MahallaCode,
    Note,
    Relation,
    ServiceCode,
    Sex,
    Value,
)
from inson_contracts.topics import ASSESSMENT_PLANS


class AssignmentReason(StrEnum):
    CASE_OPENED = "case_opened"
    WORKER_UNAVAILABLE = "worker_unavailable"
    CASELOAD_BALANCING = "caseload_balancing"
    SUPERVISOR_DECISION = "supervisor_decision"


class SocialWorkerAssigned(Event):
    """A social worker covering the case's mahalla takes the case."""

    TYPE: ClassVar[str] = "uz.inson.assessment.worker.assigned.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    social_worker_id: ActorId
    mahalla: MahallaCode
    district: DistrictCode
    caseload_after: int = Field(ge=1, description="The worker's open cases, this one included.")
    assigned_at: datetime


class SocialWorkerReassigned(Event):
    """The case moves to another social worker."""

    TYPE: ClassVar[str] = "uz.inson.assessment.worker.reassigned.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    from_social_worker_id: ActorId
    to_social_worker_id: ActorId
    reason: AssignmentReason
    note: Note | None = personal(default=None)
    reassigned_by: Actor
    reassigned_at: datetime


class HomeVisitScheduled(Event):
    """The worker will visit the home to assess the real situation."""

    TYPE: ClassVar[str] = "uz.inson.assessment.visit.scheduled.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    visit_id: Id
    social_worker_id: ActorId
    scheduled_for: datetime
    scheduled_at: datetime


class DisabilityGroup(StrEnum):
    """As established by the medical-social expert commission."""

    GROUP_1 = "group_1"
    GROUP_2 = "group_2"
    GROUP_3 = "group_3"
    CHILD_WITH_DISABILITY = "child_with_disability"


class Employment(StrEnum):
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    UNEMPLOYED_SEEKING = "unemployed_seeking"
    UNABLE_TO_WORK = "unable_to_work"
    PENSIONER = "pensioner"
    STUDENT = "student"
    CHILD = "child"
    CARER = "carer"


class Schooling(StrEnum):
    NOT_OF_SCHOOL_AGE = "not_of_school_age"
    ATTENDING = "attending"
    NOT_ATTENDING = "not_attending"
    HOME_SCHOOLED = "home_schooled"


class FunctionalLimitation(StrEnum):
    """What a member cannot do unaided, as the worker saw it at the home visit.

    Not a diagnosis: it says which kind of help or device could answer the
    limitation (a prosthesis, a hearing aid, a wheelchair, ...), which a
    disability group alone does not say.
    """

    LIMB_LOSS = "limb_loss"  # an amputated or missing arm or leg
    WALKING = "walking"  # walks only with support
    CANNOT_WALK = "cannot_walk"  # moves in a wheelchair, or not at all
    BEDRIDDEN = "bedridden"  # lies in bed most of the day
    HEARING = "hearing"  # hard of hearing
    DEAF = "deaf"  # communicates in sign language
    VISION = "vision"  # blind or with low vision
    SPEECH = "speech"  # speaks with difficulty, or not at all
    LEARNING = "learning"  # learns or understands with difficulty


class AssessedMember(Value):
    member_ref: Id = Field(description="Stable within the assessment; not a PINFL.")
    relation: Relation | None = Field(default=None, description="None for the applicant.")
    age: int = personal(ge=0, le=130)
    sex: Sex = personal()
    disability_group: DisabilityGroup | None = personal(default=None)
    needs_help_with_daily_living: bool = personal(default=False)
    chronic_illness: bool = personal(default=False)
    functional_limitations: list[FunctionalLimitation] = personal(
        default_factory=list,
        max_length=9,
        description="What the member cannot do unaided (health data); empty when none was "
        "seen, and in assessments recorded before the question was asked.",
    )
    employment: Employment = personal()
    schooling: Schooling = personal(default=Schooling.NOT_OF_SCHOOL_AGE)


class IncomeKind(StrEnum):
    WAGES = "wages"
    PENSION = "pension"
    DISABILITY_BENEFIT = "disability_benefit"
    CHILD_ALLOWANCE = "child_allowance"
    LOW_INCOME_ALLOWANCE = "low_income_allowance"
    REMITTANCES = "remittances"
    AGRICULTURE = "agriculture"
    OTHER = "other"


class IncomeSource(Value):
    kind: IncomeKind
    monthly_amount_uzs: int = personal(ge=0)


class HousingCondition(StrEnum):
    ADEQUATE = "adequate"
    NEEDS_REPAIR = "needs_repair"
    UNSAFE = "unsafe"
    OVERCROWDED = "overcrowded"
    NO_HOUSING = "no_housing"


class ProtectionRisk(StrEnum):
    NEGLECT = "neglect"
    VIOLENCE_AT_HOME = "violence_at_home"
    CHILD_LABOUR = "child_labour"
    RISK_OF_INSTITUTIONALISATION = "risk_of_institutionalisation"
    WITHOUT_PARENTAL_CARE = "without_parental_care"


class Resources(Value):
    """What the family itself can bring: the plan builds on it."""

    relatives_support: bool = personal(default=False)
    owns_home: bool = personal(default=False)
    land_plot: bool = personal(default=False)
    livestock: bool = personal(default=False)
    skills: list[str] = personal(default_factory=list, max_length=20)


class HouseholdSituation(Value):
    """The home visit's questionnaire, as the social worker recorded it."""

    members: list[AssessedMember] = Field(min_length=1, max_length=31)
    income_sources: list[IncomeSource] = Field(default_factory=list)
    housing: HousingCondition = personal()
    protection_risks: list[ProtectionRisk] = personal(default_factory=list)
    resources: Resources = Field(default_factory=Resources)
    observations: Note | None = personal(default=None)


class AssessmentRecorded(Event):
    """The questionnaire of a home visit, complete and signed by the worker."""

    TYPE: ClassVar[str] = "uz.inson.assessment.assessment.recorded.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    assessment_id: Id
    visit_id: Id
    social_worker_id: ActorId
    situation: HouseholdSituation
    recorded_at: datetime


class NeedLevel(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    CRITICAL = "critical"


class ScoreContribution(Value):
    """One factor of the need score, so a supervisor can see why."""

    factor: str = Field(min_length=1, max_length=64)
    points: float
    explanation: str = Field(max_length=300, description="Rule text; no personal data.")


class AssessmentCompleted(Event):
    """The assessment is scored and the services the household is eligible for are known."""

    TYPE: ClassVar[str] = "uz.inson.assessment.assessment.completed.v1"
    TOPIC: ClassVar[str] = ASSESSMENT_PLANS.name

    case_id: Id
    assessment_id: Id
    score_model: str = Field(min_length=1, max_length=32, description="Versioned scoring model.")
    need_score: float = Field(ge=0)
    need_level: NeedLevel
    contributions: list[ScoreContribution]
    income_per_person_uzs: int = personal(ge=0)
    eligible_services: list[ServiceCode]
    completed_by: ActorId
    completed_at: datetime


REGISTRY.register(
    SocialWorkerAssigned,
    SocialWorkerReassigned,
    HomeVisitScheduled,
    AssessmentRecorded,
    AssessmentCompleted,
)
