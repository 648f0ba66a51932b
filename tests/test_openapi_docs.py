"""Every service's API documents itself: each operation has a summary of its own
(not the one FastAPI makes of the function's name), a description, an example
of the body it takes and of each successful answer with a body, and every
example is valid by the schema it illustrates. ``/docs`` loads Swagger UI's
files from the service itself, never from a CDN.

The documents and pages are composed in process: no server, broker or store.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

HERE = Path(__file__).resolve().parent
METHODS = {"get", "put", "post", "delete", "patch"}


def _snapshots() -> ModuleType:
    spec = importlib.util.spec_from_file_location("openapi_snapshot", HERE / "openapi/snapshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


snapshots = _snapshots()
SERVICES: tuple[str, ...] = snapshots.SERVICES


@cache
def app_of(service: str) -> FastAPI:
    main = importlib.import_module(f"{service}.main")
    settings = importlib.import_module(f"{service}.settings").Settings()
    _, app = main.compose(settings)
    return app


@cache
def document(service: str) -> dict[str, Any]:
    spec: dict[str, Any] = app_of(service).openapi()
    return spec


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def generated_summary(where: str, operation: dict[str, Any]) -> str:
    """The summary FastAPI makes when a route gives none: its function's name, titled."""
    method, path = where.split(" ", 1)
    suffix = re.sub(r"\W", "_", path) + "_" + method.lower()
    name = operation["operationId"].removesuffix(suffix)
    return name.replace("_", " ").title()


def examples_of(content: dict[str, Any], components: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(example, the schema it illustrates) of one media type: its own examples, or
    those of its schema (behind a $ref, or one of an anyOf's)."""
    schema = content.get("schema", {})
    found = [(content["example"], schema)] if "example" in content else []
    found += [(e["value"], schema) for e in content.get("examples", {}).values()]
    if found:
        return found
    options = [schema, *schema.get("anyOf", [])]
    for option in options:
        ref = option.get("$ref", "")
        target = components.get(ref.rsplit("/", 1)[-1], {}) if ref else option
        found += [(e, option) for e in target.get("examples", [])]
    return found


def why_undocumented(doc: dict[str, Any]) -> list[str]:
    components = doc.get("components", {}).get("schemas", {})
    problems = []
    for where, operation in operations(doc):
        summary = operation.get("summary", "")
        if not summary or summary == generated_summary(where, operation):
            problems.append(f"{where}: no summary of its own")
        if not operation.get("description", "").strip():
            problems.append(f"{where}: no description")
        body = operation.get("requestBody")
        if body and not examples_of(body["content"]["application/json"], components):
            problems.append(f"{where}: no example request")
        for status, answer in operation["responses"].items():
            json_body = answer.get("content", {}).get("application/json")
            if status.startswith("2") and json_body and not examples_of(json_body, components):
                problems.append(f"{where}: no example of its {status} answer")
    return problems


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_is_documented_with_examples(service: str) -> None:
    problems = why_undocumented(document(service))
    assert problems == [], "\n".join(problems)


def all_examples(doc: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    components = doc.get("components", {}).get("schemas", {})
    for where, operation in operations(doc):
        body = operation.get("requestBody")
        if body:
            for example, schema in examples_of(body["content"]["application/json"], components):
                yield f"{where} <- body", example, schema
        for status, answer in operation["responses"].items():
            json_body = answer.get("content", {}).get("application/json")
            if status.startswith("2") and json_body:
                for example, schema in examples_of(json_body, components):
                    yield f"{where} -> {status}", example, schema


@pytest.mark.parametrize("service", SERVICES)
def test_every_example_is_valid_by_its_schema(service: str) -> None:
    doc = document(service)
    problems = []
    for where, example, schema in all_examples(doc):
        validator = Draft202012Validator({**schema, "components": doc.get("components", {})})
        problems += [f"{where}: {e.json_path}: {e.message}" for e in validator.iter_errors(example)]
    assert problems == [], "\n".join(problems)


def test_the_check_sees_a_missing_description_and_a_generated_summary() -> None:
    doc = {
        "paths": {
            "/v1/things/{id}": {
                "post": {
                    "operationId": "do_thing_v1_things__id__post",
                    "summary": "Do Thing",
                    "requestBody": {"content": {"application/json": {"schema": {}}}},
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"type": "object"}}}}
                    },
                }
            }
        }
    }
    assert why_undocumented(doc) == [
        "POST /v1/things/{id}: no summary of its own",
        "POST /v1/things/{id}: no description",
        "POST /v1/things/{id}: no example request",
        "POST /v1/things/{id}: no example of its 200 answer",
    ]


class _References(HTMLParser):
    """Every URL a page names: scripts, styles, icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


@pytest.mark.parametrize("service", SERVICES)
def test_the_docs_page_loads_its_files_from_the_service(service: str) -> None:
    client = TestClient(app_of(service))  # no lifespan: nothing is connected
    html = client.get("/docs")
    assert html.status_code == 200
    found = _References()
    found.feed(html.text)
    # The document Swagger UI is given in its script, not in an attribute.
    found.urls += re.findall(r"url: '([^']+)'", html.text)
    assert found.urls and all(u.startswith("/") and not u.startswith("//") for u in found.urls), (
        found.urls
    )
    assert "http" not in html.text.replace("http-equiv", "")
    for url in found.urls:
        got = client.get(url)
        assert got.status_code == 200, url
        expected = CONTENT_TYPES.get(Path(url).suffix, "application/json")
        assert got.headers["content-type"].startswith(expected), (url, got.headers)
