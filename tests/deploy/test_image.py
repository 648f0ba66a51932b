"""The container recipe, checked by its structure: Docker cannot run here and
no Dockerfile linter comes from the package registries this project uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse(path: Path) -> tuple[dict[str, str], list[Stage]]:
    logical: list[str] = []
    pending = ""
    for raw in path.read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name.strip()] = default.strip()
        elif keyword == "FROM":
            words = rest.split()
            base = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), words[0])
            name = words[2] if len(words) > 2 and words[1].upper() == "AS" else None
            stages.append(Stage(base=base, name=name))
        else:
            stages[-1].instructions.append((keyword, rest.strip()))
    return args, stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse(ROOT / "Dockerfile")[1]


def test_multi_stage_on_a_pinned_slim_python_311(stages: list[Stage]) -> None:
    assert len(stages) >= 2
    for stage in stages:
        image, _, tag = stage.base.partition(":")
        assert image == "python", stage.base
        assert tag.startswith("3.11") and "slim" in tag, stage.base
        assert tag != "latest" and "latest" not in tag


def test_dependencies_come_from_the_lock_file(stages: list[Stage]) -> None:
    build = stages[0]
    copies = " ".join(build.all("COPY"))
    assert "uv.lock" in copies
    syncs = [r for r in build.all("RUN") if "uv sync" in r]
    assert syncs, "no uv sync in the build stage"
    for run in syncs:
        assert "--frozen" in run and "--no-dev" in run
        assert "--all-packages" in run or "--package inson-" in run
    # Every workspace member's pyproject reaches the dependency layer.
    for pyproject in sorted(ROOT.glob("services/*/pyproject.toml")):
        member = pyproject.parent.relative_to(ROOT).as_posix()
        assert f"{member}/pyproject.toml" in copies, f"{member} is not in the image"


def test_the_runtime_stage_runs_as_uid_10001_without_build_tools(stages: list[Stage]) -> None:
    final = stages[-1]
    users = final.all("USER")
    assert users and users[-1].split(":")[0] == "10001"
    assert any("--uid 10001" in r for r in final.all("RUN"))
    text = " ".join(args for _, args in final.instructions)
    for tool in ("uv ", "pip install", "apt-get install", "gcc", "build-essential"):
        assert tool not in text, f"{tool.strip()} in the runtime stage"
    assert any(c.startswith("--from=") for c in final.all("COPY"))
    assert "HEALTHCHECK" not in {kw for kw, _ in final.instructions}


def test_the_runtime_stage_writes_only_to_tmp(stages: list[Stage]) -> None:
    env = " ".join(stages[-1].all("ENV"))
    assert "PYTHONDONTWRITEBYTECODE=1" in env
    assert "HOME=/tmp" in env and "TMPDIR=/tmp" in env
    # Bytecode is compiled at build time, since the image cannot write it later.
    assert "UV_COMPILE_BYTECODE=1" in " ".join(stages[0].all("ENV"))
    assert "INSON_HTTP_HOST=0.0.0.0" in env


def test_the_build_context_is_an_allowlist() -> None:
    lines = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*"
    allowed = [line[1:] for line in lines if line.startswith("!")]
    assert "uv.lock" in allowed
    for secret_prone in (".local", ".venv", ".git", "deploy"):
        assert not any(a.startswith(secret_prone) for a in allowed)


def test_the_manifests_run_the_entry_points_the_packages_declare() -> None:
    import tomllib

    for pyproject in sorted(ROOT.glob("services/*/pyproject.toml")):
        service = pyproject.parent.name
        scripts = tomllib.loads(pyproject.read_text("utf-8"))["project"]["scripts"]
        assert f"inson-{service}" in scripts
