"""Bearer token verification, independent of any web framework."""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any, Protocol

import jwt
from jwt import PyJWK, PyJWKClient
from pydantic import ValidationError

from .keys import DevKey, load_or_create_dev_key
from .principal import Principal
from .settings import AuthSettings

logger = logging.getLogger(__name__)

_REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]

# Fixed, token-free reasons: PyJWT messages are not promised to stay free of token content,
# and a reason goes back to the caller.
EXPIRED = "token has expired"
_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (jwt.ExpiredSignatureError, EXPIRED),
    (jwt.ImmatureSignatureError, "token is not yet valid"),
    (jwt.InvalidAudienceError, "token audience is not accepted"),
    (jwt.InvalidIssuerError, "token issuer is not accepted"),
    (jwt.InvalidSignatureError, "token signature is invalid"),
    (jwt.InvalidAlgorithmError, "token algorithm is not allowed"),
    (jwt.InvalidIssuedAtError, "token iat claim is malformed"),
    (jwt.DecodeError, "token is malformed"),
)


class AuthenticationError(Exception):
    """The caller did not prove who they are. ``reason`` is safe to show to the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthUnavailableError(Exception):
    """Keys could not be obtained: our fault or the identity provider's, not the caller's."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class KeySource(Protocol):
    def signing_key(self, kid: str | None) -> PyJWK: ...


class StaticKeySource:
    """One known public key, as in development where the key sits next to the code."""

    def __init__(self, jwk: dict[str, Any]) -> None:
        self._key = PyJWK.from_dict(jwk)

    @classmethod
    def from_dev_key(cls, key: DevKey) -> StaticKeySource:
        return cls(key.public_jwk())

    def signing_key(self, kid: str | None) -> PyJWK:
        # A kid is optional for a single key, but a different one is a clear early answer.
        if kid is not None and kid != self._key.key_id:
            raise AuthenticationError("token signing key is not known")
        return self._key


class JwksKeySource:
    def __init__(self, url: str, *, cache_seconds: float = 300, timeout: float = 5) -> None:
        # Only the whole-set cache, which expires; PyJWKClient's per-kid LRU never does, and
        # would keep honouring a key the provider has revoked.
        self._client = PyJWKClient(
            url, cache_jwk_set=True, lifespan=cache_seconds, cache_keys=False, timeout=timeout
        )

    def signing_key(self, kid: str | None) -> PyJWK:
        if not kid:
            raise AuthenticationError("token header has no kid")
        try:
            # Fetched (or served from cache) first so that a broken endpoint is told apart
            # from a token naming a kid the endpoint does not publish.
            self._client.get_signing_keys()
        except jwt.PyJWKClientConnectionError as exc:
            logger.warning("JWKS endpoint unreachable: %s", exc)
            raise AuthUnavailableError("signing keys are unavailable") from exc
        except (jwt.PyJWKClientError, jwt.PyJWKSetError, jwt.PyJWKError) as exc:
            logger.error("JWKS endpoint returned an unusable key set: %s", exc)
            raise AuthUnavailableError("signing keys are unavailable") from exc
        try:
            return self._client.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError as exc:
            logger.warning("JWKS endpoint unreachable on refresh: %s", exc)
            raise AuthUnavailableError("signing keys are unavailable") from exc
        except (jwt.PyJWKClientError, jwt.PyJWKSetError) as exc:
            raise AuthenticationError("token signing key is not known") from exc


class Authenticator:
    """Turns a bearer token into a :class:`Principal`, or says why it cannot.

    ``authenticate`` may block on a JWKS fetch (PyJWKClient uses urllib), so call it from
    a worker thread in async code; the FastAPI dependency does.
    """

    def __init__(
        self,
        keys: KeySource,
        *,
        issuer: str,
        audience: str,
        leeway_seconds: float = 30.0,
        algorithms: Collection[str] = ("ES256", "RS256"),
        role_claim: str = "role",
        scope_claim: str = "scope",
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds
        self._algorithms = frozenset(algorithms)
        self._role_claim = role_claim
        self._scope_claim = scope_claim

    @classmethod
    def from_settings(cls, settings: AuthSettings | None = None) -> Authenticator:
        settings = settings or AuthSettings()
        keys: KeySource
        if settings.jwks_url:
            keys = JwksKeySource(
                settings.jwks_url,
                cache_seconds=settings.jwks_cache_seconds,
                timeout=settings.jwks_timeout_seconds,
            )
        else:
            logger.info("no INSON_AUTH_JWKS_URL; verifying with dev key %s", settings.dev_key_path)
            keys = StaticKeySource.from_dev_key(load_or_create_dev_key(settings.dev_key_path))
        return cls(
            keys,
            issuer=settings.issuer,
            audience=settings.audience,
            leeway_seconds=settings.leeway_seconds,
            algorithms=settings.algorithms,
            role_claim=settings.role_claim,
            scope_claim=settings.scope_claim,
        )

    def authenticate(self, token: str) -> Principal:
        claims = self._verified_claims(token)
        return self._principal_from(claims)

    def _verified_claims(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
            alg = header.get("alg")
            if alg not in self._algorithms:
                raise AuthenticationError("token algorithm is not allowed")
            kid = header.get("kid")
            key = self._keys.signing_key(kid if isinstance(kid, str) else None)
            # Pin to the key's own algorithm so a header cannot pick how its key is used.
            if key.algorithm_name not in self._algorithms:
                raise AuthenticationError("token algorithm is not allowed")
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[key.algorithm_name],
                issuer=self._issuer,
                audience=self._audience,
                leeway=self._leeway,
                options={"require": _REQUIRED_CLAIMS},
            )
        except jwt.MissingRequiredClaimError as exc:
            raise AuthenticationError(f"token has no {exc.claim} claim") from exc
        except jwt.PyJWTError as exc:
            raise AuthenticationError(_reason_for(exc)) from exc
        return claims

    def _principal_from(self, claims: dict[str, Any]) -> Principal:
        fields = {
            "sub": claims.get("sub"),
            "role": claims.get(self._role_claim),
            "name": claims.get("name"),
        }
        if self._scope_claim in claims:
            fields["scope"] = claims[self._scope_claim]
        try:
            return Principal.model_validate(fields)
        except ValidationError as exc:
            # The messages carry claim values, so only field names leave this function.
            bad = sorted({str(err["loc"][0]) for err in exc.errors() if err["loc"]})
            if "role" in bad:
                raise AuthenticationError("token role is not recognised") from exc
            raise AuthenticationError(f"token claims are malformed: {', '.join(bad)}") from exc


def _reason_for(exc: Exception) -> str:
    for kind, reason in _REASONS:
        if isinstance(exc, kind):
            return reason
    return "token is invalid"
