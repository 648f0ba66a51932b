"""The window queue and the center board through the API, on FerretDB, with a movable clock:
ordering, filters, paging, scope, overdue counts and the median time to accept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from inson_contracts.events import REGISTRY
from inson_contracts.events.values import PlanItem
from referral.domain.codes import referral_code
from referral.projections.views import REFERRALS, backfill_codes

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


async def test_referrals_from_before_codes_show_and_are_found_by_the_derived_code(
    offline, three, token
) -> None:
    # One projected before codes existed: its document has no code at all.
    await offline.db[REFERRALS].update_one({"_id": three[1]}, {"$unset": {"referral_code": ""}})
    operator = token("window_operator", "op-1", service_center=CENTER)
    async with offline.http() as http:
        queue = (await http.get("/v1/queue", headers=operator)).json()
        assert [i["referral_code"] for i in queue["items"]] == [referral_code(r) for r in three]
        old = await http.get(
            "/v1/queue", headers=operator, params={"code": referral_code(three[1])}
        )
        assert old.json()["total"] == 0  # not stored yet: the start of the service gives it

        await backfill_codes(offline.db)
        await backfill_codes(offline.db)  # a second instance starting changes nothing
        for rid in three:
            typed = f"{referral_code(rid)[:4]}-{referral_code(rid)[4:]}".lower()
            found = await http.get("/v1/queue", headers=operator, params={"code": typed})
            assert [i["id"] for i in found.json()["items"]] == [rid]
        bad = await http.get("/v1/queue", headers=operator, params={"code": "UUUU-UUUU"})
        assert bad.status_code == 422
        stranger = token("window_operator", "op-2", service_center="psc-1703401")
        hidden = await http.get(
            "/v1/queue", headers=stranger, params={"code": referral_code(three[0])}
        )
        assert hidden.json()["total"] == 0  # a code is searched within the caller's area


async def test_a_provider_s_queue_for_its_operator_the_supervisor_and_nobody_else(
    offline, plans, token
) -> None:
    plan = plans()
    items = [
        PlanItem(item_id="h", service_code="HOME-02", provider_type="health_facility"),
        PlanItem(item_id="i", service_code="HOME-01", provider_type="inson_center"),
    ]
    approved = plan.approved(items)
    await offline.deliver(approved, plan.envelope(approved))
    await offline.project()
    hospital, inson = "health-1735207", "inson-1735207"
    nurse = token("provider_operator", "po-1", providers=[hospital])
    async with offline.http() as http:

        async def ids(headers: dict[str, str], **params: str) -> list[str] | int:
            got = await http.get("/v1/queue", headers=headers, params=params)
            return (
                [i["id"] for i in got.json()["items"]]
                if got.status_code == 200
                else got.status_code
            )

        assert await ids(nurse) == [plan.referral("h")]
        assert await ids(nurse, provider=hospital) == [plan.referral("h")]
        assert await ids(nurse, provider=inson) == 403
        assert await ids(nurse, provider="health-0000000") == 404
        assert await ids(nurse, center=CENTER) == 403
        supervisor = token("supervisor", "sup-1735207", district="1735207")
        assert await ids(supervisor, provider=inson) == [plan.referral("i")]
        assert (
            await ids(token("supervisor", "sup-1703401", district="1703401"), provider=inson) == 403
        )
        assert await ids(token("admin", "admin-1"), provider=hospital) == [plan.referral("h")]
        assert await ids(token("provider_operator", "po-2")) == 403  # names no provider
        acting = await http.post(f"/v1/referrals/{plan.referral('h')}/accept", headers=supervisor)
        assert acting.status_code == 403  # supervisors watch; providers act
        assert (
            await http.post(f"/v1/referrals/{plan.referral('h')}/accept", headers=nurse)
        ).status_code == 200


async def test_a_referral_issued_without_a_code_is_projected_with_the_derived_one(
    offline, three
) -> None:
    rid = three[2]
    [issued, *_] = await offline.stream(rid)
    assert issued.data["referral_code"] == referral_code(rid)  # new referrals carry theirs
    old = issued.model_copy(update={"data": {**issued.data, "referral_code": None}})
    await offline.db[REFERRALS].delete_one({"_id": rid})

    projection = offline.runtime.projections[0]
    await projection.apply(REGISTRY.parse(old.type, old.data), old, offline.db)

    doc = await offline.db[REFERRALS].find_one({"_id": rid})
    assert doc is not None and doc["referral_code"] == referral_code(rid)
