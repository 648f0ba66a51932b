"""The error model: which script, which media type, what a problem may say, and the
answers an app gives for invalid input, unknown routes and methods, big bodies."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi import FastAPI, HTTPException, Query
from fastapi.testclient import TestClient
from inson_contracts.codes.names import Language, name
from inson_runtime.body_limit import BodySizeLimit
from inson_runtime.observability.http import install_observability
from inson_runtime.problems import (
    Catalogue,
    FieldCode,
    FieldError,
    ProblemError,
    ProblemType,
    Refusal,
    field_errors,
    install_problem_document,
    install_problems,
    install_refusals,
    negotiate,
    pointer,
)
from inson_runtime.problems.answers import media_type
from inson_runtime.problems.catalogue import checked_params
from inson_runtime.problems.common import COMMON, PYDANTIC_TYPES
from pydantic import BaseModel, Field

LATN, CYRL, RU = Language.UZ_LATN, Language.UZ_CYRL, Language.RU
PINFL = "30101850123456"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, LATN),
        ("", LATN),
        ("uz", LATN),
        ("uz-UZ", LATN),
        ("uz-Latn-UZ", LATN),
        ("UZ-CYRL", CYRL),
        ("uz-Cyrl-UZ", CYRL),
        ("ru", RU),
        ("ru-RU,ru;q=0.9,en-US;q=0.8", RU),
        ("en-US,en;q=0.9", LATN),
        ("*", LATN),
        ("ru;q=0.5, uz-Cyrl;q=0.8", CYRL),
        ("uz-Cyrl;q=0.5, ru;q=0.9", RU),
        ("ru, uz", RU),  # equal weights: the first listed
        ("uz-Cyrl, uz", CYRL),
        ("uz-Latn;q=0, uz", CYRL),  # Latin refused, Uzbek wanted
        ("uz;q=0, *", RU),
        ("uz;q=0, ru;q=0", LATN),  # everything refused: still readable
        ("ru;q=abc, uz-Cyrl", CYRL),  # a malformed weight drops its element
        ("ru;q=1.5, uz-Cyrl;q=0.1", CYRL),
        ("uz-Arab", LATN),
        ("de, fr;q=0.9, ru;q=0.1", RU),
    ],
)
def test_the_script_is_chosen_by_accept_language(header: str | None, expected: Language) -> None:
    assert negotiate(header) is expected


def test_a_huge_accept_language_header_is_read_only_so_far() -> None:
    assert negotiate(",".join(["en"] * 10_000 + ["ru"])) is LATN


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/problem+json"),
        ("*/*", "application/problem+json"),
        ("application/json", "application/json"),
        ("application/json, application/problem+json", "application/problem+json"),
        ("application/json, */*;q=0", "application/json"),
        ("text/html", "application/problem+json"),
    ],
)
def test_the_media_type_is_problem_json_unless_only_json_is_accepted(
    accept: str | None, expected: str
) -> None:
    assert media_type(accept) == expected


def test_a_parameter_is_shown_only_when_it_matches_its_kind() -> None:
    kinds = {"max_bytes": "number", "role": "role", "allowed": "roles"}
    given = {"max_bytes": 65536, "role": "supervisor", "allowed": ["admin", "supervisor"]}
    assert checked_params("x.y", kinds, given) == {
        "max_bytes": "65536",
        "role": "supervisor",
        "allowed": "admin, supervisor",
    }
    # A PINFL, a phone, a name, a sentence: never rendered, whatever slips in.
    for leak in (PINFL, "+998901234567", "901234567", "Karimova Dilnoza", "Dilnoza", "a b"):
        shown = checked_params("x.y", kinds, {"max_bytes": leak, "role": leak, "allowed": leak})
        assert leak not in shown.values()


def test_a_problem_type_declares_every_parameter_its_texts_use() -> None:
    with pytest.raises(ValueError, match="declared"):
        ProblemType(
            "a.b", 409, name("T", "Т", "Т"), name("{n} ta", "{n} та", "{m}"), {"n": "number"}
        )
    with pytest.raises(ValueError, match=r"not <area>\.<what>"):
        ProblemType("Nope", 409, name("T", "Т", "Т"), name("D", "Д", "Д"))
    with pytest.raises(ValueError, match="not an error"):
        ProblemType("a.b", 200, name("T", "Т", "Т"), name("D", "Д", "Д"))
    with pytest.raises(ValueError, match="kind"):
        FieldCode("x", name("{v}", "{v} д", "{v}"), {"v": "text"})


def test_every_common_code_has_its_three_scripts_and_a_field_code_for_every_type() -> None:
    for problem in COMMON.problems.values():
        for text in (problem.title, problem.detail):
            assert text.uz_latn != text.uz_cyrl != text.ru
    assert set(PYDANTIC_TYPES.values()) <= set(COMMON.fields)
    assert COMMON.field_code("no_such_type") == "invalid"


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (("body", "applicant", "pinfl"), "/body/applicant/pinfl"),
        (("body", "household", 0, "name"), "/body/household/0/name"),
        (("body", "a/b", "c~d"), "/body/a~1b/c~0d"),
        (("query", "status"), "/query/status"),
    ],
)
def test_pointers_follow_rfc_6901(loc: tuple[Any, ...], expected: str) -> None:
    assert pointer(*loc) == expected


def test_field_errors_keep_where_and_what_never_the_input() -> None:
    errors = [
        {
            "loc": ("body", "pinfl"),
            "type": "string_too_short",
            "input": PINFL,
            "msg": PINFL,
            "ctx": {"min_length": 14, "pattern": PINFL},
        },
        {"loc": ("body", 17), "type": "json_invalid", "input": {}, "ctx": {"error": "x"}},
        {
            "loc": ("body", "situation"),
            "type": "unknown_fields",
            "ctx": {"fields": ["members.0.$where", "x"]},
        },
        {"loc": ("valid_until",), "type": "value_error", "input": {"pinfl": PINFL}},
        {"loc": ("decided_by", "id"), "type": "value_error", "input": "sup-1"},
        {"loc": (), "type": "value_error", "msg": f"pinfl {PINFL}"},
    ]
    found = field_errors(errors, COMMON, body_fields=frozenset({"valid_until"}))
    assert found == [
        FieldError("/body/pinfl", "too_short", {"min_length": 14}),
        FieldError("/body", "invalid_json"),
        FieldError("/body/situation/members/0/$where", "unknown_field"),
        FieldError("/body/situation/x", "unknown_field"),
        FieldError("/body/valid_until", "invalid"),  # an event field the body has
        FieldError("/body", "invalid"),  # an internal field is never named
        FieldError("/body", "invalid"),
    ]
    assert PINFL not in repr(found)


class Refused(Exception):
    pass


NOT_NOW = ProblemType(
    "thing.not_now",
    409,
    name("Hozir emas", "Ҳозир эмас", "Не сейчас"),
    name("Holati: state maydonida", "Ҳолати: state майдонида", "Состояние — в поле state"),
)
GONE = ProblemType(
    "thing.gone",
    404,
    name("Yoʻq", "Йўқ", "Нет"),
    name("Bunday narsa yoʻq", "Бундай нарса йўқ", "Такого нет"),
)
SERVICE = Catalogue.of(
    [NOT_NOW, GONE], [FieldCode("thing_format", name("Notoʻgʻri", "Нотўғри", "Неверно"))]
)


class ThingIn(BaseModel):
    pinfl: str = Field(pattern=r"^[0-9]{14}$")
    count: int = Field(ge=1, le=5)


def app_with_routes(max_bytes: int = 1024) -> FastAPI:
    app = FastAPI()

    @app.post("/things")
    async def create(thing: ThingIn) -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/things")
    async def things(status: Annotated[str | None, Query(pattern="^(a|b)$")] = None) -> list[str]:
        return []

    @app.delete("/things/{thing_id}")
    async def delete(thing_id: str) -> None:
        raise Refused(f"thing {thing_id} is not deletable now")

    @app.get("/things/{thing_id}")
    async def one(thing_id: str) -> None:
        raise ProblemError(GONE)

    install_problems(app)
    install_refusals(
        app, SERVICE, [Refusal(Refused, NOT_NOW, extensions=lambda exc: {"state": "locked"})]
    )
    install_problem_document(app)
    app.add_middleware(BodySizeLimit, max_bytes=max_bytes)
    return app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app_with_routes(), raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("language", "title"),
    [("uz-Latn", "Hozir emas"), ("uz-Cyrl", "Ҳозир эмас"), ("ru", "Не сейчас")],
)
def test_a_refusal_is_a_problem_in_the_script_asked_for(
    client: TestClient, language: str, title: str
) -> None:
    response = client.delete("/things/t-1", headers={"Accept-Language": language})
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-language"] == language
    assert "Accept-Language" in response.headers["vary"]
    problem = response.json()
    assert problem["type"] == "urn:inson:problem:thing.not_now"
    assert problem["code"] == "thing.not_now" and problem["status"] == 409
    assert problem["title"] == title and isinstance(problem["detail"], str)
    assert problem["state"] == "locked"
    assert "instance" not in problem  # no correlation id without the observability middleware


def test_invalid_input_lists_each_field_without_the_values(client: TestClient) -> None:
    response = client.post(
        "/things", json={"pinfl": "3010185012345X", "count": 9, "name": "Dilnoza"}
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "request.invalid"
    assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [
        ("/body/pinfl", "pattern_mismatch"),
        ("/body/count", "too_large"),
    ]
    assert problem["errors"][1]["detail"] == "Koʻpi bilan 5 boʻlishi mumkin"
    assert "3010185012345X" not in response.text and "Dilnoza" not in response.text


def test_an_unknown_filter_value_is_422(client: TestClient) -> None:
    response = client.get("/things", params={"status": "bogus"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/query/status"


def test_options_and_405_name_every_method_of_the_path(client: TestClient) -> None:
    options = client.options("/things/t-1")
    assert options.status_code == 204
    assert options.headers["allow"] == "DELETE, GET, OPTIONS"
    refused = client.put("/things", headers={"Accept-Language": "ru"})
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, OPTIONS, POST"
    assert refused.json()["code"] == "request.method_not_allowed"
    assert refused.headers["content-language"] == "ru"


def test_an_unknown_route_is_a_problem(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["code"] == "request.not_found"


def test_a_problem_raised_anywhere_is_answered(client: TestClient) -> None:
    response = client.get("/things/t-1", headers={"Accept-Language": "uz-Cyrl"})
    assert response.status_code == 404
    assert response.json()["title"] == "Йўқ"


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_body_is_413_with_or_without_content_length(
    client: TestClient, chunked: bool
) -> None:
    body = b'{"pinfl": "' + b"1" * 4096 + b'"}'

    def chunks() -> Any:
        for start in range(0, len(body), 512):
            yield body[start : start + 512]

    response = client.post(
        "/things",
        content=chunks() if chunked else body,
        headers={"content-type": "application/json", "Accept-Language": "uz-Cyrl"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request.body_too_large"
    assert response.json()["detail"] == "Сўров танаси 1024 байтдан ошмаслиги керак"


def test_a_chunked_body_within_the_limit_reaches_the_route(client: TestClient) -> None:
    def chunks() -> Any:
        yield b'{"pinfl": "3010185'
        yield b'0123456", "count": 2}'

    response = client.post(
        "/things", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text


def test_a_refusal_class_needs_an_answer_for_any_message() -> None:
    app = FastAPI()
    install_problems(app)
    with pytest.raises(ValueError, match="no refusal for messages"):
        install_refusals(app, SERVICE, [Refusal(Refused, NOT_NOW, matches="x")])
    other = ProblemType("other.code", 409, NOT_NOW.title, NOT_NOW.detail)
    with pytest.raises(ValueError, match="not in the service's catalogue"):
        install_refusals(app, SERVICE, [Refusal(Refused, other)])


def test_the_document_publishes_every_error_as_a_problem() -> None:
    document = app_with_routes().openapi()
    for operations in document["paths"].values():
        for operation in operations.values():
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert set(answer["content"]) == {
                        "application/problem+json",
                        "application/json",
                    }
                    schema = answer["content"]["application/problem+json"]["schema"]
                    expected = "ValidationProblem" if status == "422" else "Problem"
                    assert schema["$ref"].endswith(f"/{expected}")
                    assert "Content-Language" in answer["headers"]
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert set(schemas["Problem"]["required"]) == {"type", "title", "status", "detail", "code"}
    assert "errors" in schemas["ValidationProblem"]["required"]


def test_an_http_error_of_no_known_kind_is_still_a_problem() -> None:
    app = FastAPI()
    install_problems(app)

    @app.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(418, "I'm a teapot")

    response = TestClient(app).get("/teapot")
    assert response.status_code == 418
    assert response.json()["code"] == "request.refused" and response.json()["status"] == 418
    assert "teapot" not in response.text


def test_instance_names_the_request_by_its_correlation_id() -> None:
    app = FastAPI()
    install_problems(app)

    @app.get("/gone")
    async def gone() -> None:
        raise ProblemError(GONE)

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("internal")

    install_observability(app, "problems-test")
    client = TestClient(app, raise_server_exceptions=False)
    for path in ("/gone", "/broken"):
        response = client.get(path, headers={"X-Correlation-ID": "req-42"})
        assert response.json()["instance"] == "urn:inson:request:req-42", path
        assert response.headers["x-correlation-id"] == "req-42"
