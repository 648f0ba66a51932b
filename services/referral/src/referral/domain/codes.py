"""The short referral code a citizen shows and staff search by (pure).

Eight characters of Crockford's base32 (digits and letters without I, L, O
and U), derived from the referral id: the same id always gives the same
code, so a referral issued before codes existed has one too, and nothing has
to be stored to find it again. 40 bits is short enough to read out and
long enough for a provider's queue: among its ten thousand referrals the
chance that two share a code is about one in twenty thousand. A code is not
an id (across the whole platform two referrals will share one sooner or
later), so a search answers every referral of the caller's area that has it.
"""

from __future__ import annotations

import hashlib
import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{8}$")
# Crockford's decoding: read what people write the way they meant it.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "-": None, " ": None})


def referral_code(referral_id: str) -> str:
    """The referral's code: the first 40 bits of SHA-256 of its id, in base32."""
    bits = int.from_bytes(hashlib.sha256(referral_id.encode()).digest()[:5], "big")
    return "".join(ALPHABET[(bits >> shift) & 31] for shift in range(35, -1, -5))


def read_code(text: str) -> str | None:
    """A code as typed (any case, I/L for 1, O for 0, hyphens or spaces anywhere),
    in its canonical form; None if it cannot be one."""
    code = text.strip().upper().translate(_READ_AS)
    return code if PATTERN.match(code) else None
