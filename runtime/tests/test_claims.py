"""Claims and turns, the parts that need no store: which attempt is claimed next, and
which interval a moment falls in (the store's side: tests/integration/test_claims.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inson_runtime.claims import Claim, claim_id, next_number, turn_of

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def test_the_first_claim_follows_what_the_document_counted() -> None:
    assert next_number(0, None, NOW) == 1
    # A message's first attempt is made as its entry is written, without a claim.
    assert next_number(1, None, NOW) == 2


def test_nothing_is_claimed_while_the_latest_holder_is_at_work() -> None:
    holding = Claim("m-1", 3, until=NOW + timedelta(seconds=1))
    assert next_number(2, holding, NOW) is None
    assert next_number(3, holding, NOW) is None


def test_a_finished_or_run_out_claim_is_followed_by_the_next_number() -> None:
    finished = Claim("m-1", 3, until=NOW)
    assert next_number(3, finished, NOW) == 4


def test_the_number_of_a_holder_that_died_is_never_claimed_again() -> None:
    # It took attempt 3 and died before the document said so.
    died = Claim("m-1", 3, until=NOW - timedelta(seconds=5))
    assert next_number(2, died, NOW) == 4


def test_a_claim_is_named_by_what_it_claims_and_its_number() -> None:
    claim = Claim("sub:evt@2", 7, until=NOW)
    assert claim.id == claim_id("sub:evt@2", 7) == "sub:evt@2#7"
    assert not claim.live(NOW) and claim.live(NOW - timedelta(microseconds=1))


def test_every_replica_counts_the_same_intervals() -> None:
    at = datetime(2026, 12, 6, 9, 0, 0, 400_000, tzinfo=UTC)
    assert turn_of(at, 0.5) == turn_of(at + timedelta(seconds=0.05), 0.5)
    assert turn_of(at + timedelta(seconds=0.1), 0.5) == turn_of(at, 0.5) + 1
    assert turn_of(at + timedelta(seconds=60), 60) == turn_of(at, 60) + 1
