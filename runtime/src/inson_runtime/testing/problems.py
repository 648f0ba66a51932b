"""Test helpers for a service's problems: every refusal it raises, and how it is answered.

``raised`` reads a service's source and lists each ``raise Kind("...")`` of
the given exception classes with its message (an f-string's fields as
``x``), so a test can check that each one has a code of its own rather than
its class's general one: a refusal added later without a code fails a test,
not a client. ``answered_in_each_script`` asks an app for one refusal in the
three scripts.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from inson_runtime.problems import ProblemType, Refusal

SCRIPTS = ("uz-Latn", "uz-Cyrl", "ru")


@dataclass(frozen=True)
class Raised:
    where: str  # file:line
    kind: str  # the exception class's name
    message: str


def _text(node: ast.expr, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [_text(v, constants) if isinstance(v, ast.Constant) else "x" for v in node.values]
        return "".join(p or "" for p in parts)
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def raised(package: Path, kinds: Sequence[str]) -> Iterator[Raised]:
    """Every ``raise K(<text>, ...)`` in ``package`` for K in ``kinds``."""
    for source in sorted(package.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            call = node.exc
            name = getattr(call.func, "id", getattr(call.func, "attr", ""))
            if isinstance(name, str) and name in kinds and call.args:
                text = _text(call.args[0], constants)
                if text is not None:
                    yield Raised(f"{source.name}:{node.lineno}", name, text)


def answering(refusals: Sequence[Refusal], exc: Exception) -> Refusal | None:
    """The refusal that answers ``exc`` (the first that applies), if any."""
    return next((r for r in refusals if r.applies(exc)), None)


def specific(refusal: Refusal | None) -> bool:
    """Whether ``refusal`` is one refusal's own, not its class's answer for any message."""
    return refusal is not None and (refusal.matches is not None or refusal.test is not None)


def raising_client(app: FastAPI) -> tuple[TestClient, Callable[[Exception], None]]:
    """A client of ``app`` with one more route, ``GET /_test/refusal``, that raises
    whatever exception was last handed to the returned setter."""
    pending: list[Exception] = []

    async def refuse() -> None:
        raise pending[-1]

    app.add_api_route("/_test/refusal", refuse, methods=["GET"], include_in_schema=False)
    return TestClient(app, raise_server_exceptions=False), pending.append


def answered_in_each_script(
    client: TestClient, problem: ProblemType
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The problem the refusal route answers, once per script, checked to be ``problem``
    in that script; yields each script's body for further checks."""
    for script in SCRIPTS:
        response = client.get("/_test/refusal", headers={"Accept-Language": script})
        assert response.status_code == problem.status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["content-language"] == script
        body: dict[str, Any] = response.json()
        assert body["code"] == problem.code and body["type"] == problem.type_uri
        assert body["status"] == problem.status
        assert body["title"] == problem.title.in_language(script)
        assert isinstance(body["detail"], str) and body["detail"]
        yield script, body
