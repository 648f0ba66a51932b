"""Render the kustomizations and validate every resource against its schema.

- Kubernetes' own kinds: the OpenAPI schemas of Kubernetes ``K8S_VERSION``
  bundled in kubernetes-validate (PyPI), strict (unknown fields are errors).
- Custom resources: the ``openAPIV3Schema`` of the served version in the
  operators' own CRDs, fetched into .local/deploy/crds by
  deploy/tools/fetch-tools.sh (Strimzi, KEDA, prometheus-operator, the MongoDB
  operator, cert-manager). Validated with jsonschema the way the API server
  prunes and checks: unknown fields are errors unless the schema preserves
  them, ``nullable`` admits null, int-or-string admits both. The custom
  resource's metadata is checked against Kubernetes' ObjectMeta.

Used by ``make k8s`` (``python deploy/tools/validate.py``) and by tests/deploy.
The rendered YAML is written to .local/deploy/rendered/<target>.yaml.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
LOCAL = ROOT / ".local"
KUSTOMIZE = LOCAL / "tools" / "bin" / "kustomize"
CRD_DIR = LOCAL / "deploy" / "crds"
RENDERED = LOCAL / "deploy" / "rendered"

# A recent release that the operators support (Strimzi 0.50 needs 1.27+, the
# services' preStop sleep action is on by default from 1.30).
K8S_VERSION = "1.34"

# What `make k8s` renders: the overlays an operator applies, the base they
# share, and the projection-rebuild Job.
TARGETS: dict[str, Path] = {
    "base": K8S / "base",
    "dev": K8S / "overlays" / "dev",
    "prod": K8S / "overlays" / "prod",
    "rebuild-job": K8S / "jobs" / "rebuild",
}

Resource = dict[str, Any]


class ToolsMissing(RuntimeError):
    pass


def require_tools() -> None:
    missing = [str(p.relative_to(ROOT)) for p in (KUSTOMIZE, CRD_DIR) if not p.exists()]
    if missing:
        raise ToolsMissing(
            f"{', '.join(missing)} missing: run `make k8s-tools` (deploy/tools/fetch-tools.sh)"
        )


def render(target: Path) -> list[Resource]:
    require_tools()
    result = subprocess.run(  # noqa: S603 - our own binary and paths
        [str(KUSTOMIZE), "build", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"kustomize build {target.relative_to(ROOT)}:\n{result.stderr}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def describe(resource: Resource) -> str:
    return f"{resource.get('kind')}/{resource.get('metadata', {}).get('name')}"


# --------------------------------------------------------------------------- CRD schemas


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml where available (the CRDs are megabytes); ``=`` is a string, as in YAML 1.2."""


_Loader.add_constructor("tag:yaml.org,2002:value", yaml.SafeLoader.construct_yaml_str)


def _structural(schema: Any) -> Any:
    """An OpenAPI v3 structural schema as JSON Schema with the API server's strictness."""
    if isinstance(schema, list):
        return [_structural(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _structural(value) for key, value in schema.items()}
    if out.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    if out.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if (
        out.get("type") == "object"
        and "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        # Fields the schema does not name would be pruned (or refused with
        # kubectl's strict field validation): a typo must not pass.
        out["additionalProperties"] = False
    return out


@dataclass
class CrdSchemas:
    by_kind: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # group -> folder

    @classmethod
    def load(cls, folder: Path = CRD_DIR) -> CrdSchemas:
        require_tools()
        schemas = cls()
        for path in sorted(folder.rglob("*.yaml")):
            for crd in yaml.load_all(path.read_text("utf-8"), Loader=_Loader):
                if not crd or crd.get("kind") != "CustomResourceDefinition":
                    continue
                group = crd["spec"]["group"]
                kind = crd["spec"]["names"]["kind"]
                schemas.sources[group] = path.parent.name
                for version in crd["spec"]["versions"]:
                    if not version.get("served", True):
                        continue
                    raw = version["schema"]["openAPIV3Schema"]
                    schema = _structural(copy.deepcopy(raw))
                    # apiVersion, kind and metadata are the API server's.
                    schema.setdefault("properties", {})
                    schema["properties"].pop("metadata", None)
                    schema["properties"]["metadata"] = {"type": "object"}
                    schemas.by_kind[(group, version["name"], kind)] = schema
        return schemas

    def schema_for(self, resource: Resource) -> dict[str, Any] | None:
        group, _, version = resource["apiVersion"].rpartition("/")
        return self.by_kind.get((group, version, resource["kind"]))

    def groups(self) -> set[str]:
        return {group for group, _, _ in self.by_kind}


# --------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class Finding:
    resource: str
    schema: str  # what it was checked against
    error: str | None  # None: valid


def _path(error: jsonschema.ValidationError) -> str:
    return ".".join(str(p) for p in error.absolute_path) or "(root)"


def _validate_core(resource: Resource) -> str | None:
    try:
        kubernetes_validate.validate(resource, K8S_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        return f"{_path(exc)}: {exc.message}"
    except kubernetes_validate.SchemaNotFoundError as exc:
        return str(exc.message)
    return None


def _validate_custom(resource: Resource, schema: dict[str, Any]) -> str | None:
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(resource), key=lambda e: list(e.absolute_path))
    if errors:
        return "; ".join(f"{_path(e)}: {e.message}" for e in errors[:5])
    # The metadata of a custom resource is a Kubernetes ObjectMeta.
    probe = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": resource.get("metadata", {})}
    return _validate_core(probe)


def validate(resources: list[Resource], crds: CrdSchemas) -> Iterator[Finding]:
    custom_groups = crds.groups()
    for resource in resources:
        group = resource["apiVersion"].rpartition("/")[0]
        if group in custom_groups or ("." in group and not group.endswith(".k8s.io")):
            schema = crds.schema_for(resource)
            if schema is None:
                yield Finding(describe(resource), "CRD", f"no CRD serves {resource['apiVersion']}")
                continue
            source = f"CRD ({crds.sources.get(group, '?')})"
            yield Finding(describe(resource), source, _validate_custom(resource, schema))
        else:
            yield Finding(describe(resource), f"Kubernetes {K8S_VERSION}", _validate_core(resource))


def main() -> int:
    try:
        crds = CrdSchemas.load()
    except ToolsMissing as exc:
        print(exc, file=sys.stderr)
        return 2
    RENDERED.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name, target in TARGETS.items():
        resources = render(target)
        (RENDERED / f"{name}.yaml").write_text(
            yaml.safe_dump_all(resources, sort_keys=False), "utf-8"
        )
        findings = list(validate(resources, crds))
        errors = [f for f in findings if f.error]
        counts: dict[str, int] = {}
        for finding in findings:
            counts[finding.schema] = counts.get(finding.schema, 0) + 1
        summary = ", ".join(f"{n} against {schema}" for schema, n in sorted(counts.items()))
        print(f"{name}: {len(resources)} resources, {len(errors)} invalid ({summary})")
        for finding in errors:
            print(f"  {finding.resource} [{finding.schema}]: {finding.error}")
        failed += len(errors)
    print(f"rendered into {RENDERED.relative_to(ROOT)}/")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
