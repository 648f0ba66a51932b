"""The JSON Schema of every event's data, and the gate that keeps a version compatible.

One file per type, ``jsonschema/<type>.json``, ships inside the package so a
partner can validate without Python classes (``load_schema``). The files are
generated from the classes and committed; ``python -m inson_contracts check``
fails when they drift, and ``generate`` refuses to overwrite a committed schema
with one that ``compatibility_problems`` calls breaking.
"""

from __future__ import annotations

import inspect
import json
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

# Importing the events package fills REGISTRY with every published type.
from inson_contracts.events import PERSONAL_DATA, REGISTRY, Event, EventRegistry
from inson_contracts.personal import SEALED, SealedPersonalData, personal_paths

Schema = dict[str, Any]
DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = Path(__file__).parent / "jsonschema"

# Keywords that bound a value. Within a major version they are frozen in both
# directions: tightening one makes old events unreadable, loosening one sends
# values that readers on an older release of this package reject.
_VALUE_KEYWORDS = (
    "format",
    "pattern",
    "const",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
)


def data_schema(cls: type[Event]) -> Schema:
    """The JSON Schema of ``cls``'s data, identified by its ``dataschema()`` URN."""
    # mode="validation" describes what ``REGISTRY.parse`` accepts, which is the
    # promise the gate protects: every event ever written (topics keep them
    # forever) must stay readable. In it a field with a default is optional, so
    # a new field with a default is the additive change it should be; in
    # serialization mode it would count as a new required property.
    schema = cls.model_json_schema(mode="validation")
    schema["$schema"] = DIALECT
    schema["$id"] = cls.dataschema()
    schema["title"] = cls.__name__
    schema["description"] = description(cls)
    return schema


def wire_schema(cls: type[Event]) -> Schema:
    """The JSON Schema of ``cls``'s record body on Kafka and in the event store.

    The platform seals personal data (crypto-shredding, see
    ``inson_contracts.personal``): every property marked ``x-personal-data``
    is absent from the body and travels encrypted in ``sealed``. The data
    schema (``data_schema``) describes the event once opened with its key;
    this one describes the bytes a partner reads from a topic. A type without
    personal data travels as its data schema says.
    """
    schema = data_schema(cls)
    if not personal_paths(cls):
        return schema
    for node in (schema, *schema.get("$defs", {}).values()):
        properties = node.get("properties", {})
        sealed = [n for n, p in properties.items() if p.get(PERSONAL_DATA) is True]
        for name in sealed:
            del properties[name]
        required = [n for n in node.get("required", ()) if n not in sealed]
        if required:
            node["required"] = required
        else:
            node.pop("required", None)
    schema["properties"][SEALED] = SealedPersonalData.model_json_schema()
    schema["required"] = [*schema.get("required", ()), SEALED]
    schema["$id"] = f"{cls.dataschema()}:wire"
    schema["title"] = f"{cls.__name__} (wire form, personal data sealed)"
    return schema


def description(cls: type[Event]) -> str:
    """The class's docstring; for a class without one, its name in words and its type."""
    if cls.__doc__:
        return inspect.cleandoc(cls.__doc__)
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls.__name__)
    return f"{words[0]}{words[1:].lower()} ({cls.TYPE})."


def render(schema: Schema) -> str:
    """Stable text, so a schema change reads as a small diff in review."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generated_schemas(registry: EventRegistry = REGISTRY) -> dict[str, Schema]:
    return {cls.TYPE: data_schema(cls) for cls in registry.classes()}


def load_schema(event_type: str) -> Schema:
    """The published schema of ``event_type``, as shipped in this package."""
    resource = files("inson_contracts").joinpath("jsonschema", f"{event_type}.json")
    loaded: Schema = json.loads(resource.read_text(encoding="utf-8"))
    return loaded


@dataclass
class SchemaPlan:
    """What ``generate`` would do to a schema directory, and what it must refuse."""

    writes: dict[str, str] = field(default_factory=dict)  # type -> new text
    refused: dict[str, list[str]] = field(default_factory=dict)  # type -> problems
    orphans: list[str] = field(default_factory=list)  # committed, but no class

    @property
    def blocked(self) -> bool:
        return bool(self.refused or self.orphans)


def plan(registry: EventRegistry = REGISTRY, directory: Path = SCHEMA_DIR) -> SchemaPlan:
    result = SchemaPlan()
    generated = generated_schemas(registry)
    for event_type, schema in generated.items():
        path = directory / f"{event_type}.json"
        text = render(schema)
        if not path.exists():
            result.writes[event_type] = text
            continue
        committed = path.read_text(encoding="utf-8")
        if committed == text:
            continue
        try:
            problems = compatibility_problems(json.loads(committed), schema)
        except json.JSONDecodeError as exc:
            problems = [f"the committed file is not JSON ({exc}); restore it from git"]
        if problems:
            result.refused[event_type] = problems
        else:
            result.writes[event_type] = text
    for path in sorted(directory.glob("*.json")):
        event_type = path.name.removesuffix(".json")
        # An old version read through an upcaster keeps its frozen schema:
        # its events are still on the topics.
        if event_type not in generated and event_type not in registry:
            result.orphans.append(event_type)
    return result


def compatibility_problems(old_schema: Schema, new_schema: Schema) -> list[str]:
    """Why data valid for ``old_schema`` and ``new_schema`` can't be one event version.

    Breaking: a removed (or renamed) property, a property that became required
    or a new required one, a changed type, format, pattern, bound or default,
    an enum value or union alternative removed *or added*, fewer additional
    properties allowed, and a personal-data mark removed (the field would leak
    into logs). What passes: a new optional property, a default for a required
    property (producers still send every field), and documentation (titles,
    descriptions, examples).

    Enum additions are breaking on purpose: a reader cannot ignore an unknown
    value the way it ignores an unknown field, since the event's meaning is in
    that value, and readers on an older release of this package reject it
    outright (so it would be dead-lettered). A new value is a new major version.
    """
    problems: list[str] = []
    _Comparison(old_schema, new_schema, problems).node(old_schema, new_schema, "data", ())
    return problems


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    names = {str: "string", float: "number", list: "array", dict: "object"}
    return names.get(type(value), "any")


def _kinds(branch: Schema) -> set[str]:
    declared = branch.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return set(declared)
    if "const" in branch:
        return {_json_type(branch["const"])}
    if "enum" in branch:
        return {_json_type(v) for v in branch["enum"]}
    return {"object"} if "properties" in branch else {"any"}


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class _Comparison:
    def __init__(self, old_root: Schema, new_root: Schema, problems: list[str]) -> None:
        self.roots = (old_root, new_root)
        self.problems = problems

    def _resolve(self, root: Schema, node: Schema) -> tuple[Schema, str | None]:
        ref = None
        while "$ref" in node or len(node.get("allOf", ())) == 1:
            if "allOf" in node:
                siblings = {k: v for k, v in node.items() if k != "allOf"}
                node = {**node["allOf"][0], **siblings}
                continue
            ref = str(node["$ref"])
            target: Any = root
            for part in ref.removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            # Annotations beside a $ref (a personal-data mark, a description)
            # belong to the property, so they win over the target's.
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node, ref

    def _branches(self, root: Schema, node: Schema) -> list[Schema]:
        alternatives = node.get("anyOf") or node.get("oneOf")
        if not alternatives:
            return [node]
        out: list[Schema] = []
        for alternative in alternatives:
            out.extend(self._branches(root, self._resolve(root, alternative)[0]))
        return out

    def node(self, old: Schema, new: Schema, path: str, seen: tuple[Any, ...]) -> None:
        old, old_ref = self._resolve(self.roots[0], old)
        new, new_ref = self._resolve(self.roots[1], new)
        if old_ref is not None and (old_ref, new_ref) in seen:
            return  # a recursive model: this pair is being compared further up
        seen = (*seen, (old_ref, new_ref))
        if old.get(PERSONAL_DATA) is True and new.get(PERSONAL_DATA) is not True:
            self.problems.append(f"{path}: personal-data mark removed (it would leak)")
        if "default" in old and "default" in new and old["default"] != new["default"]:
            self.problems.append(
                f"{path}: default changed from {_text(old['default'])} to "
                f"{_text(new['default'])} (old events without it would read differently)"
            )
        old_branches = self._branches(self.roots[0], old)
        new_branches = self._branches(self.roots[1], new)
        old_kinds = set().union(*(_kinds(b) for b in old_branches))
        new_kinds = set().union(*(_kinds(b) for b in new_branches))
        if old_kinds != new_kinds:
            before, after = "|".join(sorted(old_kinds)), "|".join(sorted(new_kinds))
            self.problems.append(f"{path}: type changed from {before} to {after}")
        for kind in sorted(old_kinds & new_kinds):
            old_of, new_of = _of(old_branches, kind), _of(new_branches, kind)
            if len(old_of) == len(new_of) == 1:
                # One shape on each side: a renamed nested class is still that shape.
                self.branch(old_of[0], new_of[0], path, seen)
                continue
            olds = {self._key(b, i): b for i, b in enumerate(old_of)}
            news = {self._key(b, i): b for i, b in enumerate(new_of)}
            for key in sorted(olds.keys() - news.keys()):
                self.problems.append(f"{path}: {kind} alternative {key} removed")
            for key in sorted(news.keys() - olds.keys()):
                self.problems.append(f"{path}: {kind} alternative {key} added")
            for key in sorted(olds.keys() & news.keys()):
                self.branch(olds[key], news[key], path, seen)

    @staticmethod
    def _key(branch: Schema, index: int) -> str:
        return repr(branch["title"]) if "title" in branch else f"#{index + 1}"

    def branch(self, old: Schema, new: Schema, path: str, seen: tuple[Any, ...]) -> None:
        for keyword in _VALUE_KEYWORDS:
            if old.get(keyword) != new.get(keyword):
                before = _text(old[keyword]) if keyword in old else "none"
                after = _text(new[keyword]) if keyword in new else "none"
                self.problems.append(f"{path}: {keyword} changed from {before} to {after}")
        self._enum(old, new, path)
        self._object(old, new, path, seen)
        if isinstance(old.get("items"), dict) and isinstance(new.get("items"), dict):
            self.node(old["items"], new["items"], f"{path}[]", seen)
        old_prefix, new_prefix = old.get("prefixItems", []), new.get("prefixItems", [])
        if len(old_prefix) != len(new_prefix):
            self.problems.append(f"{path}: tuple length changed")
        for i, (o, n) in enumerate(zip(old_prefix, new_prefix, strict=False)):
            self.node(o, n, f"{path}[{i}]", seen)

    def _enum(self, old: Schema, new: Schema, path: str) -> None:
        if "enum" not in old and "enum" not in new:
            return
        if "enum" not in new:
            self.problems.append(f"{path}: no longer an enum (any value may come)")
            return
        if "enum" not in old:
            self.problems.append(f"{path}: values now restricted to an enum")
            return
        old_values = {_text(v) for v in old["enum"]}
        new_values = {_text(v) for v in new["enum"]}
        if old_values - new_values:
            removed = ", ".join(sorted(old_values - new_values))
            self.problems.append(f"{path}: enum values removed: {removed}")
        if new_values - old_values:
            added = ", ".join(sorted(new_values - old_values))
            self.problems.append(f"{path}: enum values added: {added} (breaks exhaustive readers)")

    def _object(self, old: Schema, new: Schema, path: str, seen: tuple[Any, ...]) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        for name in sorted(old_props):
            if name not in new_props:
                self.problems.append(f"{path}: property {name!r} removed (or renamed)")
            else:
                self.node(old_props[name], new_props[name], f"{path}.{name}", seen)
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        for name in sorted(new_required - old_required):
            what = "became required" if name in old_props else "is new and required"
            self.problems.append(f"{path}: property {name!r} {what}")
        old_extra = old.get("additionalProperties", True)
        new_extra = new.get("additionalProperties", True)
        if isinstance(old_extra, dict) and isinstance(new_extra, dict):
            self.node(old_extra, new_extra, f"{path}{{}}", seen)
        elif old_extra != new_extra and old_extra is not False:
            self.problems.append(f"{path}: additional properties changed")


def _of(branches: list[Schema], kind: str) -> list[Schema]:
    return [b for b in branches if kind in _kinds(b)]
