"""Example bodies of the referral API, as the running service answers them (ids and
times from a local run; the people are fictitious, the centers and providers the
generated placeholders). Routes show them in OpenAPI, so Swagger UI fills them in
for "Try it out"."""

from __future__ import annotations

from typing import Any

QUEUE: dict[str, Any] = {
    "items": [
        {
            "id": "7bdf20be-b5ba-5122-8076-633ecd17b1f7",
            "referral_code": "86E3B5MF",
            "status": "delivered",
            "case_id": "6baf1686-c4c8-51c8-819c-6719f437f667",
            "service_code": "CASH-03",
            "service_name": {
                "uz_latn": "Bir martalik moddiy yordam",
                "uz_cyrl": "Бир марталик моддий ёрдам",
                "ru": "Единовременная материальная помощь",
            },
            "priority": "urgent",
            "provider_type": "social_service_window",
            "district": "1735207",
            "service_center": "psc-1735207",
            "window": "psc-1735207-w2",
            "provider": None,
            "issued_at": "2026-12-06T02:49:10.992000Z",
            "accept_by": "2026-12-09T02:49:10.992000Z",
            "overdue": False,
            "escalation_level": 0,
        },
        {
            "id": "a24b82c9-a87a-5f5f-942d-ebd9380119d8",
            "referral_code": "3JKVGXXW",
            "status": "delivered",
            "case_id": "0ac034d2-d2e0-5d41-8a52-b0d4890029e2",
            "service_code": "CASH-04",
            "service_name": {
                "uz_latn": "Nogironligi boʻlgan shaxslarga ijtimoiy nafaqa",
                "uz_cyrl": "Ногиронлиги бўлган шахсларга ижтимоий нафақа",
                "ru": "Социальное пособие лицам с инвалидностью",
            },
            "priority": "routine",
            "provider_type": "social_service_window",
            "district": "1735207",
            "service_center": "psc-1735207",
            "window": "psc-1735207-w1",
            "provider": None,
            "issued_at": "2026-12-06T02:42:55.517000Z",
            "accept_by": "2026-12-16T02:42:55.517000Z",
            "overdue": False,
            "escalation_level": 0,
        },
    ],
    "page": 1,
    "page_size": 2,
    "total": 2,
}

REFERRAL: dict[str, Any] = {
    "id": "7bdf20be-b5ba-5122-8076-633ecd17b1f7",
    "referral_code": "86E3B5MF",
    "status": "completed",
    "case_id": "6baf1686-c4c8-51c8-819c-6719f437f667",
    "service_code": "CASH-03",
    "service_name": {
        "uz_latn": "Bir martalik moddiy yordam",
        "uz_cyrl": "Бир марталик моддий ёрдам",
        "ru": "Единовременная материальная помощь",
    },
    "priority": "urgent",
    "provider_type": "social_service_window",
    "district": "1735207",
    "service_center": "psc-1735207",
    "window": "psc-1735207-w2",
    "provider": None,
    "issued_at": "2026-12-06T02:49:10.992000Z",
    "accept_by": "2026-12-09T02:49:10.992000Z",
    "overdue": False,
    "escalation_level": 0,
    "plan_id": "fd38fbec-0bca-589f-ad2a-0779282f05ea",
    "plan_version": 1,
    "item_id": "item-cash-03",
    "replaces": None,
    "center_name": {
        "uz_latn": "Beruniy tumani davlat xizmatlari markazi (vaqtincha nom)",
        "uz_cyrl": "Беруний тумани давлат хизматлари маркази (вақтинча ном)",
        "ru": "Центр государственных услуг: Берунийский район (временное название)",
    },
    "window_name": {
        "uz_latn": "Ijtimoiy xizmat darchasi 2 (vaqtincha nom)",
        "uz_cyrl": "Ижтимоий хизмат дарчаси 2 (вақтинча ном)",
        "ru": "Окно социальных услуг 2 (временное название)",
    },
    "provider_name": None,
    "delivered_at": "2026-12-06T02:49:10.992000Z",
    "accepted_at": "2026-12-06T02:49:59.596000Z",
    "accepted_by": "op-window-1",
    "started_at": "2026-12-06T02:49:59.694000Z",
    "completed_at": "2026-12-06T02:49:59.791000Z",
    "rejected_at": None,
    "rejection_code": None,
    "cancelled_at": None,
    "cancellation_reason": None,
    "expired_at": None,
    "escalated_to": None,
    "history": [
        {"type": "issued", "at": "2026-12-06T02:49:10.992000Z", "by": None},
        {"type": "delivered", "at": "2026-12-06T02:49:10.992000Z", "by": None},
        {"type": "accepted", "at": "2026-12-06T02:49:59.596000Z", "by": "op-window-1"},
        {"type": "started", "at": "2026-12-06T02:49:59.694000Z", "by": "op-window-1"},
        {"type": "completed", "at": "2026-12-06T02:49:59.791000Z", "by": "op-window-1"},
    ],
}

NOTE: dict[str, Any] = {"note": "Hujjatlar toʻliq"}

ACCEPTED: dict[str, Any] = {
    "referral_id": "7bdf20be-b5ba-5122-8076-633ecd17b1f7",
    "status": "accepted",
    "escalation_level": 0,
}

STARTED: dict[str, Any] = {
    "referral_id": "7bdf20be-b5ba-5122-8076-633ecd17b1f7",
    "status": "started",
    "escalation_level": 0,
}

COMPLETION: dict[str, Any] = {"note": "Moddiy yordam tayinlandi"}

COMPLETED: dict[str, Any] = {
    "referral_id": "7bdf20be-b5ba-5122-8076-633ecd17b1f7",
    "status": "completed",
    "escalation_level": 0,
}

REJECTION: dict[str, Any] = {
    "code": "documents_missing",
    "reason": "Mehnat daftarchasi nusxasi yoʻq",
}

REJECTED: dict[str, Any] = {
    "referral_id": "24698e2c-a745-5302-9c01-a0c0859bd5cb",
    "status": "rejected",
    "escalation_level": 0,
}

PERSON: dict[str, Any] = {
    "referral_id": "fd855cfd-2be3-5069-97fd-481eeb4797c9",
    "case_id": "6f4e54dd-4797-5c54-9da2-82c12b5dfd4f",
    "service_code": "HOME-02",
    "at_home": True,
    "name": {"last_name": "Qodirova", "first_name": "Malika", "patronymic": "Rustamovna"},
    "birth_date": "1948-04-28",
    "address": {
        "region": "1735",
        "district": "1735207",
        "mahalla": "1735207004",
        "mahalla_name": {
            "uz_latn": "Mahalla №004 (vaqtincha nom)",
            "uz_cyrl": "Маҳалла №004 (вақтинча ном)",
            "ru": "Махалля №004 (временное название)",
        },
        "street": "Alisher Navoiy koʻchasi",
        "house": "12",
    },
}

AS_OF: list[Any] = [
    {
        "referral_id": "7bdf20be-b5ba-5122-8076-633ecd17b1f7",
        "plan_id": "fd38fbec-0bca-589f-ad2a-0779282f05ea",
        "plan_version": 1,
        "item_id": "item-cash-03",
        "service_code": "CASH-03",
        "destination": {
            "provider_type": "social_service_window",
            "district": "1735207",
            "service_center": "psc-1735207",
            "window": "psc-1735207-w2",
            "provider": None,
        },
        "status": "completed",
        "escalation_level": 0,
        "version": 5,
    },
    {
        "referral_id": "3e6f2046-78a4-52c5-b968-e561c9475ee9",
        "plan_id": "fd38fbec-0bca-589f-ad2a-0779282f05ea",
        "plan_version": 1,
        "item_id": "item-kind-01",
        "service_code": "KIND-01",
        "destination": {
            "provider_type": "mahalla",
            "district": "1735207",
            "service_center": None,
            "window": None,
            "provider": "mahalla-1735207005",
        },
        "status": "issued",
        "escalation_level": 0,
        "version": 1,
    },
    {
        "referral_id": "24698e2c-a745-5302-9c01-a0c0859bd5cb",
        "plan_id": "fd38fbec-0bca-589f-ad2a-0779282f05ea",
        "plan_version": 1,
        "item_id": "item-emp-01",
        "service_code": "EMP-01",
        "destination": {
            "provider_type": "employment_center",
            "district": "1735207",
            "service_center": None,
            "window": None,
            "provider": "employment-1735207",
        },
        "status": "rejected",
        "escalation_level": 0,
        "version": 2,
    },
]

CENTER_BOARD: dict[str, Any] = {
    "center": "psc-1735207",
    "district": "1735207",
    "name": {
        "uz_latn": "Beruniy tumani davlat xizmatlari markazi (vaqtincha nom)",
        "uz_cyrl": "Беруний тумани давлат хизматлари маркази (вақтинча ном)",
        "ru": "Центр государственных услуг: Берунийский район (временное название)",
    },
    "as_of": "2026-12-06T02:50:00.046886Z",
    "open": 1,
    "awaiting_acceptance": 1,
    "overdue": 0,
    "accepted": 2,
    "median_minutes_to_accept": 0.0,
    "windows": [
        {"window": "psc-1735207-w1", "open": 1, "awaiting_acceptance": 1, "overdue": 0},
        {"window": "psc-1735207-w2", "open": 0, "awaiting_acceptance": 0, "overdue": 0},
    ],
}

PROVIDER_BOARD: dict[str, Any] = {
    "provider": "employment-1735207",
    "provider_type": "employment_center",
    "district": "1735207",
    "name": {
        "uz_latn": "Beruniy tumani bandlikka koʻmaklashish markazi (vaqtincha nom)",
        "uz_cyrl": "Беруний тумани бандликка кўмаклашиш маркази (вақтинча ном)",
        "ru": "Центр содействия занятости: Берунийский район (временное название)",
    },
    "as_of": "2026-12-06T02:50:00.081209Z",
    "open": 0,
    "awaiting_acceptance": 0,
    "overdue": 0,
    "accepted": 1,
    "median_minutes_to_accept": 0.0,
}
