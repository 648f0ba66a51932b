"""Example values built from a JSON Schema, deterministically, for documentation.

The AsyncAPI document shows one example record per event type; partners copy
them into tests, so every example must validate against its class (a test
checks). A field's own ``examples`` win; otherwise a value is spelled out from
the schema: formats, simple patterns, enums, bounds.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from typing import Any

from inson_contracts.envelope import JSON, SPEC_VERSION
from inson_contracts.events.base import Event
from inson_contracts.schemas import Schema

EXAMPLE_TIME = "2026-11-23T09:30:00Z"

# So a 14-digit PINFL reads 30101850123456: a man born on 01.01.1985, which is
# the birth date the examples give.
_DIGITS = "3010185012345678901234567890"
BIRTH_DATE = "1985-01-01"
_FORMATS = {
    "time": "09:30:00",
    "duration": "P1D",
    "uuid": "019ab0c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
    "email": "fuqaro@example.uz",
    "uri": "https://example.uz/",
    "hostname": "example.uz",
    "ipv4": "192.0.2.1",
}


def example(schema: Schema) -> Any:
    """A value valid for ``schema``: its ``examples`` first, else one built from it."""
    return _Builder(schema).value(schema, "value", 0)


class _Builder:
    def __init__(self, root: Schema) -> None:
        self.root = root
        # Each date or time a day later than the one before, in field order, so
        # checks like "valid_until after valid_from" hold in the examples.
        self.moments = 0

    def value(self, node: Schema, name: str, depth: int) -> Any:
        while "$ref" in node:
            target: Any = self.root
            for part in str(node["$ref"]).removeprefix("#/").split("/"):
                target = target[part]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        if node.get("examples"):
            return node["examples"][0]
        if "const" in node:
            return node["const"]
        if node.get("enum"):
            return node["enum"][0]
        for key in ("anyOf", "oneOf", "allOf"):
            if node.get(key):
                options = [o for o in node[key] if o.get("type") != "null"] or node[key]
                return self.value(options[0], name, depth)
        kind = node.get("type")
        kind = next((k for k in kind if k != "null"), "null") if isinstance(kind, list) else kind
        if node.get("default") is not None and kind not in ("object", "array"):
            return node["default"]
        if kind == "object" or "properties" in node:
            return self.object(node, name, depth)
        if kind == "array":
            if node.get("prefixItems"):
                return [self.value(item, name, depth + 1) for item in node["prefixItems"]]
            count = max(node.get("minItems", 1), 1) if node.get("maxItems", 1) else 0
            return [self.value(node.get("items", {}), name, depth + 1)] * count
        if kind in ("integer", "number"):
            low = node.get("minimum", node.get("exclusiveMinimum", 0) + 1)
            number = min(max(low, 1), node.get("maximum", max(low, 1)))
            return int(number) if kind == "integer" else float(number)
        if kind == "boolean":
            return True
        return self.string(node, name) if kind == "string" else None

    def object(self, node: Schema, name: str, depth: int) -> dict[str, Any]:
        required = set(node.get("required", ()))
        out = {
            prop: self.value(sub, prop, depth + 1)
            for prop, sub in node.get("properties", {}).items()
            if prop in required or depth < 6  # recursive models stop growing
        }
        if not out and isinstance(node.get("additionalProperties"), dict):
            out["key"] = self.value(node["additionalProperties"], name, depth + 1)
        return out

    def moment(self, form: str, name: str) -> str | None:
        if form not in ("date", "date-time"):
            return None
        if "birth" in name and form == "date":
            return BIRTH_DATE
        day = (datetime.fromisoformat(EXAMPLE_TIME) + timedelta(days=self.moments)).date()
        self.moments += 1
        return day.isoformat() if form == "date" else f"{day.isoformat()}{EXAMPLE_TIME[10:]}"

    def string(self, node: Schema, name: str) -> str:
        low: int = node.get("minLength", 0)
        high: int = node.get("maxLength", 10_000)
        pattern, form = node.get("pattern", ""), node.get("format", "")
        # Most readable first: a format's value, then words from the field's name,
        # and only then what the pattern spells out.
        candidates = [
            self.moment(form, name) or _FORMATS.get(form),
            f"{name.removesuffix('_id')}-0001" if name.endswith("_id") or name == "id" else None,
            name.replace("_", " "),
            name,
            _from_pattern(pattern) if pattern else None,
        ]
        texts = [c for c in candidates if c is not None]
        for text in texts:
            if low <= len(text) <= high and re.search(pattern, text):
                return text
        text = texts[0]
        return (text + "x" * max(low - len(text), 0))[: max(high, low)]


def example_headers(cls: type[Event], source: str) -> dict[str, str]:
    """Binary-mode CloudEvents headers for one record of ``cls``, the same every run."""
    digest = hashlib.sha256(cls.TYPE.encode()).hexdigest()

    def uuid7(salt: int) -> str:  # a fixed time and hashed bits, so the file is stable
        h = digest[salt * 16 :]
        return f"019ab0c4-{h[0:4]}-7{h[4:7]}-8{h[7:10]}-{h[10:16]}{digest[:6]}"

    entity = cls.TYPE.split(".")[3]
    return {
        "ce_id": uuid7(0),
        "ce_source": source,
        "ce_type": cls.TYPE,
        "ce_specversion": SPEC_VERSION,
        "ce_time": EXAMPLE_TIME,
        "ce_subject": f"{entity}-{uuid7(1)}",
        "ce_dataschema": cls.dataschema(),
        "ce_correlationid": uuid7(2),
        "ce_causationid": uuid7(3),
        "ce_streamversion": "1",
        "ce_region": "1703",
        "ce_district": "1703202",
        "content-type": JSON,
    }


_ATOM = re.compile(r"\\(.)|\[([^\]^][^\]]*)\]|([^\\\[(){}|*+?.])")
_QUANTIFIER = re.compile(r"\{(\d+)(?:,(\d*))?\}|[?*+]")


def _from_pattern(pattern: str) -> str | None:
    """A string for a simple pattern (literals, \\d, classes, {n,m}); None otherwise."""
    body, out, at, digits = pattern.removeprefix("^").removesuffix("$"), [], 0, 0
    while at < len(body):
        atom = _ATOM.match(body, at)
        if atom is None:
            return None
        escaped, char_class, literal = atom.groups()
        at = atom.end()
        count, quantifier = 1, _QUANTIFIER.match(body, at)
        if quantifier is not None:
            at = quantifier.end()
            count = max(int(quantifier.group(1) or 1), 1)
        if escaped == "d" or (char_class or "").startswith("0-9"):
            out.append("".join(_DIGITS[(digits + i) % len(_DIGITS)] for i in range(count)))
            digits += count
        elif char_class:
            first = char_class[0]
            span = ord(char_class[2]) - ord(first) + 1 if char_class[1:2] == "-" else 1
            out.append("".join(chr(ord(first) + i % span) for i in range(count)))
        else:
            out.append((escaped or literal or "") * count)
    text = "".join(out)
    return text if re.search(pattern, text) else None
