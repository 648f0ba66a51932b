"""Window staff's commands and the as-of read, on the in-memory journal: the events
recorded, a repeat recording nothing, refusals, a colleague acting first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from inson_contracts.events.referral import (
    ReferralAccepted,
    ReferralCompleted,
    ReferralEscalated,
    ReferralRejected,
    ReferralStarted,
    RejectionCode,
)
from inson_contracts.events.values import Actor, PlanItem
from inson_runtime.eventstore import ConcurrencyConflict
from referral.domain.area import EVERYWHERE, Area
from referral.domain.referral import IllegalTransition, Status, UnknownReferral
from referral.handlers.commands import ATTEMPTS, NoReferralsAsOf, NotInArea

DISTRICT = "1735207"
CENTER = "psc-1735207"
OPERATOR = Actor(id="op-1", role="window_operator")
COLLEAGUE = Actor(id="op-2", role="window_operator")
AT_THE_WINDOWS = Area(service_center=CENTER)
DOCS = RejectionCode.DOCUMENTS_MISSING


def window_item(item_id: str = "a") -> PlanItem:
    return PlanItem(item_id=item_id, service_code="CASH-01", provider_type="social_service_window")


@pytest.fixture
def referred(policies, plans, journal):
    """Refer a plan's items (window items by default); the referral ids, in item order."""

    async def refer(*items: PlanItem) -> list[str]:
        plan = plans()
        approved = plan.approved(list(items) or [window_item()])
        await policies.on_plan_in_force(approved, plan.envelope(approved))
        journal.outbox.clear()  # what follows is the command's
        return [plan.referral(i.item_id) for i in approved.items]

    return refer


async def test_accept_records_who_took_it_on_and_when(referrals, referred, journal, clock) -> None:
    [rid] = await referred()

    done = await referrals.accept(rid, AT_THE_WINDOWS, OPERATOR, "ertaga keladi")

    assert (done.status, done.version) == (Status.ACCEPTED, 3)
    [accepted] = journal.outbox.events_of_type(ReferralAccepted)
    assert (accepted.referral_id, accepted.accepted_by, accepted.note) == (
        rid,
        OPERATOR,
        "ertaga keladi",
    )
    assert accepted.accepted_at == clock.now
    [envelope] = journal.outbox.envelopes()
    assert (envelope.source, envelope.subject) == ("inson/referral", f"referral-{rid}")
    assert (envelope.district, envelope.region, envelope.streamversion) == (DISTRICT, "1735", 3)


async def test_reject_records_the_code_and_the_reason(referrals, referred, journal) -> None:
    [rid] = await referred()

    done = await referrals.reject(
        rid, AT_THE_WINDOWS, OPERATOR, RejectionCode.DOCUMENTS_MISSING, "pasport nusxasi yoʻq"
    )

    assert done.status is Status.REJECTED
    [rejected] = journal.outbox.events_of_type(ReferralRejected)
    assert rejected.code is RejectionCode.DOCUMENTS_MISSING
    assert (rejected.reason, rejected.rejected_by) == ("pasport nusxasi yoʻq", OPERATOR)


async def test_start_then_complete_record_the_service_delivered(
    referrals, referred, journal
) -> None:
    [rid] = await referred()
    await referrals.accept(rid, AT_THE_WINDOWS, OPERATOR)

    started = await referrals.start(rid, AT_THE_WINDOWS, OPERATOR, "hujjatlar qabul qilindi")
    completed = await referrals.complete(rid, AT_THE_WINDOWS, OPERATOR, "xizmat koʻrsatildi")

    assert (started.status, completed.status) == (Status.STARTED, Status.COMPLETED)
    [start] = journal.outbox.events_of_type(ReferralStarted)
    [complete] = journal.outbox.events_of_type(ReferralCompleted)
    assert (start.started_by, start.note) == (OPERATOR, "hujjatlar qabul qilindi")
    assert (complete.completed_by, complete.outcome) == (OPERATOR, "xizmat koʻrsatildi")


async def test_a_repeated_command_records_nothing_and_answers_the_state(
    referrals, referred, journal
) -> None:
    [rid] = await referred()
    await referrals.accept(rid, AT_THE_WINDOWS, OPERATOR)

    again = await referrals.accept(rid, AT_THE_WINDOWS, OPERATOR)

    assert (again.status, again.version) == (Status.ACCEPTED, 3)
    assert len(journal.outbox.events()) == 1


@pytest.mark.parametrize(
    ("step", "again"),
    [
        ("accept", lambda r, rid: r.accept(rid, AT_THE_WINDOWS, COLLEAGUE, "ertaga keladi")),
        ("accept", lambda r, rid: r.accept(rid, AT_THE_WINDOWS, OPERATOR, "boshqa izoh")),
        ("accept", lambda r, rid: r.accept(rid, AT_THE_WINDOWS, OPERATOR)),
        ("reject", lambda r, rid: r.reject(rid, AT_THE_WINDOWS, COLLEAGUE, DOCS, "pasport yoʻq")),
        ("reject", lambda r, rid: r.reject(rid, AT_THE_WINDOWS, OPERATOR, DOCS, "boshqa sabab")),
        (
            "reject",
            lambda r, rid: r.reject(
                rid, AT_THE_WINDOWS, OPERATOR, RejectionCode.OTHER, "pasport yoʻq"
            ),
        ),
    ],
    ids=[
        "accept by a colleague",
        "accept with another note",
        "accept without the note",
        "reject by a colleague",
        "reject with another reason",
        "reject with another code",
    ],
)
async def test_the_same_step_by_another_actor_or_with_other_words_is_refused(
    referrals, referred, journal, clock, step, again
) -> None:
    [rid] = await referred()
    if step == "accept":
        await referrals.accept(rid, AT_THE_WINDOWS, OPERATOR, "ertaga keladi")
    else:
        await referrals.reject(rid, AT_THE_WINDOWS, OPERATOR, DOCS, "pasport yoʻq")
    first = clock.now
    clock.advance(timedelta(minutes=5))

    with pytest.raises(IllegalTransition) as refused:
        await again(referrals, rid)

    assert refused.value.status is {"accept": Status.ACCEPTED, "reject": Status.REJECTED}[step]
    assert refused.value.acted is not None
    assert (refused.value.acted.by, refused.value.acted.at) == (OPERATOR, first)
    assert "already" in str(refused.value) and "by op-1" in str(refused.value)
    assert len(journal.outbox.events()) == 1  # only the first step


async def test_the_same_actor_repeating_a_step_with_the_same_words_is_answered(
    referrals, referred, journal
) -> None:
    [rid] = await referred()
    await referrals.reject(rid, AT_THE_WINDOWS, OPERATOR, DOCS, "pasport yoʻq")
    again = await referrals.reject(rid, AT_THE_WINDOWS, OPERATOR, DOCS, "pasport yoʻq")
    assert again.status is Status.REJECTED

    [other] = await referred()
    for step in (referrals.accept, referrals.start):
        await step(other, AT_THE_WINDOWS, OPERATOR, "hujjatlar bor")
        await step(other, AT_THE_WINDOWS, OPERATOR, "hujjatlar bor")
    await referrals.complete(other, AT_THE_WINDOWS, OPERATOR, "topshirildi")
    done = await referrals.complete(other, AT_THE_WINDOWS, OPERATOR, "topshirildi")
    assert done.status is Status.COMPLETED
    # Referring the second plan cleared the outbox: accept, start, complete, once each.
    assert len(journal.outbox.events()) == 3


async def test_a_step_the_state_does_not_allow_is_refused_with_the_state(
    referrals, referred, journal
) -> None:
    [rid] = await referred()
    with pytest.raises(IllegalTransition) as early:
        await referrals.start(rid, AT_THE_WINDOWS, OPERATOR)
    assert early.value.status is Status.DELIVERED

    await referrals.accept(rid, AT_THE_WINDOWS, OPERATOR)
    await referrals.start(rid, AT_THE_WINDOWS, OPERATOR)
    with pytest.raises(IllegalTransition) as late:
        await referrals.accept(rid, AT_THE_WINDOWS, OPERATOR)  # a second accept, once started

    assert late.value.status is Status.STARTED and "cannot be accepted" in str(late.value)
    assert [type(e) for e in journal.outbox.events()] == [ReferralAccepted, ReferralStarted]


async def test_an_unknown_referral_is_refused_and_nothing_recorded(referrals, journal) -> None:
    with pytest.raises(UnknownReferral):
        await referrals.accept("no-such-referral", EVERYWHERE, OPERATOR)
    assert journal.outbox.events() == []


@pytest.mark.parametrize(
    "area",
    [Area(service_center="psc-1703401"), Area(district="1703401")],
    ids=["another center", "another district"],
)
async def test_a_referral_outside_the_caller_s_area_is_not_theirs(
    referrals, referred, journal, area
) -> None:
    [rid] = await referred()
    with pytest.raises(NotInArea, match="at your windows"):
        await referrals.accept(rid, area, OPERATOR)
    assert journal.outbox.events() == []
    # The district's supervisor area covers it.
    assert (
        await referrals.accept(rid, Area(district=DISTRICT), OPERATOR)
    ).status is Status.ACCEPTED


async def test_a_colleague_s_acceptance_first_refuses_mine_naming_them(
    referrals, referred, journal, clock
) -> None:
    [rid] = await referred()
    colleague = ReferralAccepted(
        referral_id=rid,
        case_id=await case_of(referrals, rid),
        accepted_by=COLLEAGUE,
        accepted_at=clock.now,
    )
    journal.cut_in.append([colleague])

    # Decided again on theirs: my acceptance (and its note) is not silently dropped.
    with pytest.raises(IllegalTransition) as refused:
        await referrals.accept(rid, AT_THE_WINDOWS, OPERATOR, "ertaga keladi")

    assert refused.value.status is Status.ACCEPTED
    assert refused.value.acted is not None and refused.value.acted.by == COLLEAGUE
    assert "already accepted by op-2" in str(refused.value)
    [accepted] = journal.outbox.events_of_type(ReferralAccepted)
    assert accepted.accepted_by == COLLEAGUE


async def test_a_colleague_s_rejection_first_refuses_the_acceptance(
    referrals, referred, journal, clock
) -> None:
    [rid] = await referred()
    rejection = ReferralRejected(
        referral_id=rid,
        case_id=await case_of(referrals, rid),
        code=RejectionCode.OTHER,
        reason="boshqa markazga",
        rejected_by=COLLEAGUE,
        rejected_at=clock.now,
    )
    journal.cut_in.append([rejection])

    with pytest.raises(IllegalTransition) as refused:
        await referrals.accept(rid, AT_THE_WINDOWS, OPERATOR)

    assert refused.value.status is Status.REJECTED
    assert journal.outbox.events_of_type(ReferralAccepted) == []


async def test_a_stream_that_keeps_moving_gives_up_with_a_conflict(
    referrals, referred, journal, clock
) -> None:
    [rid] = await referred()
    journal.cut_in.extend(
        [[escalated(rid, level, await case_of(referrals, rid), clock)] for level in (1, 2, 3)]
    )

    with pytest.raises(ConcurrencyConflict):
        await referrals.accept(rid, AT_THE_WINDOWS, OPERATOR)

    assert len(journal.outbox.events_of_type(ReferralEscalated)) == ATTEMPTS
    assert journal.outbox.events_of_type(ReferralAccepted) == []


async def test_as_of_folds_each_referral_to_the_moment(referrals, referred, clock) -> None:
    inson_item = PlanItem(item_id="i", service_code="CASH-01", provider_type="inson_center")
    window, inson = await referred(window_item("w"), inson_item)
    case_id = await case_of(referrals, window)
    delivered_at = clock.now
    clock.advance(timedelta(hours=2))
    await referrals.accept(window, AT_THE_WINDOWS, OPERATOR)

    then = await referrals.as_of(case_id, delivered_at, Area(district=DISTRICT))
    now = await referrals.as_of(case_id, clock.now, Area(district=DISTRICT))

    assert [(t.issued.referral_id, t.status, t.version) for t in then] == [
        (window, Status.DELIVERED, 2),
        (inson, Status.ISSUED, 1),
    ]
    assert [(t.issued.item_id, t.status) for t in now] == [
        ("w", Status.ACCEPTED),
        ("i", Status.ISSUED),
    ]
    # The center's own area sees only its window's referral.
    at_windows = await referrals.as_of(case_id, clock.now, AT_THE_WINDOWS)
    assert [t.issued.referral_id for t in at_windows] == [window]


async def test_as_of_before_any_referral_is_not_found_except_for_everywhere(
    referrals, referred, clock
) -> None:
    before = clock.now - timedelta(seconds=1)
    [rid] = await referred()
    case_id = await case_of(referrals, rid)

    with pytest.raises(NoReferralsAsOf):
        await referrals.as_of(case_id, before, Area(district=DISTRICT))
    with pytest.raises(NoReferralsAsOf):
        await referrals.as_of(case_id, clock.now, Area(district="1703401"))
    assert await referrals.as_of(case_id, before, EVERYWHERE) == []
    assert await referrals.as_of("case-unknown", clock.now, EVERYWHERE) == []


def escalated(rid: str, level: int, case_id: str, clock) -> ReferralEscalated:
    return ReferralEscalated(
        referral_id=rid,
        case_id=case_id,
        district=DISTRICT,
        accept_by=clock.now,
        overdue_minutes=0,
        escalation_level=level,
        escalated_to=f"sup-{DISTRICT}",
        escalated_at=clock.now,
    )


async def case_of(referrals, rid: str) -> str:
    return (await referrals.referrals.load(rid)).issued.case_id
