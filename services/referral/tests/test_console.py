"""The window console's page, assets, label catalogue and window list, in process
and without servers: the service as composed, so the wiring in main.py is tested too."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.codes.names import CYRILLIC, Language
from inson_contracts.events.referral import RejectionCode
from inson_contracts.events.values import Priority
from inson_runtime.auth import AuthSettings
from inson_runtime.pages import LANGUAGE_NAMES
from referral.console import labels as catalogue
from referral.console.routes import HERE
from referral.domain.referral import Status
from referral.main import compose
from referral.reference.centers import service_center
from referral.settings import Settings

CENTER = "psc-1735207"
TEMPLATE = (HERE / "templates" / "console.html").read_text(encoding="utf-8")
SCRIPTS = {p.name: p.read_text(encoding="utf-8") for p in (HERE / "static").glob("*.js")}
# Keys built at run time from a value: every value of these enums must have one.
DYNAMIC = {"status", "priority", "event", "rejection"}


@pytest.fixture
async def http(auth: AuthSettings) -> AsyncIterator[httpx.AsyncClient]:
    runtime, app = compose(Settings(service_name=f"referral-console-{uuid.uuid4().hex[:8]}"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://referral") as client:
        yield client
    await runtime.mongo.close()


async def test_the_page_is_served_with_a_policy_that_runs_only_its_own_files(http) -> None:
    page = await http.get("/console")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy and "http" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"

    html = page.text
    assert '<html lang="uz-Latn">' in html
    assert f'<title data-i18n="app.title">{catalogue.label("app.title", Language.UZ_LATN)}<' in html
    # Nothing the policy would block, so nothing is silently missing in a browser.
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert " style=" not in html and "<style" not in html
    assert re.findall(r"""(?:src|href)="(?!/console/static/)""", html) == []
    assert re.findall(r"https?://", html) == []


@pytest.mark.parametrize("tag", ["uz-Cyrl", "uz-cyrl", "ru"])
async def test_the_page_is_rendered_in_the_language_asked_for(http, tag: str) -> None:
    html = (await http.get("/console", params={"lang": tag})).text
    language = next(x for x in Language if x.value.lower() == tag.lower())
    assert f'<html lang="{language.value}">' in html
    assert catalogue.label("signin.title", language) in html
    assert catalogue.label("rejection.documents_missing", language) in html


async def test_an_unknown_language_falls_back_to_uzbek_latin(http) -> None:
    html = (await http.get("/console", params={"lang": "en"})).text
    assert '<html lang="uz-Latn">' in html


@pytest.mark.parametrize(
    ("asset", "content_type"),
    [
        ("console.js", "text/javascript"),
        ("i18n.js", "text/javascript"),
        ("detail.js", "text/javascript"),
        ("console.css", "text/css"),
        ("favicon.svg", "image/svg+xml"),
    ],
)
async def test_assets_are_served_with_their_types(http, asset: str, content_type: str) -> None:
    got = await http.get(f"/console/static/{asset}")
    assert got.status_code == 200
    assert got.headers["content-type"].split(";")[0] == content_type
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.content == (HERE / "static" / asset).read_bytes()


async def test_only_the_static_folder_is_served(http) -> None:
    for path in ("nothing.js", "../routes.py", "%2e%2e/routes.py", "../templates/console.html"):
        assert (await http.get(f"/console/static/{path}")).status_code == 404


def test_every_asset_the_page_names_exists() -> None:
    for name in re.findall(r"/console/static/([\w.-]+)", TEMPLATE.replace("{{ static }}", "")):
        assert (HERE / "static" / name).is_file(), name
    for name in re.findall(r"""\{\{ static \}\}/([\w.-]+)""", TEMPLATE):
        assert (HERE / "static" / name).is_file(), name
    for script, text in SCRIPTS.items():
        for name in re.findall(r"""from "\./([\w.-]+)\"""", text):
            assert (HERE / "static" / name).is_file(), f"{script} imports {name}"


def test_the_catalogue_is_complete_in_three_languages() -> None:
    for key, text in catalogue.LABELS.items():
        assert text.uz_latn.strip() and text.uz_cyrl.strip() and text.ru.strip(), key
        assert not CYRILLIC.search(text.uz_latn), key
        assert CYRILLIC.search(text.uz_cyrl) and CYRILLIC.search(text.ru), key
        # Uzbek Latin writes oʻ and gʻ with U+02BB, not an apostrophe or a backtick.
        assert not re.search(r"[og]['`‘’]", text.uz_latn, re.IGNORECASE), key
    for key in (
        [f"status.{s.value}" for s in Status]
        + [f"priority.{p.value}" for p in Priority]
        + [f"rejection.{c.value}" for c in RejectionCode]
        + [f"event.{e}" for e in catalogue.HISTORY_EVENTS]
    ):
        assert key in catalogue.LABELS, key
    assert set(LANGUAGE_NAMES) == set(Language)  # the switch offers every language


def _referenced_keys() -> set[str]:
    prefixes = {key.split(".")[0] for key in catalogue.LABELS}
    sources = [TEMPLATE, *SCRIPTS.values()]
    found = {
        key
        for text in sources
        for key in re.findall(r"""["']([a-z]+\.[a-z_]+)["']""", text)
        if key.split(".")[0] in prefixes
    }
    return found | {k for k in re.findall(r"""\bt\("([a-z]+\.[a-z_]+)"\)""", TEMPLATE)}


def test_every_label_the_page_uses_is_in_the_catalogue_and_none_is_dead() -> None:
    used = _referenced_keys()
    assert sorted(used - catalogue.LABELS.keys()) == []
    static_keys = {k for k in catalogue.LABELS if k.split(".")[0] not in DYNAMIC}
    assert sorted(static_keys - used) == []


async def test_the_labels_endpoint_serves_the_whole_catalogue(http) -> None:
    got = await http.get("/console/labels.json")
    assert got.status_code == 200
    body = got.json()
    assert set(body) == {language.value for language in Language}
    for language in Language:
        assert body[language.value].keys() == catalogue.LABELS.keys()
    assert body["uz-Cyrl"]["action.accept"] == "Қабул қилиш"


async def test_an_operator_gets_the_windows_of_their_center(
    http, token: Callable[..., dict[str, str]]
) -> None:
    operator = token("window_operator", "op-1", service_center=CENTER)
    got = await http.get("/console/api/center", headers=operator)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["code"] == CENTER and body["name"]["uz_cyrl"]
    assert [w["code"] for w in body["windows"]] == list(service_center(CENTER).window_codes)
    assert all(w["name"]["ru"] for w in body["windows"])


async def test_only_an_operator_with_a_known_center_gets_windows(
    http, token: Callable[..., dict[str, str]]
) -> None:
    path = "/console/api/center"
    assert (await http.get(path)).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert (await http.get(path, headers=bad)).status_code == 401
    supervisor = token("supervisor", "sup-1", district="1735207")
    assert (await http.get(path, headers=supervisor)).status_code == 403
    no_center = token("window_operator", "op-2", district="1735207")
    assert (await http.get(path, headers=no_center)).status_code == 403
    unknown = token("window_operator", "op-3", service_center="psc-0000000")
    assert (await http.get(path, headers=unknown)).status_code == 404


async def test_a_provider_operator_gets_their_providers_named_from_the_directory(
    http, token: Callable[..., dict[str, str]]
) -> None:
    mahalla = mahallas_of("1735207")[1].code
    mine = ["health-1735207", f"mahalla-{mahalla}", "health-0000000"]  # the last one is gone
    operator = token("provider_operator", "po-1", providers=mine)
    got = await http.get("/console/api/providers", headers=operator)
    assert got.status_code == 200, got.text
    providers = got.json()["providers"]
    assert [p["code"] for p in providers] == mine[:2]
    assert [p["provider_type"] for p in providers] == ["health_facility", "mahalla"]
    for p in providers:
        assert p["name"]["uz_latn"] and CYRILLIC.search(p["name"]["uz_cyrl"]) and p["name"]["ru"]
    path = "/console/api/providers"
    window = token("window_operator", "op-1", service_center=CENTER)
    assert (await http.get(path, headers=window)).status_code == 403
    assert (await http.get("/console/api/center", headers=operator)).status_code == 403
    nothing = token("provider_operator", "po-2")
    assert (await http.get(path, headers=nothing)).status_code == 403
    gone = token("provider_operator", "po-3", providers=["health-0000000"])
    assert (await http.get(path, headers=gone)).status_code == 404


def test_the_console_package_ships_its_files() -> None:
    shipped = {
        p.name for p in Path(HERE).rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }
    assert {"console.html", "console.js", "i18n.js", "detail.js", "console.css"} <= shipped
