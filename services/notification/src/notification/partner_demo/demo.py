"""The partner demo's steps against running services: subscribe the receiver, let an
administrator set its data-sharing level, make something happen, and clean up.

Each step is a call of the services' public APIs with a development token
(``inson_runtime.auth.mint_dev_token``, what ``inson-token`` mints), so the
demo shows exactly what a partner and an administrator do.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
from inson_runtime.auth import AuthSettings, mint_dev_token

PARTNER, ADMIN = "partner-demo", "admin-demo"
# Beruniy and a generated placeholder mahalla of it, as scripts/walkthrough.sh uses.
REGION, DISTRICT, MAHALLA = "1735", "1735207", "1735207003"


class DemoError(RuntimeError):
    """A step the services refused; the message says which and what they answered."""


@dataclass(frozen=True)
class Filters:
    event_types: Sequence[str] = ()  # every type partners may name when empty
    regions: Sequence[str] = ()
    districts: Sequence[str] = ()
    circumstance_categories: Sequence[str] = ()
    service_categories: Sequence[str] = ()


@dataclass(frozen=True)
class Sharing:
    personal_fields: Sequence[str] = ()
    agreement: str = "DEMO-DSA-1"

    def body(self) -> dict[str, Any]:
        if not self.personal_fields:
            return {"level": "none"}
        return {
            "level": "named_fields",
            "personal_fields": list(self.personal_fields),
            "agreement": self.agreement,
        }


@dataclass
class Demo:
    notification: httpx.AsyncClient
    auth: AuthSettings = field(default_factory=AuthSettings)

    def _bearer(self, role: str, sub: str, **scope: Any) -> dict[str, str]:
        token = mint_dev_token(sub=sub, role=role, settings=self.auth, ttl="1h", **scope)
        return {"Authorization": f"Bearer {token}"}

    async def subscribe(self, url: str, filters: Filters) -> dict[str, Any]:
        """The partner subscribes; the answer holds the secret, shown this once."""
        partner = self._bearer("partner_admin", PARTNER)
        types = list(filters.event_types)
        if not types:
            listed = await self.notification.get("/v1/event-types", headers=partner)
            types = _ok(listed, "listing the event types")
        body = {
            "url": url,
            "event_types": types,
            "regions": list(filters.regions),
            "districts": list(filters.districts),
            "circumstance_categories": list(filters.circumstance_categories),
            "service_categories": list(filters.service_categories),
            "description": "make partner-demo",
        }
        answer = await self.notification.post("/v1/subscriptions", json=body, headers=partner)
        created: dict[str, Any] = _ok(answer, "subscribing")
        return created

    async def share(self, subscription_id: str, sharing: Sharing) -> dict[str, Any]:
        """An administrator (not the partner) sets the data-sharing level."""
        answer = await self.notification.put(
            f"/v1/subscriptions/{subscription_id}/data-sharing",
            json=sharing.body(),
            headers=self._bearer("admin", ADMIN),
        )
        changed: dict[str, Any] = _ok(answer, "setting the data-sharing level")
        return changed

    async def unsubscribe(self, subscription_id: str) -> None:
        answer = await self.notification.delete(
            f"/v1/subscriptions/{subscription_id}",
            headers=self._bearer("partner_admin", PARTNER),
        )
        if answer.status_code not in (204, 404):
            _ok(answer, "deleting the subscription")

    async def submit(self, intake: httpx.AsyncClient) -> str:
        """A social worker's tablet submits an application in Beruniy; its case id."""
        worker = self._bearer("social_worker", "demo-tablet", mahallas=[MAHALLA], district=DISTRICT)
        # A birth date of its own per run, so the application opens a new case.
        born = date(random.randint(1938, 1952), random.randint(1, 12), random.randint(1, 28))  # noqa: S311
        application = {
            "channel": "mahalla_tablet",
            "applicant": {
                "name": {"last_name": "Namunova", "first_name": "Oydin"},
                "birth_date": born.isoformat(),
                "sex": "female",
                "phone": f"+99890{random.randint(0, 9_999_999):07d}",  # noqa: S311
                "language": "uz-Cyrl",
            },
            "address": {"region": REGION, "district": DISTRICT, "mahalla": MAHALLA},
            "circumstances": ["lonely_elderly", "needs_care_by_others"],
            "consent": {"given": True, "text_version": "2026-01"},
        }
        answer = await intake.post(
            "/v1/applications",
            json=application,
            headers={**worker, "Idempotency-Key": f"partner-demo-{uuid.uuid4()}"},
        )
        submitted: dict[str, Any] = _ok(answer, "submitting an application to intake")
        return str(submitted["case_id"])


def _ok(answer: httpx.Response, step: str) -> Any:
    if answer.is_success:
        return answer.json()
    raise DemoError(f"{step}: HTTP {answer.status_code} {answer.text[:600]}")
