"""The topic catalogue: the one list of Kafka topics, their owners and settings.

Local infrastructure, the Kubernetes KafkaTopic resources and the services all
read this list; nobody else names a topic by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FOREVER = -1


@dataclass(frozen=True)
class Topic:
    name: str
    owner: str  # the only service that publishes to it
    description: str
    # What the record key holds. Kafka orders records per key, so everything
    # that must stay in order shares one stream id.
    key: str = "the stream id (equal to the CloudEvents subject)"
    partitions: int = 6
    # Event topics are the log of record for partners and for projection
    # rebuilds: they keep every event, forever.
    retention_ms: int = FOREVER
    cleanup_policy: str = "delete"
    extra_config: dict[str, str] = field(default_factory=dict)

    def config(self) -> dict[str, str]:
        return {
            "retention.ms": str(self.retention_ms),
            "retention.bytes": "-1",
            "cleanup.policy": self.cleanup_policy,
            "min.insync.replicas": "1",
            **self.extra_config,
        }


INTAKE_CASES = Topic(
    name="inson.intake.cases.v1",
    owner="intake",
    description="Applications and the cases they open or join.",
)
ASSESSMENT_PLANS = Topic(
    name="inson.assessment.plans.v1",
    owner="assessment",
    description="Worker assignment, home visits, assessments, register decisions, plans.",
)
REFERRALS = Topic(
    name="inson.referral.referrals.v1",
    owner="referral",
    description="Referrals to Social service windows and other providers, and their lifecycle.",
)
NOTIFICATIONS = Topic(
    name="inson.notification.deliveries.v1",
    owner="notification",
    description="Messages sent to citizens, workers and windows, and their failures.",
)
DEAD_LETTERS = Topic(
    name="inson.platform.deadletters.v1",
    owner="platform",
    description="Records a consumer could not process, with the reason; replayable.",
    partitions=3,
)
AUDIT = Topic(
    name="inson.platform.audit.v1",
    owner="platform",
    description=(
        "Who read whose personal data through an API: who, role, scope, purpose, when, "
        "which fields of which cases. Written by every service that serves such data."
    ),
    # One stream per batch of access records (see runtime/audit.py): records
    # need no order among themselves, each carries its own time.
    key="the audit batch's stream id (audit-<uuid>)",
    partitions=3,
)

CATALOGUE: tuple[Topic, ...] = (
    INTAKE_CASES,
    ASSESSMENT_PLANS,
    REFERRALS,
    NOTIFICATIONS,
    DEAD_LETTERS,
    AUDIT,
)


def by_name(name: str) -> Topic:
    for topic in CATALOGUE:
        if topic.name == name:
            return topic
    raise KeyError(f"topic {name!r} is not in the catalogue")
