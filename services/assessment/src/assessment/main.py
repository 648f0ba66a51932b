"""Composition root of the assessment service: the only place that picks adapters.

Worker assignment, home-visit assessment, eligibility and the individual social services plan.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from fastapi import FastAPI
from inson_contracts.events import CaseOpened, ReferralCompleted
from inson_contracts.topics import INTAKE_CASES, REFERRALS
from inson_runtime.cli import service_cli
from inson_runtime.service import Runtime, build_app, create_runtime

from assessment.adapters.caseload import OpenCaseloads
from assessment.adapters.drafts import DraftStore
from assessment.adapters.referral_states import ReferralStateStore
from assessment.api import (
    as_of,
    assessments,
    attention,
    case_files,
    conflicts,
    drafts,
    plans,
    registers,
)
from assessment.api.errors import install_error_answers
from assessment.console import install as install_tablet
from assessment.domain.housing import CURRENT_RULE
from assessment.domain.referral_states import REFERRAL_EVENTS
from assessment.handlers.case_files import case_files as case_file_repository
from assessment.handlers.commands import Assessments
from assessment.handlers.outcomes import Outcomes
from assessment.handlers.policies import Policies
from assessment.projections.queries import CaseFileQueries, HousingQueries, IntakeFacts
from assessment.projections.referral_queries import ReferralQueries
from assessment.projections.views import case_facts_view, case_files_view, ensure_view_indexes
from assessment.settings import Settings

DESCRIPTION = (
    "Worker assignment, the home-visit assessment with a transparent need score, "
    "eligibility over the service catalogue, and the individual social services plan."
)
ROUTERS = [drafts, assessments, plans, conflicts, registers, as_of, case_files, attention]


def compose(settings: Settings) -> tuple[Runtime, FastAPI]:
    runtime = create_runtime(settings)
    files = case_file_repository(runtime.journal)
    caseloads = OpenCaseloads(runtime.db)
    commands = Assessments(
        files, caseloads=caseloads, drafts=DraftStore(runtime.db), facts=IntakeFacts(runtime.db)
    )
    referral_states = ReferralStateStore(runtime.db)
    policies = Policies(
        files,
        caseloads=caseloads,
        referrals=referral_states,
        housing=HousingQueries(runtime.db),
        personal=runtime.sealer,
        housing_rule=CURRENT_RULE.reminding(settings.housing_reminder_days),
    )

    runtime.add_projection(case_files_view)
    runtime.add_projection(case_facts_view)
    runtime.on_start.append(lambda: ensure_view_indexes(runtime.db))
    runtime.on_start.append(referral_states.ensure_indexes)

    cases = runtime.consumer("policy.cases", INTAKE_CASES.name)
    cases.on(CaseOpened)(policies.assign)
    # Kept sealed: a rejection reason or a completion note is stored in its wire
    # form and opened only at an audited read (handlers/outcomes.py).
    referrals = runtime.consumer("policy.referrals", REFERRALS.name, open_personal=False)
    for event_class in REFERRAL_EVENTS:
        if event_class is not ReferralCompleted:
            referrals.on(event_class)(policies.follow_referral)
    referrals.on(ReferralCompleted)(policies.complete_item)
    runtime.every("housing-expiry", settings.housing_expiry_interval_s, policies.expire_housing)

    app = build_app(
        runtime,
        title="Inson assessment",
        description=DESCRIPTION,
        routers=[module.router for module in ROUTERS],
    )
    install_error_answers(app)
    install_tablet(app, intake_url=settings.intake_url)
    app.state.assessments = commands
    app.state.case_files = CaseFileQueries(runtime.db)
    app.state.outcomes = Outcomes(files, ReferralQueries(runtime.db), runtime.sealer)
    # Tests run the policies as a delivered event would.
    app.state.policies = policies
    return runtime, app


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory assessment.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-assessment", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
