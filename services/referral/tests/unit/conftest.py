"""Fixtures of the referral unit tests: the handlers on the in-memory journal and fakes.

No broker, no database: each test runs in milliseconds.
"""

from __future__ import annotations

import pytest
from inson_runtime.repository import Repository
from inson_runtime.testing import MovableClock
from referral.domain.referral import Referral, replay
from referral.handlers.commands import Referrals
from referral.handlers.policies import ReferralPolicies

from .fakes import FakeApplicants, FakePlanRecords, FakeReadModel, FakeSealer, RacingJournal


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def journal(clock: MovableClock) -> RacingJournal:
    journal = RacingJournal()
    # Commit times follow the test's clock, for the as-of reads.
    journal.store.clock = clock
    return journal


@pytest.fixture
def repository(journal: RacingJournal) -> Repository[Referral]:
    return Repository(journal, source="inson/referral", stream_prefix="referral", replay=replay)


@pytest.fixture
def plan_records() -> FakePlanRecords:
    return FakePlanRecords()


@pytest.fixture
def read_model(journal: RacingJournal) -> FakeReadModel:
    return FakeReadModel(journal)


@pytest.fixture
def applicants() -> FakeApplicants:
    return FakeApplicants()


@pytest.fixture
def sealer() -> FakeSealer:
    return FakeSealer()


@pytest.fixture
def referrals(
    repository: Repository[Referral],
    plan_records: FakePlanRecords,
    applicants: FakeApplicants,
    sealer: FakeSealer,
    clock: MovableClock,
) -> Referrals:
    return Referrals(repository, plan_records, applicants=applicants, personal=sealer, clock=clock)


@pytest.fixture
def policies(
    repository: Repository[Referral],
    plan_records: FakePlanRecords,
    read_model: FakeReadModel,
    clock: MovableClock,
) -> ReferralPolicies:
    return ReferralPolicies(repository, plan_records, read_model, read_model, clock=clock, batch=50)
