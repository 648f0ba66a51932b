"""The window queue and the center board through the API, on FerretDB, with a movable clock:
ordering, filters, paging, scope, overdue counts and the median time to accept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from inson_contracts.events.values import PlanItem

pytestmark = pytest.mark.integration

CENTER = "psc-1735207"
WINDOWS = ["psc-1735207-w1", "psc-1735207-w2"]


def window_item(item_id: str, priority: str, service_code: str = "CASH-01") -> PlanItem:
    return PlanItem(
        item_id=item_id,
        service_code=service_code,
        provider_type="social_service_window",
        priority=priority,
    )


@pytest.fixture
async def three(offline, plans) -> list[str]:
    """Routine, emergency and urgent window referrals, issued in that order."""
    plan = plans()
    approved = plan.approved(
        [window_item("r", "routine"), window_item("e", "emergency"), window_item("u", "urgent")]
    )
    await offline.deliver(approved, plan.envelope(approved))
    await offline.project()
    return [plan.referral(i) for i in ("e", "u", "r")]  # by deadline


async def test_the_queue_puts_the_nearest_deadline_first(offline, three, token) -> None:
    operator = token("window_operator", "op-1", service_center=CENTER)
    async with offline.http() as http:
        queue = (await http.get("/v1/queue", headers=operator)).json()
        assert [i["id"] for i in queue["items"]] == three and queue["total"] == 3
        assert [i["priority"] for i in queue["items"]] == ["emergency", "urgent", "routine"]

        paged = await http.get("/v1/queue", headers=operator, params={"page_size": 1, "page": 2})
        assert [i["id"] for i in paged.json()["items"]] == three[1:2]
        urgent = await http.get("/v1/queue", headers=operator, params={"priority": "urgent"})
        assert [i["id"] for i in urgent.json()["items"]] == three[1:2]
        per_window = [
            (await http.get("/v1/queue", headers=operator, params={"window": w})).json()["total"]
            for w in WINDOWS
        ]
        assert per_window == [2, 1]

        accepted = await http.post(f"/v1/referrals/{three[0]}/accept", headers=operator)
        assert accepted.status_code == 200
        await offline.project()
        only = await http.get("/v1/queue", headers=operator, params={"status": "accepted"})
        assert [i["id"] for i in only.json()["items"]] == three[:1]
        open_ = (await http.get("/v1/queue", headers=operator)).json()
        assert open_["total"] == 3  # accepted is still open: it waits to be served


async def test_each_caller_sees_only_their_center_or_district(offline, three, token) -> None:
    async with offline.http() as http:

        async def total(headers: dict[str, str], **params: str) -> int:
            got = await http.get("/v1/queue", headers=headers, params=params)
            return got.status_code if got.status_code != 200 else got.json()["total"]

        assert await total(token("supervisor", "sup-1735207", district="1735207")) == 3
        assert await total(token("admin", "admin-1"), center=CENTER) == 3
        assert await total(token("window_operator", "op-2", service_center="psc-1703401")) == 0
        assert await total(token("supervisor", "sup-1703401", district="1703401")) == 0
        no_center = token("window_operator", "op-3", district="1735207")
        assert await total(no_center) == 403
        assert await total(token("social_worker", "sw-1", district="1735207")) == 403
        outsider = token("window_operator", "op-2", service_center="psc-1703401")
        assert await total(outsider, center=CENTER) == 403
        assert await total(outsider, window="psc-9999999-w1") == 404
        for rid in three:
            got = await http.get(f"/v1/referrals/{rid}", headers=outsider)
            assert got.status_code == 404
        supervisor = token("supervisor", "sup-1735207", district="1735207")
        acting = await http.post(f"/v1/referrals/{three[0]}/accept", headers=supervisor)
        assert acting.status_code == 403  # supervisors watch; windows act


async def test_the_board_counts_overdue_and_the_median_time_to_accept(
    offline, three, token, clock
) -> None:
    operator = token("window_operator", "op-1", service_center=CENTER)
    async with offline.http() as http:
        board = (await http.get(f"/v1/centers/{CENTER}/board", headers=operator)).json()
        assert (board["open"], board["overdue"], board["accepted"]) == (3, 0, 0)
        assert board["median_minutes_to_accept"] is None

        clock.advance(timedelta(minutes=60))
        await http.post(f"/v1/referrals/{three[0]}/accept", headers=operator)
        clock.advance(timedelta(minutes=120))
        await http.post(f"/v1/referrals/{three[1]}/accept", headers=operator)
        clock.advance(timedelta(days=20))  # past the routine referral's deadline
        await offline.project()

        board = (await http.get(f"/v1/centers/{CENTER}/board", headers=operator)).json()
        assert (board["open"], board["awaiting_acceptance"], board["overdue"]) == (3, 1, 1)
        assert board["accepted"] == 2 and board["median_minutes_to_accept"] == 120.0
        assert sum(w["open"] for w in board["windows"]) == 3
        assert board["name"]["ru"].startswith("Центр государственных услуг")
        late = await http.get("/v1/queue", headers=operator, params={"status": "delivered"})
        assert [(i["id"], i["overdue"]) for i in late.json()["items"]] == [(three[2], True)]
        district = token("supervisor", "sup-1735207", district="1735207")
        assert (await http.get(f"/v1/centers/{CENTER}/board", headers=district)).status_code == 200
