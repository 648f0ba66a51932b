"""FastAPI wiring: bearer token in, :class:`Principal` out."""

import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from inson_runtime.problems import common
from inson_runtime.problems.catalogue import ProblemError

from .authenticator import EXPIRED, AuthenticationError, Authenticator, AuthUnavailableError
from .principal import Principal, Role

logger = logging.getLogger(__name__)

_STATE_ATTR = "authenticator"

# auto_error=False: FastAPI's own error neither says why nor matches our body format.
_bearer = HTTPBearer(auto_error=False, scheme_name="bearer", bearerFormat="JWT")


def install_authenticator(app: FastAPI, authenticator: Authenticator) -> None:
    """Make ``authenticator`` the one every request of ``app`` is verified with."""
    setattr(app.state, _STATE_ATTR, authenticator)


def get_authenticator(request: Request) -> Authenticator:
    authenticator = getattr(request.app.state, _STATE_ATTR, None)
    if not isinstance(authenticator, Authenticator):
        # A 500 rather than letting requests through: a missing verifier must fail closed.
        raise RuntimeError(
            "no Authenticator on app.state; call install_authenticator(app, ...) in the "
            "composition root or override get_authenticator"
        )
    return authenticator


AuthenticatorDep = Annotated[Authenticator, Depends(get_authenticator)]


def _unauthorized(reason: str, *, token_given: bool) -> ProblemError:
    """A 401 problem; why the token was refused goes where RFC 6750 puts it, in the
    challenge's ``error_description`` (a fixed phrase naming claims, never values)."""
    if not token_given:
        # RFC 6750: no error code when no token was presented.
        return ProblemError(common.TOKEN_MISSING, headers={"WWW-Authenticate": "Bearer"})
    challenge = f'Bearer error="invalid_token", error_description="{reason}"'
    problem = common.TOKEN_EXPIRED if reason == EXPIRED else common.TOKEN_INVALID
    return ProblemError(problem, headers={"WWW-Authenticate": challenge})


# A plain ``def`` on purpose: verification may fetch a JWKS with blocking urllib, and FastAPI
# runs sync dependencies in its threadpool instead of on the event loop.
def get_current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    authenticator: AuthenticatorDep,
) -> Principal:
    if credentials is None:
        header = request.headers.get("Authorization")
        reason = "authorization scheme must be Bearer" if header else "missing bearer token"
        raise _unauthorized(reason, token_given=False)
    try:
        principal = authenticator.authenticate(credentials.credentials)
    except AuthenticationError as exc:
        logger.info("rejected bearer token: %s", exc.reason)
        raise _unauthorized(exc.reason, token_given=True) from None
    except AuthUnavailableError as exc:
        logger.warning("token not verified: %s", exc.reason)
        raise ProblemError(common.AUTH_UNAVAILABLE) from None
    # Kept on the request so logging and metrics middleware can name the actor.
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_current_principal)]


def require_roles(*roles: Role | str) -> Callable[[Principal], Principal]:
    """A dependency that lets only the given roles through (403 for the others).

    No role implies another: ``admin`` is only allowed where it is listed.
    """
    if not roles:
        raise ValueError("require_roles() needs at least one role")
    # Role(...) here turns a misspelt role into an error at import, not a silent 403.
    allowed = frozenset(Role(role) for role in roles)
    allowed_text = ", ".join(sorted(allowed))

    def dependency(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            raise ProblemError(
                common.ROLE_NOT_ALLOWED,
                params={"role": principal.role.value, "allowed": allowed_text},
                headers={"WWW-Authenticate": 'Bearer error="insufficient_scope"'},
            )
        return principal

    return dependency
