"""``inson-token``: print a development bearer token.

Example::

    inson-token --role social_worker --sub worker-17 \\
        --mahalla 1703202001 --mahalla 1703202002 --district 1703202 --ttl 8h
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from .principal import Role
from .settings import AuthSettings
from .tokens import DEFAULT_TTL, mint_dev_token, parse_ttl


def _ttl(text: str) -> timedelta:
    try:
        ttl = parse_ttl(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if ttl.total_seconds() <= 0:
        raise argparse.ArgumentTypeError("ttl must be positive")
    return ttl


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inson-token",
        description="Mint a development JWT signed with the local dev key "
        "(INSON_AUTH_DEV_KEY_PATH; created if missing).",
    )
    parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    parser.add_argument("--sub", required=True, help="actor id")
    parser.add_argument("--mahalla", action="append", default=[], help="repeatable")
    parser.add_argument("--district")
    parser.add_argument("--service-center")
    parser.add_argument(
        "--provider", action="append", default=[], help="a provider operator's provider; repeatable"
    )
    parser.add_argument("--name")
    parser.add_argument("--ttl", type=_ttl, default=DEFAULT_TTL, help="e.g. 8h, 30m, 1h30m")
    parser.add_argument("--key-path", type=Path, help="overrides INSON_AUTH_DEV_KEY_PATH")
    parser.add_argument("--issuer", help="overrides INSON_AUTH_ISSUER")
    parser.add_argument("--audience", help="overrides INSON_AUTH_AUDIENCE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides = {
        "dev_key_path": args.key_path,
        "issuer": args.issuer,
        "audience": args.audience,
    }
    settings = AuthSettings(**{k: v for k, v in overrides.items() if v is not None})
    if settings.jwks_url:
        # Still minted: the user may want it for another environment, but should know why
        # the local services will refuse it.
        print(
            "warning: INSON_AUTH_JWKS_URL is set; services using it will not accept dev tokens",
            file=sys.stderr,
        )
    token = mint_dev_token(
        sub=args.sub,
        role=args.role,
        mahallas=args.mahalla,
        district=args.district,
        service_center=args.service_center,
        providers=args.provider,
        name=args.name,
        ttl=args.ttl,
        settings=settings,
    )
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
