"""On the real FerretDB and Kafka: temporary housing through the API (six calendar
months, a continuation by decision, the case's registrations) and the housing job
(the end noted once, on assessment's topic); disability by age refused at the API;
questionnaire drafts, nasty and generated, never a 500."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from assessment.domain.housing import local_day
from assessment.handlers.policies import Policies
from assessment.main import compose
from assessment.projections.views import HOUSING
from assessment.settings import Settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import Envelope
from inson_contracts.events import CaseOpened, TemporaryHousingEndingSoon, TemporaryHousingExpired
from inson_contracts.topics import ASSESSMENT_PLANS
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.mongo import connect
from inson_runtime.service import Runtime
from inson_runtime.testing import end_offsets, read_envelopes, start_groups_at_end, wait_for

pytestmark = pytest.mark.integration

DISTRICT = "1735207"
MAHALLA = mahallas_of(DISTRICT)[1].code
PINFL = "30101850123456"
ADULT = {"member_ref": "m1", "age": 70, "sex": "female", "employment": "pensioner"}


@dataclass
class Service:
    runtime: Runtime
    policies: Policies
    http: httpx.AsyncClient
    auth: AuthSettings

    def bearer(self, role: str, sub: str) -> dict[str, str]:
        token = mint_dev_token(
            sub=sub, role=role, settings=self.auth, district=DISTRICT, mahallas=[MAHALLA]
        )
        return {"Authorization": f"Bearer {token}"}

    async def open_case(self) -> tuple[str, dict[str, str]]:
        """A case assigned as intake's "case opened" would have it; its worker's headers."""
        case_id = f"case-{uuid.uuid4().hex[:12]}"
        opened = CaseOpened(
            case_id=case_id,
            application_id=f"app-{case_id}",
            region=DISTRICT[:4],
            district=DISTRICT,
            mahalla=MAHALLA,
            circumstances=["homeless"],
            household_size=1,
            language="uz-Latn",
            opened_at=datetime.now(UTC),
        )
        delivered = Envelope(
            id=f"evt-{case_id}",
            source="inson/intake",
            type=opened.TYPE,
            time=opened.opened_at,
            subject=f"case-{case_id}",
            streamversion=1,
            data=opened.model_dump(mode="json"),
        )
        await self.policies.assign(opened, delivered)
        file = await self.policies.files.load(case_id)
        return case_id, self.bearer("social_worker", file.worker_id or "")


@pytest.fixture(scope="module")
async def service(
    kafka_bootstrap: str, mongodb_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Service]:
    auth = AuthSettings(dev_key_path=Path(tmp_path_factory.mktemp("auth")) / "key.pem")
    settings_ = Settings(
        service_name=f"assessment-{uuid.uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_url=mongodb_url,
        outbox_sweep_interval_s=0.5,
        outbox_grace_s=0.2,
        housing_expiry_interval_s=3600,  # the tests run the job themselves
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
        runtime, app = compose(settings_)
        await start_groups_at_end(kafka_bootstrap, runtime.consumers)
        try:
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://a") as http:
                    yield Service(runtime, app.state.policies, http, auth)
        finally:
            cleanup = connect(mongodb_url)
            await cleanup.drop_database(settings_.database_name)
            await cleanup.close()


def housing(start: date, end: date, **more: Any) -> dict[str, Any]:
    return {"institution_code": "INST-7", "valid_from": str(start), "valid_until": str(end), **more}


async def test_housing_is_six_calendar_months_and_a_continuation_is_a_decision(
    service: Service,
) -> None:
    case_id, worker = await service.open_case()
    supervisor = service.bearer("supervisor", f"sup-{DISTRICT}")
    url = f"/v1/cases/{case_id}/temporary-housing"
    post = service.http.post

    first = await post(url, json=housing(date(2026, 3, 1), date(2026, 9, 1)), headers=supervisor)
    assert first.status_code == 201, first.text
    first_id = first.json()["registration_id"]
    again = await post(url, json=housing(date(2026, 3, 1), date(2026, 9, 1)), headers=supervisor)
    assert again.status_code == 201 and again.json()["registration_id"] == first_id

    back_to_back = housing(date(2026, 9, 2), date(2027, 3, 2))
    refused = await post(url, json=back_to_back, headers=supervisor)
    assert refused.status_code == 409 and refused.json()["code"] == "housing.overlap"
    assert "extends" in refused.json()["detail"]  # how to continue it
    no_reason = await post(url, json={**back_to_back, "extends": first_id}, headers=supervisor)
    assert no_reason.status_code == 422
    assert [(e["pointer"], e["code"]) for e in no_reason.json()["errors"]] == [
        ("/body/reason", "missing")
    ]
    continued = {**back_to_back, "extends": first_id, "reason": "no place found yet"}
    second = await post(url, json=continued, headers=supervisor)
    assert second.status_code == 201, second.text

    too_long = housing(date(2028, 1, 1), date(2028, 7, 2), pinfl=PINFL)
    long = await post(url, json=too_long, headers=supervisor)
    assert long.status_code == 422
    assert [(e["pointer"], e["code"]) for e in long.json()["errors"]] == [
        ("/body/valid_until", "term_too_long")
    ]
    assert PINFL not in long.text and "2028-07-01" in long.text
    by_worker = await post(url, json=housing(date(2029, 1, 1), date(2029, 2, 1)), headers=worker)
    assert by_worker.status_code == 403

    listed = await service.http.get(f"/v1/case-files/{case_id}/temporary-housing", headers=worker)
    assert listed.status_code == 200, listed.text
    one, two = listed.json()
    assert (one["registration_id"], one["extended_by"]) == (first_id, two["registration_id"])
    assert (two["extends"], two["reason"]) == (first_id, "no place found yet")
    assert (one["valid_from"], one["valid_until"]) == ("2026-03-01", "2026-09-01")
    assert "pinfl" not in one and one["status"] in {"upcoming", "active", "ended"}


async def test_the_job_notes_a_near_end_once_and_expires_the_day_after(service: Service) -> None:
    today = local_day(datetime.now(UTC))
    supervisor = service.bearer("supervisor", f"sup-{DISTRICT}")
    ending_case, _ = await service.open_case()
    ended_case, _ = await service.open_case()
    kafka = service.runtime.settings.kafka_bootstrap_servers
    since = await end_offsets(kafka, ASSESSMENT_PLANS.name)
    for case_id, start, end in (
        (ending_case, today - timedelta(days=150), today + timedelta(days=10)),
        (ended_case, today - timedelta(days=60), today - timedelta(days=1)),
    ):
        answer = await service.http.post(
            f"/v1/cases/{case_id}/temporary-housing", json=housing(start, end), headers=supervisor
        )
        assert answer.status_code == 201, answer.text

    async def in_the_view() -> bool:
        found = service.runtime.db[HOUSING].count_documents(
            {"case_id": {"$in": [ending_case, ended_case]}}
        )
        return await found == 2

    await wait_for(in_the_view, what="both registrations in the housing view")
    for _ in range(3):  # however often the job runs
        await service.policies.expire_housing()

    # Only these cases: the job also ends what the other tests registered.
    subjects = {f"assessment-{ending_case}", f"assessment-{ended_case}"}
    kinds = {TemporaryHousingEndingSoon.TYPE, TemporaryHousingExpired.TYPE}

    async def on_the_topic() -> list[Envelope]:
        found = await read_envelopes(
            kafka,
            ASSESSMENT_PLANS.name,
            since=since,
            match=lambda e: e.subject in subjects and e.type in kinds,
        )
        return [e for e, _ in found]

    async def both_published() -> bool:
        return len(await on_the_topic()) >= 2

    await wait_for(both_published, what="the note and the expiry on assessment's topic")
    published = await on_the_topic()
    by_subject = {e.subject: e for e in published}
    assert len({e.id for e in published}) == 2  # a record sent twice is one event
    noted = by_subject[f"assessment-{ending_case}"]
    assert noted.type == TemporaryHousingEndingSoon.TYPE
    assert noted.data["valid_until"] == str(today + timedelta(days=10))
    assert (noted.data["lead_days"], noted.data["rule"]) == (14, "housing-v1")
    assert noted.district == DISTRICT
    expired = by_subject[f"assessment-{ended_case}"]
    assert expired.data["expired_on"] == str(today - timedelta(days=1))


async def test_a_disability_status_that_does_not_fit_the_age_is_422_by_field(
    service: Service,
) -> None:
    case_id, worker = await service.open_case()
    child = {**ADULT, "member_ref": "c1", "relation": "child", "age": 10, "employment": "child"}
    situation = {"members": [ADULT, {**child, "disability_group": "group_2"}], "housing": "unsafe"}
    answer = await service.http.post(
        f"/v1/cases/{case_id}/assessment/complete", json={"situation": situation}, headers=worker
    )
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["errors"]
    assert error["pointer"] == "/body/situation/members/1/disability_group"
    assert error["code"] == "disability_child_under_18"
    assert "group_2" not in answer.text and '"age"' not in answer.text
    fine = {**situation, "members": [ADULT, {**child, "disability_group": "child_with_disability"}]}
    answer = await service.http.post(
        f"/v1/cases/{case_id}/assessment/complete", json={"situation": fine}, headers=worker
    )
    assert answer.status_code == 200, answer.text


def deep(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


NASTY: list[tuple[str, str, list[Any] | None]] = [
    ("nested arrays", '{"members": [[1, [2]]]}', ["body", "members", 0]),
    ("a $ key", '{"$set": {"x": 1}}', ["body", "$set"]),
    ("a dotted key", '{"resources": {"owns.home": true}}', ["body", "resources", "owns.home"]),
    ("1e400", '{"income": 1e400}', ["body", "income"]),
    ("-1e400", '{"income": -1e400}', ["body", "income"]),
    ("NaN", '{"income": NaN}', ["body", "income"]),
    ("an integer over 2^63", '{"income": 9223372036854775808}', ["body", "income"]),
    ("an integer under -2^63", '{"income": -9223372036854775809}', ["body", "income"]),
    ("a huge integer", '{"income": ' + "9" * 4000 + "}", None),
    ("500-deep nesting", deep(500), ["body", *["a"] * 8]),
    ("10000-deep nesting", deep(10000), None),
    ("a lone surrogate", '{"note": "\\ud800"}', ["body", "note"]),
    ("a NUL", '{"note": "a\\u0000b"}', ["body", "note"]),
    ("an empty key", '{"": 1}', ["body", ""]),
    ("100 KB of text", json.dumps({"observations": "x" * 100_000}), None),  # the runtime's 413
    ("over 64 KB once written out", '{"x": [' + ",".join(["1e5"] * 8000) + "]}", ["body"]),
    ("a list", "[1, 2]", None),
    ("not JSON", '{"a": ', None),
    ("nothing", "", None),
]


async def test_nasty_drafts_are_refused_by_field_never_a_500(service: Service) -> None:
    case_id, worker = await service.open_case()
    url = f"/v1/cases/{case_id}/assessment/draft"
    headers = {**worker, "content-type": "application/json"}
    for name, body, loc in NASTY:
        answer = await service.http.put(url, content=body.encode(), headers=headers)
        assert answer.status_code < 500, (name, answer.status_code, answer.text[:300])
        assert answer.status_code in (400, 413, 422), (name, answer.status_code)
        if loc is not None:
            assert answer.status_code == 422, name
            where = "".join(f"/{part}" for part in loc)
            assert where in [e["pointer"] for e in answer.json()["errors"]], (name, answer.text)
    saved = await service.http.get(url, headers=worker)
    assert saved.status_code == 404  # none of them was stored


KEYS = st.one_of(st.from_regex(r"\A[a-z_][a-z0-9_]{0,12}\Z"), st.text(min_size=0, max_size=8))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=25,
)


def generated(count: int) -> list[dict[str, Any]]:
    """Drafts as hypothesis writes them (derandomized: the same every run)."""
    found: list[dict[str, Any]] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.dictionaries(KEYS, VALUES, max_size=6))
    def collect(draft: dict[str, Any]) -> None:
        found.append(draft)

    collect()
    return found


async def test_generated_drafts_are_stored_as_sent_or_refused_never_a_500(
    service: Service,
) -> None:
    case_id, worker = await service.open_case()
    url = f"/v1/cases/{case_id}/assessment/draft"
    headers = {**worker, "content-type": "application/json"}
    stored = 0
    for draft in generated(150):
        body = json.dumps(draft, allow_nan=True).encode("utf-8", "surrogatepass")
        answer = await service.http.put(url, content=body, headers=headers)
        assert answer.status_code in (204, 422), (draft, answer.status_code, answer.text[:300])
        if answer.status_code == 204:
            stored += 1
            saved = await service.http.get(url, headers=worker)
            assert saved.status_code == 200, (draft, saved.text[:300])
            assert saved.json()["draft"] == draft
    assert stored >= 10  # the strategy writes storable drafts too
