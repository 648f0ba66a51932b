"""Minting development tokens, signed with the same dev key services verify with."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from .keys import DevKey, load_or_create_dev_key
from .principal import Role, Scope
from .settings import AuthSettings

DEFAULT_TTL = timedelta(hours=8)

_TTL_PART = re.compile(r"(\d+)([smhd])")
_TTL_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_ttl(text: str) -> timedelta:
    """``"8h"``, ``"90m"``, ``"1h30m"``, ``"2d"``; a bare number is seconds."""
    text = text.strip().lower()
    if text.isdigit():
        return timedelta(seconds=int(text))
    if not text or _TTL_PART.sub("", text):
        raise ValueError(f"cannot read {text!r} as a duration; use e.g. 8h, 30m, 1h30m, 2d")
    ttl = timedelta()
    for amount, unit in _TTL_PART.findall(text):
        ttl += timedelta(**{_TTL_UNITS[unit]: int(amount)})
    return ttl


def sign_claims(claims: Mapping[str, Any], key: DevKey) -> str:
    """Sign arbitrary claims; for tests that need a token no well-behaved issuer would make."""
    return jwt.encode(
        dict(claims), key.private_key, algorithm=key.algorithm, headers={"kid": key.kid}
    )


def mint_dev_token(
    *,
    sub: str,
    role: Role | str,
    mahallas: Iterable[str] = (),
    district: str | None = None,
    service_center: str | None = None,
    providers: Iterable[str] = (),
    name: str | None = None,
    ttl: timedelta | str = DEFAULT_TTL,
    settings: AuthSettings | None = None,
    key: DevKey | None = None,
    now: datetime | None = None,
) -> str:
    """A token services accept when they run without a JWKS URL (development, tests)."""
    settings = settings or AuthSettings()
    key = key or load_or_create_dev_key(settings.dev_key_path)
    if isinstance(ttl, str):
        ttl = parse_ttl(ttl)
    if ttl <= timedelta():
        raise ValueError("ttl must be positive")
    issued = now or datetime.now(UTC)
    # Scope goes through the model so a token minted here always parses on the other side.
    scope = Scope(
        mahallas=list(mahallas),
        district=district,
        service_center=service_center,
        providers=list(providers),
    )
    claims: dict[str, Any] = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": sub,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl,
        settings.role_claim: Role(role).value,
        settings.scope_claim: scope.model_dump(),
    }
    if name is not None:
        claims["name"] = name
    return sign_claims(claims, key)
