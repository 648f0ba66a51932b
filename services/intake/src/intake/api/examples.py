"""Example bodies of the intake API, as the running service answers them (ids and
times from a local run; the people are fictitious). Routes show them in
OpenAPI, so Swagger UI fills them in for "Try it out"."""

from __future__ import annotations

from typing import Any

from inson_runtime.apikit import example_page

CASE_ID = "6baf1686-c4c8-51c8-819c-6719f437f667"
APPLICATION_ID = "ac6f91c1-1915-50f8-8210-856864ed971a"
APPLICANT: dict[str, Any] = {
    "last_name": "Karimova",
    "first_name": "Dilnoza",
    "patronymic": "Rustamovna",
    "birth_date": "1985-01-30",
}

APPLICATION: dict[str, Any] = {
    "id": APPLICATION_ID,
    "case_id": CASE_ID,
    "channel": "mahalla_tablet",
    "district": "1735207",
    "mahalla": "1735207001",
    "submitted_at": "2026-12-06T02:47:52.820000Z",
    "submitted_by": "tablet-user",
    "circumstances": ["low_income", "child_at_risk"],
    "applicant": APPLICANT,
    "household_size": 2,
    "status": "opened_case",
}

SUBMISSION: dict[str, Any] = APPLICATION | {
    "application_id": APPLICATION_ID,
    "outcome": "case_opened",
}

LIKELY_MATCH: dict[str, Any] = APPLICATION | {
    "id": "01a24940-3869-7624-b971-a46e6d84da17",
    "channel": "service_window",
    "mahalla": "1735207006",
    "submitted_at": "2026-12-06T02:48:10.112000Z",
    "submitted_by": "op-window-1",
    "applicant": APPLICANT | {"first_name": "Dilnozza"},
    "status": "pending_confirmation",
    "match": "likely_same_person",
}

CASE: dict[str, Any] = {
    "id": CASE_ID,
    "status": "open",
    "region": "1735",
    "district": "1735207",
    "mahalla": "1735207001",
    "circumstances": ["low_income", "child_at_risk"],
    "household_size": 2,
    "language": "uz-Latn",
    "opened_at": "2026-12-06T02:47:52.820000Z",
    "opening_application_id": APPLICATION_ID,
    "applicant": APPLICANT,
    "pending_confirmations": 1,
    "applications": 2,
}

CLOSED_CASE: dict[str, Any] = CASE | {
    "id": "6f4e54dd-4797-5c54-9da2-82c12b5dfd4f",
    "status": "closed",
    "opening_application_id": "2cf30b68-3df9-5f80-b985-d961199877b2",
    "applicant": {
        "last_name": "Qodirova",
        "first_name": "Malika",
        "patronymic": "Rustamovna",
        "birth_date": "1948-04-28",
    },
    "circumstances": ["lonely_elderly", "needs_care_by_others", "disability"],
    "household_size": 1,
    "pending_confirmations": 0,
    "applications": 1,
    "closed_at": "2026-12-19T09:15:01.913000Z",
    "closure_reason": "plan_completed",
}


REJECTION: dict[str, Any] = {
    "reason": "duplicate_submission",
    "explanation": "Ayni ariza ikki marta yuborilgan",
}

REFUSAL: dict[str, Any] = {
    "application_id": "01a24940-3869-7624-b971-a46e6d84da17",
    "new_case_id": "3a824d83-3937-52d0-89bc-2fd3c6e35dfc",
}

ERASURE_REQUEST: dict[str, Any] = {"basis": "subject_request", "reference": "ARZ-2026/0457"}
ERASURE: dict[str, Any] = {"case_id": "3a824d83-3937-52d0-89bc-2fd3c6e35dfc", "erased": True}

_SCOPE: dict[str, Any] = {"district": "1735207", "mahallas": [], "service_center": None}
ACCESS_LOG: dict[str, Any] = example_page(
    {
        "id": "9f08ee45-8325-429c-832d-17d9b10f0135",
        "service": "assessment",
        "actor": "sup-1735207",
        "role": "supervisor",
        "scope": _SCOPE,
        "purpose": "case_work",
        "operation": "GET /v1/case-files/{case_id}/referrals",
        "fields": ["item_id", "outcome", "reason", "referral", "service_code"],
        "read_at": "2026-12-06T02:50:03.184000Z",
    },
    {
        "id": "1ee9e976-d9bc-42f9-bd30-72d158c0079e",
        "service": "intake",
        "actor": "sw-1735207-03",
        "role": "social_worker",
        "scope": {"district": "1735207", "mahallas": ["1735207001"], "service_center": None},
        "purpose": "case_work",
        "operation": "GET /v1/cases/{case_id}",
        "fields": ["applicant", "circumstances", "district", "id", "mahalla", "status"],
        "read_at": "2026-12-06T02:48:49.895000Z",
    },
    total=22,
    page_size=100,
)
