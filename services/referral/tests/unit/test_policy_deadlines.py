"""The deadline job on the in-memory journal and a read model that offers every
referral as due: escalation once per level to the district's supervisor of the staff
directory in use (a replacement file's too), expiry, and the start-up check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from importlib.resources import files
from pathlib import Path

import pytest
from inson_contracts.codes.mahallas import MAHALLAS_FILE_ENV, reload_mahallas
from inson_contracts.codes.staff import WORKERS_FILE_ENV, WorkerDataError, reload_workers
from inson_contracts.events.referral import ReferralEscalated, ReferralExpired
from inson_contracts.events.values import Actor, PlanItem
from referral.domain.area import EVERYWHERE
from referral.domain.referral import Status

DISTRICT = "1735207"
OPERATOR = Actor(id="op-1", role="window_operator")


async def referred_window(policies, plans, priority: str = "routine") -> tuple[str, timedelta]:
    """A window referral of a new plan, and the time it was given to be accepted."""
    plan = plans()
    window_item = PlanItem(
        item_id="a",
        service_code="CASH-01",
        provider_type="social_service_window",
        priority=priority,
    )
    approved = plan.approved([window_item])
    await policies.on_plan_in_force(approved, plan.envelope(approved))
    issued = (await policies.referrals.load(plan.referral("a"))).issued
    return plan.referral("a"), issued.accept_by - issued.issued_at


async def test_a_late_referral_is_escalated_once_per_target_period(
    policies, referrals, plans, journal, clock, read_model
) -> None:
    rid, period = await referred_window(policies, plans)
    assert await policies.enforce_due_deadlines() == 0

    clock.advance(period + timedelta(minutes=1))
    assert await policies.enforce_due_deadlines() == 1
    assert await policies.enforce_due_deadlines() == 0  # decided on the stream: once
    [first] = journal.outbox.events_of_type(ReferralEscalated)
    assert (first.escalation_level, first.escalated_to, first.overdue_minutes) == (
        1,
        f"sup-{DISTRICT}",
        1,
    )
    assert journal.outbox.published[-1].commit_id == f"escalate:{rid}:1"
    now, issued_before, limit = read_model.asked[-1]
    assert (now, issued_before, limit) == (clock.now, clock.now - timedelta(days=30), 50)

    clock.advance(period)
    assert await policies.enforce_due_deadlines() == 1
    levels = [e.escalation_level for e in journal.outbox.events_of_type(ReferralEscalated)]
    assert levels == [1, 2]

    await referrals.accept(rid, EVERYWHERE, OPERATOR)
    clock.advance(period * 5)
    assert await policies.enforce_due_deadlines() == 0


async def test_a_referral_never_taken_up_expires_once(policies, plans, journal, clock) -> None:
    rid, _ = await referred_window(policies, plans, priority="urgent")
    clock.advance(timedelta(days=30))

    assert await policies.enforce_due_deadlines() == 1
    assert await policies.enforce_due_deadlines() == 0

    [expired] = journal.outbox.events_of_type(ReferralExpired)
    assert (expired.referral_id, expired.expired_at) == (rid, clock.now)
    assert (await policies.referrals.load(rid)).status is Status.EXPIRED


@pytest.fixture
def staff_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A replacement staff directory: the packaged one, with supervisor ids of its own."""
    packaged = files("inson_contracts.codes").joinpath("data/workers.json")
    document = json.loads(packaged.read_text(encoding="utf-8"))
    for supervisor in document["supervisors"]:
        supervisor["supervisor_id"] = f"rahbar-{supervisor['district']}"
        supervisor["placeholder"] = False
    path = tmp_path / "workers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    # The directory is checked against the mahalla list in use: the packaged
    # list first, then the directory read again.
    monkeypatch.delenv(MAHALLAS_FILE_ENV, raising=False)
    monkeypatch.setenv(WORKERS_FILE_ENV, str(path))
    reload_mahallas()
    reload_workers()
    yield path
    monkeypatch.delenv(WORKERS_FILE_ENV)
    reload_workers()


async def test_escalations_name_the_supervisor_of_the_staff_file_in_use(
    policies, plans, journal, clock, staff_file
) -> None:
    rid, period = await referred_window(policies, plans, priority="emergency")
    clock.advance(period)

    assert await policies.enforce_due_deadlines() == 1

    [escalated] = journal.outbox.events_of_type(ReferralEscalated)
    assert (escalated.referral_id, escalated.escalated_to) == (rid, f"rahbar-{DISTRICT}")
    await policies.check_directory()  # every center's district has its supervisor


async def test_a_staff_file_leaving_a_district_unsupervised_stops_the_start(
    policies, staff_file
) -> None:
    document = json.loads(staff_file.read_text(encoding="utf-8"))
    document["supervisors"] = [s for s in document["supervisors"] if s["district"] != DISTRICT]
    staff_file.write_text(json.dumps(document), encoding="utf-8")
    reload_workers()

    with pytest.raises(WorkerDataError, match=DISTRICT):
        await policies.check_directory()
