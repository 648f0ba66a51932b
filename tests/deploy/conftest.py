"""Fixtures for the deployment tests: deploy/tools loaded as modules, the
overlays rendered once per session.

Rendering needs kustomize and the operators' CRDs in .local/ (`make
k8s-tools`, which `make test` runs first). Without them the tests that
render are skipped with that hint on a developer's machine, and fail in CI,
where a missing tool is a broken setup, not a pass.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "deploy" / "tools"


def load_tool(name: str) -> ModuleType:
    module_name = f"inson_deploy_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, TOOLS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def validate_tool() -> ModuleType:
    return load_tool("validate")


@pytest.fixture(scope="session")
def _tools(validate_tool: ModuleType) -> None:
    try:
        validate_tool.require_tools()
    except validate_tool.ToolsMissing as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def rendered(_tools: None, validate_tool: ModuleType) -> dict[str, list[dict[str, Any]]]:
    return {name: validate_tool.render(path) for name, path in validate_tool.TARGETS.items()}


@pytest.fixture(scope="session")
def crds(_tools: None, validate_tool: ModuleType) -> Any:
    return validate_tool.CrdSchemas.load()
