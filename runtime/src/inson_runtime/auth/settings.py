"""Auth configuration, read from ``INSON_AUTH_*`` only when a service asks for it."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Symmetric algorithms are deliberately absent: with a JWKS-published public key, accepting
# HS256 would let anyone who can read the JWKS forge tokens (algorithm confusion).
ASYMMETRIC_ALGORITHMS = frozenset(
    {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"}
)

_WORKSPACE_MARKER = "[tool.uv.workspace]"


def find_repo_root(start: Path) -> Path | None:
    """The nearest ancestor holding the uv workspace pyproject, or ``None``."""
    for candidate in (start, *start.parents):
        pyproject = candidate / "pyproject.toml"
        try:
            if pyproject.is_file() and _WORKSPACE_MARKER in pyproject.read_text("utf-8"):
                return candidate
        except (OSError, UnicodeDecodeError):
            continue
    return None


def default_dev_key_path() -> Path:
    # The package's own location wins so every service of a checkout shares one dev key
    # whatever directory it was started from; cwd covers non-editable installs.
    root = (
        find_repo_root(Path(__file__).resolve().parent)
        or find_repo_root(Path.cwd().resolve())
        or Path.cwd().resolve()
    )
    return root / ".local" / "auth" / "dev-signing-key.pem"


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INSON_AUTH_", extra="ignore")

    jwks_url: str | None = None
    issuer: str = "inson-dev"
    audience: str = "inson"
    dev_key_path: Path = Field(default_factory=default_dev_key_path)
    leeway_seconds: float = Field(default=30.0, ge=0, le=300)
    jwks_cache_seconds: float = Field(default=300.0, gt=0)
    jwks_timeout_seconds: float = Field(default=5.0, gt=0)
    algorithms: list[str] = Field(default_factory=lambda: ["ES256", "RS256"], min_length=1)
    # Configurable because a real OIDC provider may already use ``scope`` for the
    # space-separated OAuth scope string; production can map ours to a namespaced claim.
    role_claim: str = "role"
    scope_claim: str = "scope"

    @field_validator("jwks_url", mode="before")
    @classmethod
    def _blank_url_means_unset(cls, value: object) -> object:
        # Compose files often render an unset variable as ``INSON_AUTH_JWKS_URL=``.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("algorithms")
    @classmethod
    def _only_asymmetric(cls, value: list[str]) -> list[str]:
        rejected = sorted(set(value) - ASYMMETRIC_ALGORITHMS)
        if rejected:
            raise ValueError(f"only asymmetric JWT algorithms are allowed, got {rejected}")
        return value
