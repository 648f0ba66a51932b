"""The plan policy on FerretDB: window referrals spread over a center's windows by the
open referrals the read model counts (the rest of the policy is unit-tested on the
in-memory journal, in unit/test_policy_plans.py)."""

from __future__ import annotations

import pytest
from inson_contracts.events.values import PlanItem
from referral.projections.views import REFERRALS

pytestmark = pytest.mark.integration


def item(item_id: str, service_code: str = "CASH-01") -> PlanItem:
    return PlanItem(
        item_id=item_id, service_code=service_code, provider_type="social_service_window"
    )


async def test_window_referrals_are_spread_over_the_center_s_windows(offline, plans) -> None:
    first = plans()
    approved = first.approved([item("a"), item("b", service_code="HOME-01"), item("c")])
    await offline.deliver(approved, first.envelope(approved))
    windows = [(await offline.load(first.referral(i))).destination.window for i in "abc"]
    assert windows == ["psc-1735207-w1", "psc-1735207-w2", "psc-1735207-w1"]

    await offline.project()  # the read model now counts w1: 2, w2: 1
    second = plans()
    more = second.approved([item("x")])
    await offline.deliver(more, second.envelope(more))
    assert (await offline.load(second.referral("x"))).destination.window == "psc-1735207-w2"
    counts = {
        w: await offline.db[REFERRALS].count_documents({"window": w})
        for w in ("psc-1735207-w1", "psc-1735207-w2")
    }
    assert counts == {"psc-1735207-w1": 2, "psc-1735207-w2": 1}
