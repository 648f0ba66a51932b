"""The short referral code: eight characters of Crockford's base32, derived from the
referral id (so old referrals have one), read back the way people write it."""

from __future__ import annotations

import re

import pytest
from referral.domain.codes import read_code, referral_code
from referral.domain.routing import referral_id

CROCKFORD = re.compile(r"^[0-9A-HJKMNP-TV-Z]{8}$")


def test_a_code_is_eight_unambiguous_characters_derived_from_the_id() -> None:
    ids = [referral_id(f"plan-{n}", "item-1") for n in range(2000)]
    codes = [referral_code(rid) for rid in ids]
    assert all(CROCKFORD.match(code) for code in codes)
    assert [referral_code(rid) for rid in ids] == codes  # the same id, the same code
    assert len(set(codes)) == len(codes)  # rows of one queue tell apart
    assert not set("ILOU") & set("".join(codes))
    # Pinned: the derivation never changes under a referral already issued.
    assert referral_code("r1") == "GBSYKHMN"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("GBSYKHMN", "GBSYKHMN"),
        ("gbsykhmn", "GBSYKHMN"),
        ("GBSY-KHMN", "GBSYKHMN"),
        (" gbsy khmn ", "GBSYKHMN"),
        ("OIL0ABCD", "0110ABCD"),
        ("GBSYKHM", None),
        ("GBSYKHMNX", None),
        ("GBSYKHMU", None),  # U is not in the alphabet
        ("GBSYKHM*", None),
    ],
)
def test_a_code_is_read_as_people_write_it(typed: str, read: str | None) -> None:
    assert read_code(typed) == read
