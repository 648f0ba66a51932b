"""Bearer-JWT authentication for Inson HTTP APIs.

A service builds one :class:`Authenticator` in its composition root
(``Authenticator.from_settings()``), hands it to :func:`install_authenticator`, and
declares what it needs with :data:`CurrentPrincipal` or :func:`require_roles`.
"""

from .authenticator import (
    AuthenticationError,
    Authenticator,
    AuthUnavailableError,
    JwksKeySource,
    KeySource,
    StaticKeySource,
)
from .dependencies import (
    AuthenticatorDep,
    CurrentPrincipal,
    get_authenticator,
    get_current_principal,
    install_authenticator,
    require_roles,
)
from .keys import DevKey, generate_dev_key, load_or_create_dev_key
from .principal import Principal, Role, Scope
from .settings import AuthSettings
from .tokens import mint_dev_token, parse_ttl, sign_claims

__all__ = [
    "AuthSettings",
    "AuthUnavailableError",
    "AuthenticationError",
    "Authenticator",
    "AuthenticatorDep",
    "CurrentPrincipal",
    "DevKey",
    "JwksKeySource",
    "KeySource",
    "Principal",
    "Role",
    "Scope",
    "StaticKeySource",
    "generate_dev_key",
    "get_authenticator",
    "get_current_principal",
    "install_authenticator",
    "load_or_create_dev_key",
    "mint_dev_token",
    "parse_ttl",
    "require_roles",
    "sign_claims",
]
