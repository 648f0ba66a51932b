"""The tablet app's page, catalogue, manifest and service worker, served without a store."""

from __future__ import annotations

import json
import re

import pytest
from assessment.console import install
from assessment.console.labels import catalogue_json
from assessment.console.questionnaire import CODE_LISTS
from assessment.console.routes import HERE, SHELL
from fastapi import FastAPI
from fastapi.testclient import TestClient

INTAKE = "http://127.0.0.1:18101"
RULES = HERE.parents[0] / "domain" / "rules"


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    install(app, intake_url=INTAKE + "/")
    return TestClient(app)


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("uz-Latn", "Mahalla ijtimoiy xodimi"),
        ("uz-Cyrl", "Маҳалла ижтимоий ходими"),
        ("ru", "Социальный работник махалли"),
    ],
)
def test_the_page_is_rendered_in_the_language_asked_for(
    client: TestClient, lang: str, title: str
) -> None:
    page = client.get("/tablet/", params={"lang": lang})
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text
    assert title in page.text
    assert f'data-intake="{INTAKE}"' in page.text


def test_only_the_apps_own_files_run_and_only_intake_is_called_beside_it(
    client: TestClient,
) -> None:
    page = client.get("/tablet/")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert f"connect-src 'self' {INTAKE}" in policy
    assert "<script>" not in page.text and " style=" not in page.text


def test_every_label_of_the_page_is_in_all_three_scripts() -> None:
    catalogue = catalogue_json()
    keys = set(catalogue["uz-Latn"])
    assert set(catalogue["uz-Cyrl"]) == keys == set(catalogue["ru"])
    template = (HERE / "templates" / "tablet.html").read_text(encoding="utf-8")
    script = (HERE / "static" / "app.js").read_text(encoding="utf-8")
    views = (HERE / "static" / "views.js").read_text(encoding="utf-8")
    views += (HERE / "static" / "plan.js").read_text(encoding="utf-8")
    form = (HERE / "static" / "questionnaire.js").read_text(encoding="utf-8")
    form += (HERE / "static" / "apply.js").read_text(encoding="utf-8")
    used = set(re.findall(r'data-i18n="([a-z_.]+)"', template))
    used |= set(re.findall(r'\bt\("([a-z_]+\.[a-z_.]+)"\)', template + script + views))
    # The questionnaire names its labels as plain strings ("q.age", ...).
    used |= set(re.findall(r'"((?:q|apply)\.[a-z_]+)"', form))
    assert {"q.age", "q.add_member", "q.limitations", "plan.send_revision"} <= used
    assert used - keys == set()


def test_every_questionnaire_code_has_a_name_in_the_three_scripts() -> None:
    # The form offers what contracts' enums allow; each by its name, never a bare code.
    catalogue = catalogue_json()
    for prefix, codes in CODE_LISTS.items():
        assert codes, prefix
        for code in codes:
            for language in ("uz-Latn", "uz-Cyrl", "ru"):
                assert f"{prefix}.{code}" in catalogue[language], (prefix, code, language)


def test_every_scoring_factor_is_named_in_the_three_scripts() -> None:
    # A contribution reads as its factor's name; the rules' English line is a fallback.
    rules = json.loads((RULES / "scoring-v1.json").read_text(encoding="utf-8"))
    factors = {factor["id"] for factor in rules["factors"]}
    assert len(factors) > 20
    catalogue = catalogue_json()
    for language in ("uz-Latn", "uz-Cyrl", "ru"):
        named = {k.removeprefix("factor.") for k in catalogue[language] if k.startswith("factor.")}
        assert factors - named == set(), language


def test_the_page_carries_the_code_lists_of_the_questionnaire(client: TestClient) -> None:
    page = client.get("/tablet/", params={"lang": "ru"}).text
    found = re.search(r'<script type="application/json" id="q-codes">(.*?)</script>', page, re.S)
    assert found is not None
    assert json.loads(found.group(1)) == {k: list(v) for k, v in CODE_LISTS.items()}
    assert 'value="violence_at_home"' in page and "Домашнее насилие" in page


def test_the_service_worker_caches_the_whole_shell(client: TestClient) -> None:
    worker = client.get("/tablet/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "__SHELL__" not in worker.text
    for path in SHELL:
        assert f"'{path}'" in worker.text
        assert client.get(path).status_code == 200, path


def test_the_manifest_installs_the_app_in_its_scope(client: TestClient) -> None:
    manifest = client.get("/tablet/manifest.webmanifest").json()
    assert manifest["start_url"] == manifest["scope"] == "/tablet/"
    assert manifest["display"] == "standalone"


def test_the_app_without_a_slash_goes_to_the_app(client: TestClient) -> None:
    answer = client.get("/tablet", follow_redirects=False)
    assert answer.status_code == 308
    assert answer.headers["location"] == "/tablet/"


def test_a_workers_mahallas_are_named_in_the_three_scripts(client: TestClient) -> None:
    names = client.get(
        "/tablet/mahallas.json", params={"code": ["1735207004", "0000000000"]}
    ).json()
    assert list(names) == ["1735207004"]
    assert set(names["1735207004"]) == {"uz-Latn", "uz-Cyrl", "ru"}
    assert "Маҳалла" in names["1735207004"]["uz-Cyrl"]


def test_the_label_catalogue_stays_small_for_a_weak_signal(client: TestClient) -> None:
    assert len(client.get("/tablet/labels.json").content) < 64_000
