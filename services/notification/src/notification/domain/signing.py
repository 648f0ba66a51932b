"""Webhook signatures in the manner of the Standard Webhooks specification.

Headers ``webhook-id``, ``webhook-timestamp`` (unix seconds) and
``webhook-signature`` = ``v1,`` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")).
Secrets use the specification's form, ``whsec_`` + base64 of the key bytes,
so a partner can verify with any Standard Webhooks library as it comes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
MIN_KEY_BYTES = 24
MAX_KEY_BYTES = 64
_B64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


class BadSecret(ValueError):
    """Not a ``whsec_`` secret of 24 to 64 key bytes."""


def signing_key(secret: str) -> bytes:
    """The HMAC key a secret stands for; BadSecret if it is malformed."""
    if not secret.startswith(SECRET_PREFIX):
        raise BadSecret(f"a secret starts with {SECRET_PREFIX}")
    encoded = secret.removeprefix(SECRET_PREFIX)
    if not _B64.match(encoded):
        raise BadSecret("the part after whsec_ must be base64")
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise BadSecret("the part after whsec_ must be base64") from None
    if not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
        raise BadSecret(f"the key must be {MIN_KEY_BYTES} to {MAX_KEY_BYTES} bytes")
    return key


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value for one delivery attempt."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


TOLERANCE_S = 300  # the Standard Webhooks recommendation


def verify(
    secret: str,
    msg_id: str,
    timestamp: int,
    body: bytes,
    header: str,
    *,
    now: int | None = None,
    tolerance_s: int = TOLERANCE_S,
) -> bool:
    """True if any ``v1`` signature in ``header`` matches (several during key rotation).

    With ``now``, a timestamp further than ``tolerance_s`` from it is refused
    even when correctly signed: a captured delivery replayed later must not
    pass. Partners verify this way; our retries sign afresh with a new timestamp.
    """
    if now is not None and abs(now - timestamp) > tolerance_s:
        return False
    expected = sign(secret, msg_id, timestamp, body)
    return any(
        hmac.compare_digest(candidate, expected)
        for candidate in header.split()
        if candidate.startswith("v1,")
    )
