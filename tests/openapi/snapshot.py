"""The services' OpenAPI documents: write the snapshots, or compare against them.

Requests may widen (``accepted``: every request valid before stays valid);
answers may only grow (``grown``: every field and value promised before is
still promised).

    uv run python tests/openapi/snapshot.py write [service ...]

Snapshots are the API as released (``tests/openapi/<service>.json``);
``tests/test_openapi_compat.py`` holds every service to them. Write new ones
only with an API change made on purpose, in the same commit, saying why.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SERVICES = ("intake", "assessment", "referral", "notification", "insight")
DOC_KEYS = {"description", "title", "examples", "example", "summary"}


def document(service: str) -> dict[str, Any]:
    """The service's OpenAPI document, composed in process (no server is contacted)."""
    main = importlib.import_module(f"{service}.main")
    settings = importlib.import_module(f"{service}.settings").Settings()
    _, app = main.compose(settings)
    spec: dict[str, Any] = app.openapi()
    return spec


def snapshot(service: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((HERE / f"{service}.json").read_text(encoding="utf-8"))
    return loaded


def write(service: str) -> None:
    text = json.dumps(document(service), indent=1, sort_keys=True) + "\n"
    (HERE / f"{service}.json").write_text(text, encoding="utf-8")


def resolve(schema: Any, components: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """``schema`` with every $ref inlined and documentation keys dropped."""
    if isinstance(schema, list):
        return [resolve(s, components, seen) for s in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return {"$recursive": name}
        return resolve(components.get(name, {}), components, (*seen, name))
    return {
        key: resolve(value, components, seen)
        for key, value in schema.items()
        if key not in DOC_KEYS or (key == "title" and not isinstance(value, str))
    }


def free_form(schema: Any) -> bool:
    """A schema that said nothing about its content: anything may be said now."""
    if not isinstance(schema, dict):
        return False
    if schema in ({}, {"type": "object"}, {"type": "object", "additionalProperties": True}):
        return True
    return (
        schema.get("type") == "object"
        and "properties" not in schema
        and (schema.get("additionalProperties") in (True, {}))
    )


def grown(old: Any, new: Any, where: str) -> list[str]:
    """Why ``new`` (an answer's schema) does not keep everything ``old`` promised."""
    if free_form(old):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        problems = []
        for key in ("type", "enum", "format", "const"):
            if key in old and old.get(key) != new.get(key):
                problems.append(f"{where}: {key} was {old.get(key)!r}, now {new.get(key)!r}")
        for name, prop in (old.get("properties") or {}).items():
            if name not in (new.get("properties") or {}):
                problems.append(f"{where}.{name}: gone")
            else:
                problems += grown(prop, new["properties"][name], f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(old.get(key), dict):
                problems += grown(old[key], new.get(key), f"{where}.{key}")
        for key in ("anyOf", "oneOf", "allOf"):
            if key in old and len(old[key]) == len(new.get(key) or []):
                for i, (o, n) in enumerate(zip(old[key], new[key], strict=True)):
                    problems += grown(o, n, f"{where}.{key}[{i}]")
            elif key in old and new != old:
                problems.append(f"{where}: {key} changed")
        return problems
    return [] if old == new else [f"{where}: was {old!r}, now {new!r}"]


_LOWER_BOUNDS = ("minLength", "minItems", "minimum", "exclusiveMinimum", "minProperties")
_UPPER_BOUNDS = ("maxLength", "maxItems", "maximum", "exclusiveMaximum", "maxProperties")


def accepted(old: Any, new: Any, where: str) -> list[str]:
    """Why ``new`` (a request's schema) refuses something ``old`` accepted.

    A request may widen: a new optional property, a longer maximum, another
    enum value. It may not narrow: a new required property, a type, a
    pattern or format changed, a bound tightened, a value dropped.
    """
    if old == new or free_form(new):
        return []
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return [f"{where}: was {old!r}, now {new!r}"]
    problems = []
    for key in ("type", "format", "pattern", "const"):
        if old.get(key) != new.get(key):
            problems.append(f"{where}: {key} was {old.get(key)!r}, now {new.get(key)!r}")
    if "enum" in new and not set(old.get("enum", [])) <= set(new["enum"]):
        problems.append(
            f"{where}: enum dropped {sorted(set(old.get('enum', [])) - set(new['enum']))}"
        )
    for key in _LOWER_BOUNDS:
        if key in new and (key not in old or new[key] > old[key]):
            problems.append(f"{where}: {key} tightened to {new[key]}")
    for key in _UPPER_BOUNDS:
        if key in new and (key not in old or new[key] < old[key]):
            problems.append(f"{where}: {key} tightened to {new[key]}")
    added_required = set(new.get("required", [])) - set(old.get("required", []))
    if added_required:
        problems.append(f"{where}: newly required {sorted(added_required)}")
    if (
        old.get("additionalProperties", True) is not False
        and new.get("additionalProperties") is False
    ):
        problems.append(f"{where}: extra properties now refused")
    old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
    for name, prop in old_props.items():
        if name not in new_props:
            if new.get("additionalProperties") is False:
                problems.append(f"{where}.{name}: gone")
        else:
            problems += accepted(prop, new_props[name], f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
            problems += accepted(old[key], new[key], f"{where}.{key}")
    for key in ("anyOf", "oneOf"):
        for i, option in enumerate(old.get(key, [])):
            if not any(not accepted(option, n, "") for n in new.get(key, [])):
                problems.append(f"{where}.{key}[{i}]: no longer accepted")
    return problems


def differences(old_doc: dict[str, Any], new_doc: dict[str, Any]) -> list[str]:
    """What a client of ``old_doc`` would find broken in ``new_doc``."""
    old_parts = old_doc.get("components", {}).get("schemas", {})
    new_parts = new_doc.get("components", {}).get("schemas", {})
    problems: list[str] = []
    for path, operations in old_doc["paths"].items():
        for method, old in operations.items():
            where = f"{method.upper()} {path}"
            new = new_doc["paths"].get(path, {}).get(method)
            if new is None:
                problems.append(f"{where}: gone")
                continue
            old_params = {(p["name"], p["in"]): p for p in old.get("parameters", [])}
            new_params = {(p["name"], p["in"]): p for p in new.get("parameters", [])}
            for key, param in old_params.items():
                if key not in new_params:
                    problems.append(f"{where}: parameter {key} gone")
                    continue
                before = resolve(param, old_parts)
                after = resolve(new_params[key], new_parts)
                if after.get("required") and not before.get("required"):
                    problems.append(f"{where}: parameter {key} is now required")
                problems += accepted(
                    before.get("schema"), after.get("schema"), f"{where}: parameter {key}"
                )
            for key, param in new_params.items():
                if key not in old_params and param.get("required"):
                    problems.append(f"{where}: new required parameter {key}")
            before = resolve(old.get("requestBody"), old_parts)
            after = resolve(new.get("requestBody"), new_parts)
            if (before is None) != (after is None):
                problems.append(f"{where}: request body added or removed")
            elif before is not None:
                if after.get("required") and not before.get("required"):
                    problems.append(f"{where}: request body is now required")
                for media, content in (before.get("content") or {}).items():
                    new_content = (after.get("content") or {}).get(media)
                    if new_content is None:
                        problems.append(f"{where}: request body {media} no longer accepted")
                    else:
                        problems += accepted(
                            content.get("schema"), new_content.get("schema"), f"{where} <- body"
                        )
            for status, answer in old.get("responses", {}).items():
                if status not in new.get("responses", {}):
                    problems.append(f"{where}: answer {status} gone")
                    continue
                for media, content in (answer.get("content") or {}).items():
                    new_content = new["responses"][status].get("content", {}).get(media)
                    if new_content is None:
                        problems.append(f"{where}: answer {status} {media} gone")
                        continue
                    problems += grown(
                        resolve(content.get("schema"), old_parts),
                        resolve(new_content.get("schema"), new_parts),
                        f"{where} -> {status}",
                    )
    return problems


if __name__ == "__main__":
    if sys.argv[1:2] != ["write"]:
        sys.exit(__doc__)
    for name in sys.argv[2:] or SERVICES:
        write(name)
        print(f"wrote tests/openapi/{name}.json")
