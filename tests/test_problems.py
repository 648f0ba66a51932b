"""The one error model, across the services: every code is complete in the three
scripts, written as Uzbek and Russian are written, and every error answer every
service documents is a problem.

The runtime's own tests (runtime/tests/test_problems.py) cover negotiation and
rendering; each service's tests/test_problems.py raises each of its refusals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from inson_contracts.codes.names import LocalizedName
from inson_runtime.problems import Catalogue
from inson_runtime.problems.catalogue import placeholders
from inson_runtime.problems.common import COMMON
from inson_runtime.problems.handlers import catalogue_of
from starlette.requests import Request

SERVICES = ("intake", "assessment", "referral", "notification", "insight")
_APPS: dict[str, FastAPI] = {}

# Uzbek Latin writes oʻ and gʻ with U+02BB and the tutuq belgisi with U+02BC.
_WRONG_APOSTROPHES = re.compile(r"['`‘’ʹ]")
_OKINA_NOT_AFTER_O_OR_G = re.compile(r"(?<![oOgG])ʻ")
_TUTUQ_AFTER_O_OR_G = re.compile(r"(?<=[oOgG])ʼ")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_./:-]*")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_UZBEK_ONLY = re.compile(r"[ўқғҳЎҚҒҲ]")


def app_of(service: str) -> FastAPI:
    if service not in _APPS:
        main = __import__(f"{service}.main", fromlist=["compose"])
        settings = __import__(f"{service}.settings", fromlist=["Settings"]).Settings
        _APPS[service] = main.compose(settings(service_name=f"{service}-problems"))[1]
    return _APPS[service]


def catalogue(service: str) -> Catalogue:
    request = Request({"type": "http", "app": app_of(service)})
    return catalogue_of(request)


def texts(service: str) -> Iterator[tuple[str, LocalizedName]]:
    found = catalogue(service)
    for problem in found.problems.values():
        yield f"{problem.code} title", problem.title
        yield f"{problem.code} detail", problem.detail
    for field in found.fields.values():
        yield f"field {field.code}", field.message


@pytest.mark.parametrize("service", SERVICES)
def test_every_code_is_complete_in_the_three_scripts(service: str) -> None:
    found = catalogue(service)
    assert set(COMMON.problems) <= set(found.problems)
    assert len(found.problems) >= 12
    for where, text in texts(service):
        scripts = (text.uz_latn, text.uz_cyrl, text.ru)
        assert all(s.strip() for s in scripts), where
        assert len(set(scripts)) == 3, f"{where}: a script copies another"
        assert len({frozenset(placeholders(s)) for s in scripts}) == 1, where


@pytest.mark.parametrize("service", SERVICES)
def test_uzbek_and_russian_are_written_as_they_are_written(service: str) -> None:
    for where, text in texts(service):
        latin, cyrillic, russian = text.uz_latn, text.uz_cyrl, text.ru
        assert not _WRONG_APOSTROPHES.search(latin), f"{where}: use ʻ (U+02BB) or ʼ (U+02BC)"
        assert not _OKINA_NOT_AFTER_O_OR_G.search(latin), f"{where}: ʻ only in oʻ and gʻ"
        assert not _TUTUQ_AFTER_O_OR_G.search(latin), f"{where}: oʻ and gʻ take ʻ, not ʼ"
        assert not _UZBEK_ONLY.search(russian), f"{where}: Uzbek letters in the Russian"
        assert _CYRILLIC.search(cyrillic) and _CYRILLIC.search(russian), where
        # Latin words in the Cyrillic texts are technical terms (headers, fields,
        # formats), the same in every script; a Latin letter in a Cyrillic word
        # is a transliteration slip.
        for other in (cyrillic, russian):
            for word in re.findall(r"\w+", other):
                assert not (_CYRILLIC.search(word) and re.search("[A-Za-z]", word)), (where, word)
            for term in _LATIN_WORD.findall(other):
                assert term.rstrip(".:/-") in latin, f"{where}: {term!r} is not in the Latin text"


@pytest.mark.parametrize("service", SERVICES)
def test_every_error_answer_is_documented_as_a_problem(service: str) -> None:
    document = app_of(service).openapi()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    problems = {name for name in schemas if name.endswith("Problem")}
    seen = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert {"401", "403", "500", "503"} <= statuses, (method, path)
            for status, answer in operation["responses"].items():
                if not status.startswith(("4", "5")):
                    continue
                seen += 1
                content = answer["content"]
                assert set(content) == {"application/problem+json", "application/json"}
                schema = content["application/problem+json"]["schema"]
                refs = [schema.get("$ref", "")] + [s["$ref"] for s in schema.get("anyOf", [])]
                assert {r.rsplit("/", 1)[-1] for r in refs if r} <= problems, (path, status)
    assert seen > 20
