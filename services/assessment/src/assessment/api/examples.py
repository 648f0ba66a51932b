"""Example bodies of the assessment API, as the running service answers them (ids and
times from a local run; the household is fictitious). Routes show them in OpenAPI,
so Swagger UI fills them in for "Try it out"."""

from __future__ import annotations

from typing import Any

ASSESSMENT: dict[str, Any] = {
    "assessment_id": "4cdc2740-a7d8-5623-968d-732d4d5a9379",
    "need_score": 50.0,
    "need_level": "high",
    "score_model": "need-score/1",
    "contributions": [
        {
            "factor": "income_per_person",
            "points": 30.0,
            "explanation": "Income per person below half of the reference line of "
            "648,000 UZS/month: +30",
        },
        {
            "factor": "unemployed_working_age",
            "points": 5.0,
            "explanation": "1 member of working age unemployed and seeking work: +5",
        },
        {
            "factor": "risk_neglect",
            "points": 15.0,
            "explanation": "Neglect of a child or a dependent adult: +15",
        },
    ],
    "eligible_services": [
        "CHILD-04",
        "CASH-03",
        "CHILD-01",
        "FAM-01",
        "KIND-01",
        "CASH-01",
        "CASH-07",
        "EMP-01",
    ],
    "plan_items": [
        {
            "item_id": "item-child-04",
            "service_code": "CHILD-04",
            "provider_type": "inson_center",
            "priority": "emergency",
            "due_by": "2026-12-07",
            "goal": None,
            "needs": ["family_preservation"],
            "provider": None,
        },
        {
            "item_id": "item-cash-03",
            "service_code": "CASH-03",
            "provider_type": "social_service_window",
            "priority": "urgent",
            "due_by": "2026-12-09",
            "goal": None,
            "needs": ["crisis_cash"],
            "provider": None,
        },
        {
            "item_id": "item-fam-01",
            "service_code": "FAM-01",
            "provider_type": "inson_center",
            "priority": "urgent",
            "due_by": "2026-12-09",
            "goal": None,
            "needs": ["psychological_support"],
            "provider": None,
        },
    ],
    "needs": [
        {
            "need": "family_preservation",
            "summary": "A child who is neglected, works or risks institutional care, and has "
            "parents, needs the family supported so the child stays at home.",
            "reasons": [
                "a child in the household (a member: aged 17 or under)",
                "protection risk neglect or child_labour or risk_of_institutionalisation",
                "not (protection risk without_parental_care)",
            ],
        },
        {
            "need": "crisis_cash",
            "summary": "A homeless household, one facing violence, or a low-income household "
            "in high need needs one-off material assistance.",
            "reasons": [
                "low-income household (income per person below 648,000 UZS/month)",
                "need level high or higher",
            ],
        },
        {
            "need": "food",
            "summary": "A homeless person, or a low-income household in high need, needs food "
            "packages.",
            "reasons": [
                "low-income household (income per person below 648,000 UZS/month)",
                "need level high or higher",
            ],
        },
    ],
    "offered_services": [
        "CHILD-01",
        "EMP-01",
        "EMP-02",
        "EMP-06",
        "FAM-05",
        "KIND-02",
        "KIND-03",
        "KIND-04",
    ],
}

COMPLETION: dict[str, Any] = {
    "situation": {
        "members": [
            {"member_ref": "m1", "age": 41, "sex": "female", "employment": "unemployed_seeking"},
            {
                "member_ref": "m2",
                "relation": "child",
                "age": 11,
                "sex": "male",
                "employment": "child",
                "schooling": "attending",
            },
        ],
        "income_sources": [{"kind": "child_allowance", "monthly_amount_uzs": 450000}],
        "housing": "adequate",
        "protection_risks": ["neglect"],
    }
}

DRAFT: dict[str, Any] = {
    "members": [
        {"member_ref": "m1", "age": 41, "sex": "female", "employment": "unemployed_seeking"}
    ],
    "housing": "adequate",
}

DRAFT_VIEW: dict[str, Any] = {
    "draft": {
        "members": [
            {"member_ref": "m1", "age": 41, "sex": "female", "employment": "unemployed_seeking"}
        ],
        "housing": "adequate",
    },
    "saved_by": "sw-1735207-03",
    "saved_at": "2026-12-06T02:48:44.661000Z",
    "revision": 2,
}

PLAN_EDIT: dict[str, Any] = {
    "items": [
        {
            "item_id": "item-child-04",
            "service_code": "CHILD-04",
            "provider_type": "inson_center",
            "priority": "emergency",
            "due_by": "2026-12-07",
        },
        {
            "item_id": "item-cash-03",
            "service_code": "CASH-03",
            "provider_type": "social_service_window",
            "priority": "urgent",
        },
        {
            "item_id": "item-kind-01",
            "service_code": "KIND-01",
            "provider_type": "mahalla",
            "priority": "urgent",
        },
        {
            "item_id": "item-emp-01",
            "service_code": "EMP-01",
            "provider_type": "employment_center",
            "goal": "Onasi ishga joylashadi",
            "provider": "employment-1735207",
        },
    ],
    "base_version": 4,
}

REVISION: dict[str, Any] = {
    "items": [
        {
            "item_id": "item-child-04",
            "service_code": "CHILD-04",
            "provider_type": "inson_center",
            "priority": "emergency",
            "due_by": "2026-12-07",
        },
        {
            "item_id": "item-cash-03",
            "service_code": "CASH-03",
            "provider_type": "social_service_window",
            "priority": "urgent",
        },
        {
            "item_id": "item-kind-01",
            "service_code": "KIND-01",
            "provider_type": "mahalla",
            "priority": "urgent",
        },
        {
            "item_id": "item-emp-01",
            "service_code": "EMP-01",
            "provider_type": "employment_center",
            "goal": "Onasi ishga joylashadi",
            "provider": "employment-1735207",
        },
        {
            "item_id": "item-fam-01",
            "service_code": "FAM-01",
            "provider_type": "inson_center",
            "priority": "urgent",
        },
    ],
    "reason": "Onaga psixolog yordami kerak",
}

REVISION_PROPOSED: dict[str, Any] = {
    "status": "proposed",
    "plan_id": "fd38fbec-0bca-589f-ad2a-0779282f05ea",
    "added_services": ["FAM-01"],
    "proposed_by": {"id": "sw-1735207-03", "role": "social_worker"},
    "proposed_at": "2026-12-06T02:49:11.038591Z",
}

CLOSURE: dict[str, Any] = {"reason": "moved_away", "note": "Oila Nukus shahriga koʻchib ketdi"}

CONFLICTS: list[Any] = [
    {
        "conflict_id": "8f5a0b6e-2079-57b9-8c3c-d84f0bb2f399",
        "command": "plan_revision",
        "base_version": 6,
        "current_version": 10,
        "fields": [
            {
                "path": "items/item-kind-01",
                "base": {
                    "due_by": None,
                    "goal": None,
                    "item_id": "item-kind-01",
                    "needs": [],
                    "priority": "urgent",
                    "provider": None,
                    "provider_type": "mahalla",
                    "service_code": "KIND-01",
                },
                "current": {
                    "due_by": None,
                    "goal": None,
                    "item_id": "item-kind-01",
                    "needs": [],
                    "priority": "emergency",
                    "provider": None,
                    "provider_type": "mahalla",
                    "service_code": "KIND-01",
                },
                "submitted": {
                    "due_by": None,
                    "goal": None,
                    "item_id": "item-kind-01",
                    "needs": [],
                    "priority": "routine",
                    "provider": None,
                    "provider_type": "mahalla",
                    "service_code": "KIND-01",
                },
            }
        ],
        "proposed_situation": None,
        "proposed_items": [
            {
                "item_id": "item-kind-01",
                "service_code": "KIND-01",
                "provider_type": "mahalla",
                "priority": "routine",
                "due_by": None,
                "goal": None,
                "needs": [],
                "provider": None,
            }
        ],
        "proposed_reason": "Mahalla oziq-ovqat berdi",
        "submitted_by": {"id": "sw-1735207-03", "role": "social_worker"},
        "submitted_at": "2026-12-06T02:49:11.247925+00:00",
    }
]

RESOLUTION: dict[str, Any] = {"resolution": "keep_current"}

REASSIGNMENT: dict[str, Any] = {
    "to_social_worker_id": "sw-1735207-02",
    "reason": "caseload_balancing",
    "note": "sw-1735207-03 taʼtilda",
}

CARE_ENTRY: dict[str, Any] = {
    "category": "needs_care_by_others",
    "decision_ref": "IM-1735207/2026-114",
}

ENTRY_CREATED: dict[str, Any] = {"entry_id": "7491e194-9e23-5e88-a1da-8c1293f584f1"}

CARE_REMOVAL: dict[str, Any] = {"reason": "care_by_relatives", "note": "Qizi parvarishga oldi"}

HOUSING: dict[str, Any] = {
    "institution_code": "SHELTER-1735",
    "valid_from": "2026-12-07",
    "valid_until": "2027-06-06",
}

REGISTRATION_CREATED: dict[str, Any] = {"registration_id": "09903e81-28ae-507a-9c8d-39bad8fcb97f"}

HOUSING_REGISTRATIONS: list[Any] = [
    {
        "registration_id": "09903e81-28ae-507a-9c8d-39bad8fcb97f",
        "institution_code": "SHELTER-1735",
        "valid_from": "2026-12-07",
        "valid_until": "2027-06-06",
        "status": "upcoming",
        "ending_noted": False,
        "expired": False,
        "extends": None,
        "extended_by": None,
        "reason": None,
        "decided_by": {"id": "sup-1735207", "role": "supervisor"},
        "decided_at": "2026-12-06T02:49:34.001048Z",
    }
]
