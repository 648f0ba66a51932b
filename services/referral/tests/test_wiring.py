"""What main.py wires, seen without servers: the plan policy's consumer group and the
events it handles, the deadline job, the read models."""

from __future__ import annotations

from inson_contracts.events import PlanApproved, PlanClosed, PlanRevised
from inson_contracts.topics import ASSESSMENT_PLANS
from referral.main import compose
from referral.settings import Settings


def test_the_plan_policy_handles_every_plan_event_it_reacts_to(auth) -> None:
    runtime, app = compose(Settings(service_name="referral-wiring", deadline_interval_s=7))

    policy = next(c for c in runtime.consumers if c.group_id == "referral-wiring.policy.plans")
    assert tuple(policy.topics) == (ASSESSMENT_PLANS.name,)
    assert set(policy.handlers) == {PlanApproved.TYPE, PlanRevised.TYPE, PlanClosed.TYPE}
    assert [(name, interval) for name, interval, _ in runtime.periodic] == [("deadlines", 7)]
    assert [p.name for p in runtime.projections] == ["referral-views"]
    assert app.state.policies.batch == Settings().deadline_batch
