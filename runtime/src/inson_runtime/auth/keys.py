"""The development signing key: created once per checkout, shared by every local service."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
VerifyingKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey

# RFC 7638: only these members take part in a key's thumbprint.
_THUMBPRINT_MEMBERS = {"EC": ("crv", "kty", "x", "y"), "RSA": ("e", "kty", "n")}


@dataclass(frozen=True, slots=True)
class DevKey:
    private_key: SigningKey
    kid: str
    algorithm: str

    @property
    def public_key(self) -> VerifyingKey:
        return self.private_key.public_key()

    def public_jwk(self) -> dict[str, Any]:
        return public_jwk(self.public_key, kid=self.kid, algorithm=self.algorithm)


def algorithm_for(key: SigningKey | VerifyingKey) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError(f"only P-256 EC keys are supported, got {key.curve.name}")
        return "ES256"
    return "RS256"


def public_jwk(
    key: VerifyingKey, *, kid: str | None = None, algorithm: str | None = None
) -> dict[str, Any]:
    """The public half as a JWK, as a JWKS endpoint would publish it."""
    if isinstance(key, ec.EllipticCurvePublicKey):
        jwk: dict[str, Any] = ECAlgorithm.to_jwk(key, as_dict=True)
    else:
        jwk = RSAAlgorithm.to_jwk(key, as_dict=True)
    jwk["kid"] = kid or jwk_thumbprint(jwk)
    jwk["alg"] = algorithm or algorithm_for(key)
    jwk["use"] = "sig"
    return jwk


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    # A content-derived kid means a regenerated dev key is told apart from the old one
    # without anyone having to keep a counter.
    members = _THUMBPRINT_MEMBERS[jwk["kty"]]
    canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def dev_key_from_private(private_key: SigningKey) -> DevKey:
    algorithm = algorithm_for(private_key)
    kid = public_jwk(private_key.public_key(), algorithm=algorithm)["kid"]
    return DevKey(private_key=private_key, kid=kid, algorithm=algorithm)


def generate_dev_key() -> DevKey:
    return dev_key_from_private(ec.generate_private_key(ec.SECP256R1()))


def load_dev_key(path: Path) -> DevKey:
    pem = path.read_bytes()
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise ValueError(f"{path} does not hold an unencrypted PEM private key") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError(f"{path} holds a {type(key).__name__}; use an EC P-256 or RSA key")
    return dev_key_from_private(key)


def load_or_create_dev_key(path: Path) -> DevKey:
    """Load the dev key at ``path``, creating it first if no process has yet."""
    if not path.exists():
        _create_key_file(path, generate_dev_key())
    # Always re-read: if another process won the creation race, its key is the one on disk.
    return load_dev_key(path)


def _create_key_file(path: Path, key: DevKey) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = key.private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # O_EXCL plus mode 0600 at creation: the secret is never readable by others, not even
    # for the moment between create and chmod.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        _publish_without_replacing(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _publish_without_replacing(tmp: Path, path: Path) -> None:
    # A hard link is an atomic "rename unless the target exists": when two services start
    # together the first key wins and the second process adopts it, instead of each
    # replacing the file and keeping a key the other no longer shares.
    try:
        os.link(tmp, path)
    except FileExistsError:
        return
    except OSError:
        # Filesystems without hard links: a plain atomic rename still never exposes a
        # half-written file, only the first-writer-wins guarantee is lost.
        if not path.exists():
            os.replace(tmp, path)
