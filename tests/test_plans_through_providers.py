"""Plans carried from first step to completion (issue 19), on the real Kafka and FerretDB.

Intake, assessment and referral side by side:
- drafted plans hold what the assessment found, for three households;
- one plan with an item for each of the seven kinds of provider is completed
  through each provider's own API: a refusal reaches the worker's attention
  list with its reason, invalid revisions are refused with nothing written,
  a revision keeping the refused item issues it again, the person's details
  reach the provider of a service at home, and the completed plan closes
  the intake case.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from assessment.main import compose as compose_assessment
from assessment.settings import Settings as AssessmentSettings
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.topics import ASSESSMENT_PLANS, REFERRALS
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.testing import end_offsets, read_envelopes, running_service, wait_for
from intake.main import compose as compose_intake
from intake.settings import Settings as IntakeSettings
from referral.domain.routing import referral_id
from referral.main import compose as compose_referral
from referral.settings import Settings as ReferralSettings

pytestmark = pytest.mark.integration

DISTRICT = "1735207"  # Beruniy
REGION = "1735"
MAHALLA = mahallas_of(DISTRICT)[9].code
Headers = dict[str, str]


@dataclass
class Platform:
    intake: httpx.AsyncClient
    assessment: httpx.AsyncClient
    referral: httpx.AsyncClient
    bearer: Callable[..., Headers]
    kafka: str

    @property
    def supervisor(self) -> Headers:
        return self.bearer("supervisor", f"sup-{DISTRICT}", district=DISTRICT)

    @property
    def admin(self) -> Headers:
        return self.bearer("admin", "admin-1")


@pytest.fixture(scope="module")
async def platform(
    kafka_bootstrap: str, mongodb_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Platform]:
    key = tmp_path_factory.mktemp("auth") / "key.pem"
    auth = AuthSettings(dev_key_path=key)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("INSON_AUTH_DEV_KEY_PATH", str(key))

        def bearer(role: str, sub: str, **scope: Any) -> Headers:
            token = mint_dev_token(sub=sub, role=role, settings=auth, **scope)
            return {"Authorization": f"Bearer {token}"}

        run = uuid.uuid4().hex[:8]
        common: dict[str, Any] = {
            "kafka_bootstrap_servers": kafka_bootstrap,
            "mongodb_url": mongodb_url,
            "outbox_sweep_interval_s": 0.5,
            "outbox_grace_s": 0.2,
        }
        async with (
            running_service(
                compose_intake, IntakeSettings(service_name=f"i19-intake-{run}", **common)
            ) as (_, intake),
            running_service(
                compose_assessment,
                AssessmentSettings(service_name=f"i19-assessment-{run}", **common),
            ) as (_, assessment),
            running_service(
                compose_referral, ReferralSettings(service_name=f"i19-referral-{run}", **common)
            ) as (_, referral),
        ):
            yield Platform(intake, assessment, referral, bearer, kafka_bootstrap)


async def open_case(
    platform: Platform, applicant: dict[str, Any], circumstances: list[str]
) -> tuple[str, Headers]:
    """A case from a tablet's application; its assigned worker's headers."""
    submitted = await platform.intake.post(
        "/v1/applications",
        headers=platform.bearer("social_worker", "tablet-1", mahallas=[MAHALLA], district=DISTRICT),
        json={
            "channel": "mahalla_tablet",
            "applicant": applicant,
            "address": {
                "region": REGION,
                "district": DISTRICT,
                "mahalla": MAHALLA,
                "street": "Alisher Navoiy koʻchasi",
                "house": "12",
            },
            "circumstances": circumstances,
            "consent": {"given": True, "text_version": "2026-01"},
        },
    )
    assert submitted.status_code == 201, submitted.text
    case_id = str(submitted.json()["case_id"])
    file = await case_file(platform, case_id, lambda f: "visit_at" in f, "the assignment")
    worker = platform.bearer(
        "social_worker", file["worker_id"], mahallas=[MAHALLA], district=DISTRICT
    )
    return case_id, worker


async def case_file(
    platform: Platform, case_id: str, ready: Callable[[dict[str, Any]], bool], what: str
) -> dict[str, Any]:
    found: dict[str, Any] = {}

    async def arrived() -> bool:
        got = await platform.assessment.get(
            f"/v1/case-files/{case_id}", headers=platform.supervisor
        )
        if got.status_code == 200:
            found.update(got.json())
            return ready(found)
        return False

    await wait_for(arrived, timeout_s=60, what=what)
    return found


async def assess(
    platform: Platform, case_id: str, worker: Headers, situation: dict[str, Any]
) -> dict[str, Any]:
    answer: dict[str, Any] = {}

    async def completed() -> bool:
        done = await platform.assessment.post(
            f"/v1/cases/{case_id}/assessment/complete",
            json={"situation": situation},
            headers=worker,
        )
        # 409 until intake's facts (the circumstances) reached assessment.
        assert done.status_code in (200, 409), done.text
        answer.update(done.json())
        return done.status_code == 200

    await wait_for(completed, what="the assessment completed")
    return answer


PARENTS = [
    {"member_ref": "b", "relation": "parent", "age": 36, "sex": "female", "employment": "employed"},
    {"member_ref": "c", "relation": "parent", "age": 40, "sex": "male", "employment": "employed"},
]
HOUSEHOLDS = {
    "a child who lost a leg": (
        {"name": {"last_name": "Karimov", "first_name": "Sardor"}, "birth_date": "2017-03-02"},
        ["disability", "needs_rehabilitation_device"],
        {
            "members": [
                {
                    "member_ref": "a",
                    "age": 9,
                    "sex": "male",
                    "employment": "child",
                    "schooling": "attending",
                    "disability_group": "child_with_disability",
                    "functional_limitations": ["limb_loss"],
                },
                *PARENTS,
            ],
            "income_sources": [
                {"kind": "wages", "monthly_amount_uzs": 6000000},
                {"kind": "disability_benefit", "monthly_amount_uzs": 1100000},
            ],
            "housing": "adequate",
        },
        {"REHAB-01", "REHAB-08", "DIS-04"},
        {"REHAB-03", "REHAB-06", "DIS-02", "EDU-02"},  # hearing, sight, sign language: offered
    ),
    "a lonely elderly woman needing care": (
        {"name": {"last_name": "Yusupova", "first_name": "Oydin"}, "birth_date": "1948-01-30"},
        ["lonely_elderly", "needs_care_by_others"],
        {
            "members": [
                {
                    "member_ref": "a",
                    "age": 78,
                    "sex": "female",
                    "employment": "pensioner",
                    "needs_help_with_daily_living": True,
                    "chronic_illness": True,
                }
            ],
            "income_sources": [{"kind": "pension", "monthly_amount_uzs": 900000}],
            "housing": "adequate",
        },
        {"HOME-01", "HOME-02", "HLTH-03", "HOME-07", "HLTH-02", "HLTH-01"},
        {"HOME-03", "HOME-05"},
    ),
    "a family with a neglected child": (
        {"name": {"last_name": "Rahimova", "first_name": "Nodira"}, "birth_date": "1997-06-11"},
        ["child_at_risk", "low_income"],
        {
            "members": [
                {"member_ref": "a", "age": 29, "sex": "female", "employment": "unemployed_seeking"},
                {
                    "member_ref": "b",
                    "relation": "child",
                    "age": 7,
                    "sex": "male",
                    "employment": "child",
                    "schooling": "attending",
                },
                {
                    "member_ref": "c",
                    "relation": "child",
                    "age": 4,
                    "sex": "female",
                    "employment": "child",
                },
            ],
            "income_sources": [{"kind": "child_allowance", "monthly_amount_uzs": 400000}],
            "housing": "overcrowded",
            "protection_risks": ["neglect"],
        },
        {
            "CHILD-04",
            "FAM-01",
            "FAM-02",
            "FAM-06",
            "CASH-01",
            "CASH-03",
            "KIND-01",
            "EMP-05",
            "CASH-07",
            "EDU-05",
            "HOUSE-04",
        },
        {"CHILD-01"},  # foster placement: eligible, never beside keeping the child at home
    ),
}


@pytest.mark.parametrize("household", sorted(HOUSEHOLDS))
async def test_a_drafted_plan_holds_the_services_the_assessment_found(
    platform: Platform, household: str
) -> None:
    person, circumstances, situation, drafted, offered = HOUSEHOLDS[household]
    applicant = {**person, "sex": "female", "language": "uz-Latn"}
    case_id, worker = await open_case(platform, applicant, circumstances)
    answer = await assess(platform, case_id, worker, situation)
    codes = {item["service_code"] for item in answer["plan_items"]}
    assert codes == drafted
    assert all(item["needs"] for item in answer["plan_items"]), answer["plan_items"]
    assert offered <= set(answer["offered_services"]) and not codes & set(
        answer["offered_services"]
    )


# One service for each kind of provider, as the catalogue assigns them.
ITEMS = {
    "social_service_window": "DIS-03",
    "inson_center": "HOME-01",
    "health_facility": "HOME-02",  # care at home: the provider sees the address
    "education_body": "EDU-01",
    "employment_center": "EMP-01",
    "mahalla": "KIND-01",
    "ngo_partner": "DIS-05",
}


def operator_of(platform: Platform, issued: dict[str, Any]) -> Headers:
    """The staff of the referral's destination: a window's operator or a provider's."""
    if issued["provider_type"] == "social_service_window":
        return platform.bearer(
            "window_operator",
            "op-window",
            service_center=issued["service_center"],
            district=DISTRICT,
        )
    return platform.bearer(
        "provider_operator", f"op-{issued['provider']}", providers=[issued["provider"]]
    )


async def step(platform: Platform, rid: str, staff: Headers, action: str, **body: Any) -> None:
    done = await platform.referral.post(f"/v1/referrals/{rid}/{action}", headers=staff, json=body)
    assert done.status_code == 200, (action, done.text)


async def referral(platform: Platform, rid: str) -> dict[str, Any]:
    found: dict[str, Any] = {}

    async def issued() -> bool:
        got = await platform.referral.get(f"/v1/referrals/{rid}", headers=platform.admin)
        if got.status_code == 200:
            found.update(got.json())
        return got.status_code == 200

    await wait_for(issued, timeout_s=60, what=f"referral {rid}")
    return found


async def test_a_plan_is_completed_through_every_kind_of_provider(platform: Platform) -> None:
    applicant = {
        "name": {"last_name": "Qodirova", "first_name": "Malika", "patronymic": "Rustamovna"},
        "birth_date": "1948-05-17",
        "sex": "female",
        "language": "uz-Latn",
    }
    case_id, worker = await open_case(
        platform, applicant, ["lonely_elderly", "needs_care_by_others", "disability"]
    )
    await assess(platform, case_id, worker, HOUSEHOLDS["a lonely elderly woman needing care"][2])

    # The worker plans one service from each kind of provider; the supervisor approves.
    items = [
        {"item_id": f"item-{kind}", "service_code": code, "provider_type": kind}
        for kind, code in ITEMS.items()
    ]
    edited = await platform.assessment.put(
        f"/v1/cases/{case_id}/plan/draft", json={"items": items}, headers=worker
    )
    assert edited.status_code == 204, edited.text
    approved = await platform.assessment.post(
        f"/v1/cases/{case_id}/plan/approve", headers=platform.supervisor
    )
    assert approved.status_code == 204, approved.text
    plan_id = (await case_file(platform, case_id, lambda f: "plan_id" in f, "the plan"))["plan_id"]
    referrals = {
        kind: await referral(platform, referral_id(plan_id, f"item-{kind}")) for kind in ITEMS
    }
    assert {r["provider_type"] for r in referrals.values()} == set(ITEMS)
    assert referrals["health_facility"]["provider"] == f"health-{DISTRICT}"  # the default
    assert referrals["mahalla"]["provider"] == f"mahalla-{MAHALLA}"  # the person's own

    # The employment center refuses: documents are missing.
    refused = referrals["employment_center"]
    employment = operator_of(platform, refused)
    rejected = await platform.referral.post(
        f"/v1/referrals/{refused['id']}/reject",
        headers=employment,
        json={"code": "documents_missing", "reason": "Mehnat daftarchasi nusxasi yoʻq"},
    )
    assert rejected.status_code == 200, rejected.text

    attention: list[dict[str, Any]] = []

    async def worker_told() -> bool:
        got = await platform.assessment.get("/v1/attention", headers=worker)
        assert got.status_code == 200, got.text
        attention[:] = [i for i in got.json()["items"] if i["case_id"] == case_id]
        return bool(attention)

    await wait_for(worker_told, timeout_s=30, what="the refusal in the worker's list")
    [item] = attention
    assert (item["item_id"], item["attention"]) == ("item-employment_center", "refused")
    assert item["reason"] == "Mehnat daftarchasi nusxasi yoʻq"

    # Invalid revisions are refused with nothing written anywhere.
    plans_before = await end_offsets(platform.kafka, ASSESSMENT_PLANS.name)
    referrals_before = await end_offsets(platform.kafka, REFERRALS.name)
    unknown = [
        *items[:-1],
        {"item_id": "item-x", "service_code": "ZZZ-99", "provider_type": "other"},
    ]
    for bad in (unknown, []):
        revised = await platform.assessment.post(
            f"/v1/cases/{case_id}/plan/revise",
            json={"items": bad, "reason": "a mistaken revision"},
            headers=worker,
        )
        assert revised.status_code == 422, revised.text
    # The revision that re-plans the refused item (same id, same service) goes into force.
    revised = await platform.assessment.post(
        f"/v1/cases/{case_id}/plan/revise",
        json={"items": items, "reason": "the documents were brought"},
        headers=worker,
    )
    assert revised.status_code == 204, revised.text
    again = await referral(platform, referral_id(plan_id, "item-employment_center", 2))
    assert (again["provider"], again["replaces"]) == (refused["provider"], refused["id"])
    written = await read_envelopes(
        platform.kafka,
        ASSESSMENT_PLANS.name,
        since=plans_before,
        match=lambda e: e.subject == f"assessment-{case_id}",
    )
    # Only the valid revision reached the topic, not the two refused ones.
    assert [e.type for e, _ in written] == ["uz.inson.assessment.plan.revised.v1"]
    reissued = await read_envelopes(
        platform.kafka,
        REFERRALS.name,
        since=referrals_before,
        match=lambda e: e.type.endswith("issued.v1"),
    )
    issued_now = [e.data for e, _ in reissued if e.data.get("case_id") == case_id]
    assert [(d["referral_id"], d["replaces"]) for d in issued_now] == [(again["id"], refused["id"])]

    async def item_cleared() -> bool:
        await worker_told()
        return not attention

    await wait_for(item_cleared, timeout_s=30, what="the re-issued item off the worker's list")

    # The provider of care at home sees whom to visit and where (an audited read).
    nurse = referrals["health_facility"]

    # The person comes from referral's copy of intake's application, kept by
    # another consumer group than the referrals: it may follow them.
    async def person_known() -> bool:
        got = await platform.referral.get(
            f"/v1/referrals/{nurse['id']}/person", headers=operator_of(platform, nurse)
        )
        return got.status_code == 200 and "name" in got.json()

    await wait_for(person_known, timeout_s=30, what="the person read from intake's topic")
    person = await platform.referral.get(
        f"/v1/referrals/{nurse['id']}/person", headers=operator_of(platform, nurse)
    )
    assert person.status_code == 200, person.text
    found = person.json()
    assert (found["at_home"], found["birth_date"]) == (True, "1948-05-17")
    assert found["name"]["last_name"] == "Qodirova"
    assert (found["address"]["street"], found["address"]["house"]) == (
        "Alisher Navoiy koʻchasi",
        "12",
    )

    # Every provider completes its referral through its own API.
    current = {**referrals, "employment_center": again}
    for kind, issued in current.items():
        staff = operator_of(platform, issued)
        await step(platform, issued["id"], staff, "accept")
        await step(platform, issued["id"], staff, "start")
        await step(platform, issued["id"], staff, "complete", note=f"{kind}: xizmat koʻrsatildi")

    await case_file(
        platform, case_id, lambda f: f.get("plan_status") == "completed", "the plan completed"
    )

    async def case_closed() -> bool:
        got = await platform.intake.get(f"/v1/cases/{case_id}", headers=platform.supervisor)
        return got.status_code == 200 and got.json().get("status") == "closed"

    await wait_for(case_closed, timeout_s=60, what="the intake case closed")
