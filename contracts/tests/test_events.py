"""The event classes: conventions that hold for all, and the rules some carry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from inson_contracts.codes.channels import Channel
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.names import Language
from inson_contracts.events import (
    REGISTRY,
    ApplicationSubmitted,
    PlanApproved,
    ReferralIssued,
    TemporaryHousingGranted,
    event_types,
)
from inson_contracts.personal import personal_paths
from inson_contracts.topics import CATALOGUE, by_name
from pydantic import ValidationError

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
WORKER = {"id": "worker-17", "role": "social_worker"}


def application(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "application_id": "app-1",
        "channel": "mahalla_tablet",
        "submitted_by": WORKER,
        "submitted_at": NOW.isoformat(),
        "applicant": {
            "pinfl": "30101850123456",
            "name": {"last_name": "Karimova", "first_name": "Dilnoza"},
            "birth_date": "1985-01-30",
            "sex": "female",
            "phone": "+998901234567",
            "language": "uz-Latn",
        },
        "address": {"region": "1735", "district": "1735204", "mahalla": "1735204001"},
        "household": [
            {
                "relation": "child",
                "name": {"last_name": "Karimov", "first_name": "Aziz"},
                "birth_date": "2015-05-01",
            }
        ],
        "circumstances": ["low_income", "child_at_risk"],
        "consent": {"given": True, "given_at": NOW.isoformat(), "text_version": "2026-01"},
    }
    data.update(overrides)
    return data


def test_each_context_publishes_only_to_its_own_topic() -> None:
    for event_type in REGISTRY.types():
        context = event_type.split(".")[2]
        topic = by_name(REGISTRY.class_for(event_type).TOPIC)
        assert topic.owner == context, event_type


def test_every_topic_except_dead_letters_carries_events_and_the_flow_is_covered() -> None:
    carried = {t.name: event_types(t) for t in CATALOGUE}
    assert all(carried.values())
    assert len(REGISTRY.types()) >= 30
    assert "uz.inson.referral.referral.escalated.v1" in carried["inson.referral.referrals.v1"]


def test_an_application_parses_from_its_json_and_round_trips() -> None:
    event = REGISTRY.parse(ApplicationSubmitted.TYPE, application())

    assert isinstance(event, ApplicationSubmitted)
    assert event.channel is Channel.MAHALLA_TABLET
    assert event.applicant.language is Language.UZ_LATN
    assert Circumstance.CHILD_AT_RISK in event.circumstances
    assert ApplicationSubmitted.model_validate(event.model_dump(mode="json")) == event


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"applicant": {**application()["applicant"], "pinfl": "3010185012345"}}, "pinfl"),  # type: ignore[dict-item]
        ({"applicant": {**application()["applicant"], "phone": "90 123 45 67"}}, "phone"),  # type: ignore[dict-item]
        ({"circumstances": []}, "circumstances"),
        ({"circumstances": ["bad_luck"]}, "circumstances"),
        ({"address": {"region": "17", "district": "1735204", "mahalla": "1735204001"}}, "region"),
        ({"channel": "carrier_pigeon"}, "channel"),
    ],
)
def test_a_bad_application_is_refused_naming_the_field(
    change: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        ApplicationSubmitted.model_validate(application(**change))
    assert field in str(caught.value)


def test_personal_data_is_marked_down_to_nested_fields() -> None:
    paths = personal_paths(ApplicationSubmitted)

    for path in (
        "applicant.pinfl",
        "applicant.name.last_name",
        "applicant.birth_date",
        "applicant.phone",
        "address.street",
        "household[].name.first_name",
        "household[].pinfl",
        "circumstances_note",
    ):
        assert path in paths
    assert "address.mahalla" not in paths
    assert "applicant.language" not in paths
    assert not any(
        p.startswith("items") and p.endswith("service_code") for p in personal_paths(PlanApproved)
    )
    assert "items[].goal" in personal_paths(PlanApproved)


def test_temporary_housing_leaves_the_term_to_the_rule_and_ends_after_it_starts() -> None:
    # How long a registration may be is assessment's versioned rule (six calendar
    # months: 1 March to 1 September is 184 days); the event reads whatever a
    # rule allowed when it was recorded, and names the registration it continues.
    granted = {
        "case_id": "case-1",
        "registration_id": "reg-2",
        "institution_code": "INST-7",
        "valid_from": "2026-03-01",
        "decided_by": {"id": "sup-1", "role": "supervisor"},
        "decided_at": NOW.isoformat(),
    }
    ok = TemporaryHousingGranted.model_validate({**granted, "valid_until": "2026-09-01"})
    assert (ok.valid_until - ok.valid_from).days == 184
    assert ok.extends is None and ok.reason is None
    continued = TemporaryHousingGranted.model_validate(
        {**granted, "valid_until": "2026-09-01", "extends": "reg-1", "reason": "still homeless"}
    )
    assert continued.extends == "reg-1"
    assert "reason" in personal_paths(TemporaryHousingGranted)

    with pytest.raises(ValidationError, match="after valid_from"):
        TemporaryHousingGranted.model_validate({**granted, "valid_until": "2026-03-01"})


def test_referral_events_name_their_case() -> None:
    for event_type in REGISTRY.types():
        cls = REGISTRY.class_for(event_type)
        if cls.TOPIC == "inson.referral.referrals.v1":
            assert {"referral_id", "case_id"} <= set(cls.model_fields), event_type
    assert "destination" in ReferralIssued.model_fields
