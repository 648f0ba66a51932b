"""Webhook signatures: the Standard Webhooks vector, and one computed here independently."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from notification.domain.signing import BadSecret, new_secret, sign, signing_key, verify
from notification.handlers.webhooks import body_of

# The example published with the Standard Webhooks specification's libraries.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_specifications_example_signs_as_published() -> None:
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE


def test_a_cloudevent_body_signs_as_computed_independently() -> None:
    key = bytes(range(32))
    secret = "whsec_" + base64.b64encode(key).decode()
    event = {
        "id": "019ab0c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
        "type": "uz.inson.intake.case.opened.v1",
        "data": {"case_id": "c1", "language": "uz-Cyrl", "note": "Қорақалпоғистон"},
    }
    body = body_of(event)
    assert "Қорақалпоғистон".encode() in body  # UTF-8 as it is, not \u escapes

    expected_mac = hmac.new(
        key, b"019ab0c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d.1700000000." + body, hashlib.sha256
    ).digest()
    expected = "v1," + base64.b64encode(expected_mac).decode()

    assert sign(secret, event["id"], 1_700_000_000, body) == expected  # type: ignore[arg-type]


def test_verification_accepts_the_signature_and_refuses_any_change() -> None:
    secret = new_secret()
    header = sign(secret, "e1", 1000, b"{}")
    assert verify(secret, "e1", 1000, b"{}", header)
    assert verify(secret, "e1", 1000, b"{}", f"v1,bm90LXRoaXM= {header}")  # rotation: several
    assert not verify(secret, "e1", 1001, b"{}", header)
    assert not verify(secret, "e2", 1000, b"{}", header)
    assert not verify(secret, "e1", 1000, b"{ }", header)
    assert not verify(new_secret(), "e1", 1000, b"{}", header)


def test_generated_secrets_are_well_formed_and_distinct() -> None:
    first, second = new_secret(), new_secret()
    assert first != second
    assert len(signing_key(first)) == 32


@pytest.mark.parametrize(
    "secret",
    [
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",  # no prefix
        "whsec_not base64!",
        "whsec_" + base64.b64encode(b"short").decode(),
        "whsec_" + base64.b64encode(bytes(65)).decode(),
    ],
)
def test_malformed_secrets_are_refused(secret: str) -> None:
    with pytest.raises(BadSecret):
        signing_key(secret)


def test_a_replayed_delivery_is_refused_once_outside_the_tolerance() -> None:
    secret = new_secret()
    header = sign(secret, "e1", 1_000_000, b"{}")
    assert verify(secret, "e1", 1_000_000, b"{}", header, now=1_000_000 + 299)
    assert not verify(secret, "e1", 1_000_000, b"{}", header, now=1_000_000 + 301)
    assert not verify(secret, "e1", 1_000_000, b"{}", header, now=1_000_000 - 301)
