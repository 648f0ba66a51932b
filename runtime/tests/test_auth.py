import json
import socket
import stat
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from inson_runtime.auth import (
    AuthenticationError,
    Authenticator,
    AuthSettings,
    CurrentPrincipal,
    DevKey,
    Principal,
    Role,
    generate_dev_key,
    get_authenticator,
    install_authenticator,
    load_or_create_dev_key,
    mint_dev_token,
    parse_ttl,
    require_roles,
    sign_claims,
)
from inson_runtime.auth.cli import main as cli_main
from inson_runtime.auth.keys import dev_key_from_private
from inson_runtime.auth.settings import find_repo_root
from inson_runtime.problems import install_problems

MAHALLAS = ["1703202001", "1703202002"]


@pytest.fixture
def settings(tmp_path: Path) -> AuthSettings:
    # jwks_url passed explicitly so a developer's shell environment cannot change the mode.
    return AuthSettings(jwks_url=None, dev_key_path=tmp_path / "auth" / "dev.pem")


@pytest.fixture
def dev_key(settings: AuthSettings) -> DevKey:
    return load_or_create_dev_key(settings.dev_key_path)


def build_app(authenticator: Authenticator | None) -> FastAPI:
    app = FastAPI()
    install_problems(app)
    if authenticator is not None:
        install_authenticator(app, authenticator)

    @app.get("/me")
    def me(principal: CurrentPrincipal) -> Principal:
        return principal

    @app.get("/cases", dependencies=[Depends(require_roles(Role.SUPERVISOR, "admin"))])
    def cases() -> dict[str, str]:
        return {"ok": "yes"}

    return app


@pytest.fixture
def client(settings: AuthSettings, dev_key: DevKey) -> TestClient:
    return TestClient(build_app(Authenticator.from_settings(settings)))


def token_for(settings: AuthSettings, role: Role = Role.SOCIAL_WORKER, **kw: Any) -> str:
    return mint_dev_token(sub="worker-17", role=role, settings=settings, **kw)


def base_claims(settings: AuthSettings, **overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": "worker-17",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "role": "social_worker",
        "scope": {"mahallas": MAHALLAS},
    }
    claims.update(overrides)
    return claims


def get_me(client: TestClient, token: str) -> Any:
    return client.get("/me", headers={"Authorization": f"Bearer {token}"})


def assert_401(response: Any, reason: str, token: str | None = None) -> None:
    """401 as a problem; why, in the challenge (RFC 6750) when a token was sent."""
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    challenge = response.headers["www-authenticate"]
    problem = response.json()
    if token is None and "Authorization" not in response.request.headers:
        assert challenge == "Bearer"
        assert problem["code"] == "auth.token_missing"
        return
    assert challenge == f'Bearer error="invalid_token", error_description="{reason}"'
    expired = reason == "token has expired"
    assert problem["code"] == ("auth.token_expired" if expired else "auth.token_invalid")
    assert problem["status"] == 401 and problem["type"] == f"urn:inson:problem:{problem['code']}"
    if token is not None:
        assert token not in response.text  # the token is never echoed
    if token:
        assert token not in response.text


def test_valid_token_gives_the_principal(client: TestClient, settings: AuthSettings) -> None:
    token = token_for(settings, mahallas=MAHALLAS, district="1703202", name="Dilnoza")
    response = get_me(client, token)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "sub": "worker-17",
        "role": "social_worker",
        "scope": {
            "mahallas": MAHALLAS,
            "service_center": None,
            "district": "1703202",
            "providers": [],
        },
        "name": "Dilnoza",
    }


def test_missing_header_is_401_without_error_code(client: TestClient) -> None:
    response = client.get("/me")
    assert_401(response, "missing bearer token")
    assert response.headers["www-authenticate"] == "Bearer"


def test_other_auth_scheme_is_401(client: TestClient) -> None:
    response = client.get("/me", headers={"Authorization": "Basic d29ya2VyOnB3"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "auth.token_missing"


@pytest.mark.parametrize("token", ["not-a-jwt", "aaa.bbb.ccc", "eyJhbGciOiJFUzI1NiJ9.e30"])
def test_malformed_token_is_401(client: TestClient, token: str) -> None:
    response = get_me(client, token)
    assert_401(response, "token is malformed", token)
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')


def test_expired_token_is_401(client: TestClient, settings: AuthSettings) -> None:
    token = token_for(settings, ttl="1h", now=datetime.now(UTC) - timedelta(hours=2))
    assert_401(get_me(client, token), "token has expired", token)


def test_expiry_within_leeway_is_accepted(client: TestClient, settings: AuthSettings) -> None:
    assert settings.leeway_seconds >= 30
    issued = datetime.now(UTC) - timedelta(hours=1)
    token = token_for(settings, ttl=timedelta(hours=1) - timedelta(seconds=10), now=issued)
    assert get_me(client, token).status_code == 200


def test_token_from_the_future_is_401(client: TestClient, settings: AuthSettings) -> None:
    token = token_for(settings, now=datetime.now(UTC) + timedelta(minutes=10))
    assert_401(get_me(client, token), "token is not yet valid", token)


def test_wrong_audience_is_401(client: TestClient, settings: AuthSettings) -> None:
    other = settings.model_copy(update={"audience": "someone-else"})
    assert_401(get_me(client, token_for(other)), "token audience is not accepted")


def test_wrong_issuer_is_401(client: TestClient, settings: AuthSettings) -> None:
    other = settings.model_copy(update={"issuer": "https://evil.example"})
    assert_401(get_me(client, token_for(other)), "token issuer is not accepted")


def test_token_of_another_key_is_401(client: TestClient, settings: AuthSettings) -> None:
    token = token_for(settings, key=generate_dev_key())
    assert_401(get_me(client, token), "token signing key is not known", token)


def test_another_key_claiming_our_kid_is_401(
    client: TestClient, settings: AuthSettings, dev_key: DevKey
) -> None:
    impostor = DevKey(generate_dev_key().private_key, kid=dev_key.kid, algorithm="ES256")
    token = token_for(settings, key=impostor)
    assert_401(get_me(client, token), "token signature is invalid", token)


def test_symmetric_algorithm_is_401(client: TestClient, settings: AuthSettings) -> None:
    token = jwt.encode(base_claims(settings), "shared-secret-of-32-bytes-or-more!", "HS256")
    assert_401(get_me(client, token), "token algorithm is not allowed", token)


def test_unknown_role_is_401(client: TestClient, settings: AuthSettings, dev_key: DevKey) -> None:
    token = sign_claims(base_claims(settings, role="superuser"), dev_key)
    assert_401(get_me(client, token), "token role is not recognised", token)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"scope": {"mahallas": "1703202001"}}, "token claims are malformed: scope"),
        ({"scope": "openid profile"}, "token claims are malformed: scope"),
        ({"sub": ""}, "token claims are malformed: sub"),
        ({"exp": None}, "token has no exp claim"),
        ({"sub": None}, "token has no sub claim"),
    ],
)
def test_malformed_claims_are_401(
    client: TestClient,
    settings: AuthSettings,
    dev_key: DevKey,
    overrides: dict[str, Any],
    reason: str,
) -> None:
    claims = {k: v for k, v in base_claims(settings, **overrides).items() if v is not None}
    assert_401(get_me(client, sign_claims(claims, dev_key)), reason)


def test_missing_scope_means_no_territory(
    client: TestClient, settings: AuthSettings, dev_key: DevKey
) -> None:
    claims = base_claims(settings)
    del claims["scope"]
    response = get_me(client, sign_claims(claims, dev_key))
    assert response.status_code == 200
    assert response.json()["scope"] == {
        "mahallas": [],
        "service_center": None,
        "district": None,
        "providers": [],
    }


def test_role_not_allowed_is_403(client: TestClient, settings: AuthSettings) -> None:
    response = client.get("/cases", headers={"Authorization": f"Bearer {token_for(settings)}"})
    assert response.status_code == 403
    problem = response.json()
    assert problem["code"] == "auth.role_not_allowed"
    assert "social_worker" in problem["detail"] and "admin, supervisor" in problem["detail"]
    assert response.headers["www-authenticate"] == 'Bearer error="insufficient_scope"'


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_allowed_roles_pass(client: TestClient, settings: AuthSettings, role: Role) -> None:
    response = client.get(
        "/cases", headers={"Authorization": f"Bearer {token_for(settings, role=role)}"}
    )
    assert response.status_code == 200


def test_require_roles_rejects_a_misspelt_role() -> None:
    with pytest.raises(ValueError, match="supervisr"):
        require_roles("supervisr")
    with pytest.raises(ValueError, match="at least one"):
        require_roles()


def test_missing_authenticator_fails_closed() -> None:
    client = TestClient(build_app(None), raise_server_exceptions=False)
    assert client.get("/me", headers={"Authorization": "Bearer x.y.z"}).status_code == 500


def test_authenticator_via_dependency_override(settings: AuthSettings, dev_key: DevKey) -> None:
    app = build_app(None)
    app.dependency_overrides[get_authenticator] = lambda: Authenticator.from_settings(settings)
    assert get_me(TestClient(app), token_for(settings)).json()["sub"] == "worker-17"


# --- JWKS -------------------------------------------------------------------------------


@dataclass
class JwksServer:
    url: str
    keys: list[dict[str, Any]] = field(default_factory=list)
    hits: int = 0


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    state = JwksServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hits += 1
            body = json.dumps({"keys": state.keys}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def jwks_client(url: str, tmp_path: Path) -> tuple[TestClient, AuthSettings]:
    settings = AuthSettings(
        jwks_url=url, issuer="https://id.inson.example", dev_key_path=tmp_path / "unused.pem"
    )
    return TestClient(build_app(Authenticator.from_settings(settings))), settings


@pytest.mark.parametrize("kind", ["ec", "rsa"])
def test_jwks_token_is_verified_and_keys_cached(
    jwks_server: JwksServer, tmp_path: Path, kind: str
) -> None:
    key = (
        generate_dev_key()
        if kind == "ec"
        else dev_key_from_private(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    )
    jwks_server.keys.extend([generate_dev_key().public_jwk(), key.public_jwk()])
    client, settings = jwks_client(jwks_server.url, tmp_path)

    for mahalla in MAHALLAS:
        token = token_for(settings, role=Role.WINDOW_OPERATOR, mahallas=[mahalla], key=key)
        response = get_me(client, token)
        assert response.status_code == 200, response.text
        assert response.json()["scope"]["mahallas"] == [mahalla]
    assert jwks_server.hits == 1
    assert not (tmp_path / "unused.pem").exists()


def test_jwks_unknown_kid_is_401(jwks_server: JwksServer, tmp_path: Path) -> None:
    jwks_server.keys.append(generate_dev_key().public_jwk())
    client, settings = jwks_client(jwks_server.url, tmp_path)
    token = token_for(settings, key=generate_dev_key())
    assert_401(get_me(client, token), "token signing key is not known", token)


def test_jwks_token_without_kid_is_401(
    jwks_server: JwksServer, tmp_path: Path, dev_key: DevKey
) -> None:
    jwks_server.keys.append(dev_key.public_jwk())
    client, settings = jwks_client(jwks_server.url, tmp_path)
    token = jwt.encode(base_claims(settings), dev_key.private_key, algorithm="ES256")
    assert_401(get_me(client, token), "token header has no kid", token)


def test_unreachable_jwks_is_503_not_401(tmp_path: Path, dev_key: DevKey) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client, settings = jwks_client(f"http://127.0.0.1:{port}/jwks", tmp_path)
    response = get_me(client, token_for(settings, key=dev_key))
    assert response.status_code == 503
    assert response.json()["code"] == "auth.unavailable"


# --- dev key, CLI, settings -------------------------------------------------------------


def test_dev_key_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "key.pem"
    first = load_or_create_dev_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_dev_key(path).kid == first.kid
    assert [p.name for p in path.parent.iterdir()] == ["key.pem"]


def test_concurrent_first_use_agrees_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    barrier = threading.Barrier(8)

    def create() -> str:
        barrier.wait()
        return load_or_create_dev_key(path).kid

    with ThreadPoolExecutor(8) as pool:
        kids = set(pool.map(lambda _: create(), range(8)))
    assert kids == {load_or_create_dev_key(path).kid}
    assert [p.name for p in tmp_path.iterdir()] == ["key.pem"]


def test_cli_prints_a_token_services_accept(
    settings: AuthSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("INSON_AUTH_JWKS_URL", raising=False)
    monkeypatch.setenv("INSON_AUTH_DEV_KEY_PATH", str(settings.dev_key_path))
    argv = ["--role", "social_worker", "--sub", "worker-17", "--district", "1703202", "--ttl", "8h"]
    argv += [arg for m in MAHALLAS for arg in ("--mahalla", m)]
    assert cli_main(argv) == 0
    token = capsys.readouterr().out.strip()

    principal = Authenticator.from_settings(settings).authenticate(token)
    assert principal.sub == "worker-17"
    assert principal.role is Role.SOCIAL_WORKER
    assert principal.scope.mahallas == MAHALLAS
    assert principal.scope.district == "1703202"
    lifetime = jwt.decode(token, options={"verify_signature": False})
    assert lifetime["exp"] - lifetime["iat"] == 8 * 3600


def test_cli_rejects_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli_main(["--role", "root", "--sub", "x"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_authenticate_raises_with_a_reason(settings: AuthSettings, dev_key: DevKey) -> None:
    with pytest.raises(AuthenticationError) as caught:
        Authenticator.from_settings(settings).authenticate("nope")
    assert caught.value.reason == "token is malformed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8h", timedelta(hours=8)),
        ("90m", timedelta(minutes=90)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("2d", timedelta(days=2)),
        ("45", timedelta(seconds=45)),
    ],
)
def test_parse_ttl(text: str, expected: timedelta) -> None:
    assert parse_ttl(text) == expected


@pytest.mark.parametrize("text", ["", "8x", "h8", "8h-"])
def test_parse_ttl_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_ttl(text)


def test_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("INSON_AUTH_JWKS_URL", "")
    monkeypatch.setenv("INSON_AUTH_AUDIENCE", "intake")
    monkeypatch.setenv("INSON_AUTH_DEV_KEY_PATH", str(tmp_path / "elsewhere.pem"))
    settings = AuthSettings()
    assert settings.jwks_url is None
    assert settings.audience == "intake"
    assert settings.dev_key_path == tmp_path / "elsewhere.pem"


def test_default_dev_key_lives_in_the_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INSON_AUTH_DEV_KEY_PATH", raising=False)
    monkeypatch.chdir("/")
    path = AuthSettings().dev_key_path
    repo = find_repo_root(Path(__file__).resolve().parent)
    assert repo is not None
    assert path == repo / ".local" / "auth" / "dev-signing-key.pem"


def test_symmetric_algorithms_cannot_be_configured() -> None:
    with pytest.raises(ValueError, match="asymmetric"):
        AuthSettings(algorithms=["HS256"])
