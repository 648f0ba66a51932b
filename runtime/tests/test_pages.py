"""The pages' shared language choice and guard headers."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from inson_contracts.codes.names import Language
from inson_runtime.pages import (
    LANGUAGE_NAMES,
    PageAssets,
    page_context,
    page_headers,
    page_language,
)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        (None, Language.UZ_LATN),
        ("uz-Cyrl", Language.UZ_CYRL),
        (" UZ-CYRL ", Language.UZ_CYRL),
        ("ru", Language.RU),
        ("de", Language.UZ_LATN),
        ("", Language.UZ_LATN),
    ],
)
def test_a_page_is_written_in_the_asked_script_or_the_default(
    tag: str | None, expected: Language
) -> None:
    assert page_language(tag) is expected


def test_the_default_is_the_callers() -> None:
    assert page_language("xx", Language.RU) is Language.RU


def test_a_page_runs_only_its_own_files() -> None:
    assert page_headers() == {
        "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def test_more_directives_go_before_the_closing_ones() -> None:
    policy = page_headers(
        connect_src="'self' https://intake.example",
        directives=("worker-src 'self'",),
        form_action="'none'",
        cache_control="no-cache",
    )
    assert policy["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self' https://intake.example; worker-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    assert policy["Cache-Control"] == "no-cache"


def test_a_page_gets_its_language_its_labels_and_the_switch() -> None:
    def label(key: str, language: Language) -> str:
        return f"{key}/{language.value}"

    context = page_context(Language.UZ_CYRL, label)
    assert context["lang"] == "uz-Cyrl"
    assert context["t"]("app.title") == "app.title/uz-Cyrl"
    assert context["languages"] == [
        ("uz-Latn", "Oʻzbekcha"),
        ("uz-Cyrl", "Ўзбекча"),
        ("ru", "Русский"),
    ]
    assert set(LANGUAGE_NAMES) == set(Language)


def test_a_pages_files_are_never_sniffed_and_always_revalidated(tmp_path) -> None:
    (tmp_path / "app.js").write_text("export {};", encoding="utf-8")
    app = FastAPI()
    app.mount("/static", PageAssets(directory=tmp_path), name="static")
    served = TestClient(app).get("/static/app.js")
    assert served.status_code == 200
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"] == "no-cache"
