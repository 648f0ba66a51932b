"""Examples of the insight API's answers (shown in Swagger UI)."""

from __future__ import annotations

from typing import Any

_DURATION = {"count": 12, "median_hours": 30.5, "p90_hours": 71.0}
INDICATORS: dict[str, Any] = {
    "level": "district",
    "period": "month",
    "district": "1735207",
    "rows": [
        {
            "area": "1735207",
            "period": "2026-12",
            "small_counts_hidden": False,
            "figures": {
                "applications": {
                    "total": 14,
                    "by_channel": {"mahalla_tablet": 11, "service_window": 3},
                },
                "cases": {"opened": 12, "closed": 2},
                "durations": {
                    "home_visit": _DURATION,
                    "assessment": _DURATION,
                    "plan_approval": {"count": 9, "median_hours": 52.0, "p90_hours": 120.0},
                    "first_referral_accepted": {
                        "count": 0,
                        "median_hours": None,
                        "p90_hours": None,
                    },
                    "plan_completion": {"count": 0, "median_hours": None, "p90_hours": None},
                },
                "referrals": {
                    "issued": 20,
                    "by_provider_type": {"social_service_window": 15, "health_facility": 5},
                    "by_status": {"accepted": 12, "issued": 5, "rejected": 3},
                    "overdue": 2,
                    "escalated": 1,
                    "expired": 0,
                    "refused": 3,
                    "refusals_by_reason": {"not_eligible": 2, "capacity": 1},
                },
                "registers": {"care_register_entries": 3, "temporary_housing_registrations": 0},
                "messages": {
                    "sent": 40,
                    "failed": 1,
                    "sent_by_channel": {"sms": 35, "telegram": 5},
                    "failed_by_channel": {"sms": 1},
                },
            },
        }
    ],
}
COVERAGE: dict[str, Any] = {
    "districts": [
        {
            "district": "1735207",
            "small_counts_hidden": False,
            "figures": {
                "mahallas": 48,
                "mahallas_with_cases": 9,
                "open_cases": 12,
                "cases_awaiting_visit": 3,
                "workers": 24,
                "caseload_per_worker": 0.5,
                "max_caseload": 3,
                "referrals_awaiting": 5,
                "referrals_overdue": 2,
            },
        }
    ]
}
