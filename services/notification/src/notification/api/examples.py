"""Example bodies of the partner API and the delivery log, as the running service
answers them (ids and times from a local run). Routes show them in OpenAPI, so
Swagger UI fills them in for "Try it out"."""

from __future__ import annotations

from typing import Any

EVENT_TYPES: list[Any] = [
    "uz.inson.intake.application.linked.v1",
    "uz.inson.intake.application.rejected.v1",
    "uz.inson.intake.application.submitted.v1",
    "uz.inson.intake.applicationlink.confirmed.v1",
    "uz.inson.intake.applicationlink.refused.v1",
    "uz.inson.intake.case.closed.v1",
    "uz.inson.intake.case.opened.v1",
    "uz.inson.intake.person.erased.v1",
]

SUBSCRIPTION_REQUEST: dict[str, Any] = {
    "url": "https://hooks.example.org/inson",
    "event_types": ["uz.inson.intake.case.opened.v1", "uz.inson.assessment.plan.approved.v1"],
    "regions": ["1735"],
    "circumstance_categories": ["child_protection"],
    "description": "Qoraqalpogʻiston: bolalar himoyasi",
}

SUBSCRIPTION_CREATED: dict[str, Any] = {
    "id": "791d99a4-ec73-4014-9040-b992a3c7853a",
    "url": "https://hooks.example.org/inson",
    "event_types": ["uz.inson.assessment.plan.approved.v1", "uz.inson.intake.case.opened.v1"],
    "regions": ["1735"],
    "districts": [],
    "circumstance_categories": ["child_protection"],
    "service_categories": [],
    "data_sharing": {"level": "none", "personal_fields": []},
    "description": "Qoraqalpogʻiston: bolalar himoyasi",
    "created_by": "partner-unicef-uz",
    "created_at": "2026-12-06T02:51:23.666768Z",
    "secret": "whsec_Br+KyOm0t5LMgmU7DJlCbT3vzd3MuVcENG0oaaLBQVs=",
}

SUBSCRIPTIONS: dict[str, Any] = {
    "items": [
        {
            "id": "791d99a4-ec73-4014-9040-b992a3c7853a",
            "url": "https://hooks.example.org/inson",
            "event_types": [
                "uz.inson.assessment.plan.approved.v1",
                "uz.inson.intake.case.opened.v1",
            ],
            "regions": ["1735"],
            "districts": [],
            "circumstance_categories": ["child_protection"],
            "service_categories": [],
            "data_sharing": {"level": "none", "personal_fields": []},
            "description": "Qoraqalpogʻiston: bolalar himoyasi",
            "created_by": "partner-unicef-uz",
            "created_at": "2026-12-06T02:51:23.666000Z",
        }
    ],
    "page": 1,
    "page_size": 20,
    "total": 1,
}

SUBSCRIPTION: dict[str, Any] = {
    "id": "791d99a4-ec73-4014-9040-b992a3c7853a",
    "url": "https://hooks.example.org/inson",
    "event_types": ["uz.inson.assessment.plan.approved.v1", "uz.inson.intake.case.opened.v1"],
    "regions": ["1735"],
    "districts": [],
    "circumstance_categories": ["child_protection"],
    "service_categories": [],
    "data_sharing": {"level": "none", "personal_fields": []},
    "description": "Qoraqalpogʻiston: bolalar himoyasi",
    "created_by": "partner-unicef-uz",
    "created_at": "2026-12-06T02:51:23.666000Z",
    "deliveries": {"pending": 1, "delivering": 0, "delivered": 8, "dead": 1, "blocked": 0},
}

DATA_SHARING_REQUEST: dict[str, Any] = {
    "level": "named_fields",
    "personal_fields": ["applicant.name", "applicant.phone"],
    "agreement": "DSA-2026/014",
}

SUBSCRIPTION_SHARED: dict[str, Any] = {
    "id": "791d99a4-ec73-4014-9040-b992a3c7853a",
    "url": "https://hooks.example.org/inson",
    "event_types": ["uz.inson.assessment.plan.approved.v1", "uz.inson.intake.case.opened.v1"],
    "regions": ["1735"],
    "districts": [],
    "circumstance_categories": ["child_protection"],
    "service_categories": [],
    "data_sharing": {
        "level": "named_fields",
        "personal_fields": ["applicant.name", "applicant.phone"],
        "agreement": "DSA-2026/014",
        "set_by": "admin-dpo",
        "set_at": "2026-12-06T03:10:41.208000Z",
    },
    "description": "Qoraqalpogʻiston: bolalar himoyasi",
    "created_by": "partner-unicef-uz",
    "created_at": "2026-12-06T02:51:23.666000Z",
}

DELIVERIES: dict[str, Any] = {
    "items": [
        {
            "event_id": "01a2493b-9013-7466-be52-b4b4e43f1b10",
            "event_type": "uz.inson.intake.case.opened.v1",
            "subject": "case-0ac034d2-d2e0-5d41-8a52-b0d4890029e2",
            "version": 2,
            "time": "2026-12-06T02:42:50.003000Z",
            "state": "delivered",
            "attempts": 1,
            "next_attempt_at": None,
            "last_error": None,
            "delivered_at": "2026-12-06T02:51:25.204000Z",
            "dead_at": None,
        },
        {
            "event_id": "01a2493b-a435-770d-bede-dce5be1df930",
            "event_type": "uz.inson.assessment.plan.approved.v1",
            "subject": "assessment-0ac034d2-d2e0-5d41-8a52-b0d4890029e2",
            "version": 6,
            "time": "2026-12-06T02:42:55.157000Z",
            "state": "dead",
            "attempts": 8,
            "next_attempt_at": None,
            "last_error": "http 503",
            "delivered_at": None,
            "dead_at": "2026-12-06T14:02:11.870000Z",
        },
    ],
    "page": 1,
    "page_size": 20,
    "total": 10,
}

REPLAY: dict[str, Any] = {"requeued": 10}

MESSAGES: dict[str, Any] = {
    "items": [
        {
            "id": "b41c721e-fdd7-53b4-9366-e3d4ac1e5b2a",
            "case_id": "6baf1686-c4c8-51c8-819c-6719f437f667",
            "cause_type": "uz.inson.referral.referral.rejected.v1",
            "kind": "citizen",
            "recipient_ref": "6baf1686-c4c8-51c8-819c-6719f437f667",
            "channel": "sms",
            "language": "uz-Latn",
            "template": "citizen.referral_rejected",
            "status": "sent",
            "attempts": 1,
            "created_at": "2026-12-06T02:49:59.933000Z",
            "updated_at": "2026-12-06T02:49:59.938000Z",
            "district": "1735207",
            "last_reason": None,
        },
        {
            "id": "e8ce7b69-0685-58ad-b024-0cd3f060abc8",
            "case_id": "6baf1686-c4c8-51c8-819c-6719f437f667",
            "cause_type": "uz.inson.referral.referral.rejected.v1",
            "kind": "social_worker",
            "recipient_ref": "sw-1735207-02",
            "channel": "telegram",
            "language": "uz-Latn",
            "template": "worker.referral_rejected",
            "status": "sent",
            "attempts": 1,
            "created_at": "2026-12-06T02:49:59.933000Z",
            "updated_at": "2026-12-06T02:49:59.972000Z",
            "district": "1735207",
            "last_reason": None,
        },
    ],
    "page": 1,
    "page_size": 20,
    "total": 31,
}

SUMMARY: dict[str, Any] = {
    "sent": {"sms": 18, "telegram": 13, "email": 2},
    "failed-retryable": {"sms": 1},
}
