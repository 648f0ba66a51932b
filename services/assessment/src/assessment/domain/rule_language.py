"""The eligibility rule language: conditions on an assessed household, held as JSON.

A condition is an object with exactly one key:

- ``{"all": [c, ...]}``, ``{"any": [c, ...]}``, ``{"not": c}``;
- ``{"ref": "name"}``: a named definition of the rule file; it may only name one
  defined earlier, so definitions cannot loop;
- ``{"member": filter}``: at least one member matches every key of the filter:
  ``applicant`` (true for the applicant), ``age_min``, ``age_max`` (inclusive),
  ``sex``, ``relation``, ``disability_group``, ``has_disability``,
  ``needs_help_with_daily_living``, ``chronic_illness``,
  ``functional_limitations``, ``employment``, ``schooling`` (a list means "one of");
- ``{"circumstance": v}``, ``{"housing": v}``, ``{"risk": v}`` (protection risk),
  ``{"income_source": v}`` (an income kind with a non-zero amount),
  ``{"resource": v}`` (relatives_support, owns_home, land_plot, livestock,
  skills): ``v`` is a value or a list, and any of them is enough;
- ``{"household_size_min": n}``, ``{"household_size_max": n}``;
- ``{"income_per_person_below": uzs}``: monthly household income per person;
- ``{"need_level_at_least": level}``: low < moderate < high < critical.

Parsing checks every key and enum value and raises ``RuleFileError`` naming
where it was. A condition that holds answers with its reasons: texts built
from the rule alone ("a member: aged 65 or over"), never from personal data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib.resources import files
from types import MappingProxyType
from typing import TypeVar

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.events.assessment import (
    HouseholdSituation,
    HousingCondition,
    IncomeKind,
    NeedLevel,
    ProtectionRisk,
)
from pydantic import ValidationError

from assessment.domain.need_factors import MemberFilter, Resource

_LEVEL_RANK = {level: rank for rank, level in enumerate(NeedLevel)}
_E = TypeVar("_E", bound=StrEnum)


class RuleFileError(ValueError):
    """A scoring or eligibility file that cannot be used; the message names the part."""


def read_rule_file(name: str) -> object:
    """The parsed JSON of a file shipped in this package's ``rules`` folder."""
    resource = files("assessment.domain") / "rules" / name
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleFileError(f"{name}: no such file in assessment/domain/rules") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RuleFileError(f"{name}: not valid JSON: {error}") from None


def explain_validation(error: ValidationError, names: Mapping[int, str] | None = None) -> str:
    """Pydantic's errors as ``where: what (got ...)``, for a rule author to read.

    ``names`` turns a list position at the start of a location into a name
    (``factors.3`` reads ``factor income_per_person``).
    """
    lines = []
    for e in error.errors():
        loc = list(e["loc"])
        if names and len(loc) >= 2 and isinstance(loc[1], int) and loc[1] in names:
            loc[:2] = [names[loc[1]]]
        got = e.get("input")
        shown = f" (got {got!r})" if isinstance(got, str | int | float) else ""
        lines.append(f"{'.'.join(str(p) for p in loc) or 'top level'}: {e['msg']}{shown}")
    return "; ".join(lines)


@dataclass(frozen=True, slots=True)
class Example:
    """A household a rule is tested against: whether the rule holds for it, and why."""

    qualifies: bool
    note: str
    situation: HouseholdSituation
    circumstances: tuple[Circumstance, ...]


def parse_example(raw: object, where: str) -> Example:
    """``{"qualifies", "note", "circumstances", "situation"}`` (a ``HouseholdSituation``)."""
    if not isinstance(raw, dict) or set(raw) - {"qualifies", "note", "circumstances", "situation"}:
        raise RuleFileError(f"{where}: an example has qualifies, note, circumstances, situation")
    qualifies, note = raw.get("qualifies"), raw.get("note", "")
    if "situation" not in raw or not isinstance(qualifies, bool) or not isinstance(note, str):
        raise RuleFileError(
            f"{where}: qualifies must be true or false, note a text, and a situation given"
        )
    try:
        situation = HouseholdSituation.model_validate(raw["situation"])
        listed = raw.get("circumstances", [])
        circumstances = enum_values(Circumstance, listed) if listed else ()
    except ValidationError as error:
        raise RuleFileError(f"{where}: situation: {explain_validation(error)}") from None
    except ValueError as error:
        raise RuleFileError(f"{where}: circumstances: {error}") from None
    return Example(qualifies, note, situation, circumstances)


def parse_examples(raw: object, where: str) -> tuple[Example, ...]:
    """At least one example that qualifies and one that does not."""
    if not isinstance(raw, list):
        raise RuleFileError(f"{where}: examples must be a list")
    examples = tuple(parse_example(e, f"{where} example {i + 1}") for i, e in enumerate(raw))
    if {e.qualifies for e in examples} != {True, False}:
        raise RuleFileError(f"{where}: needs a qualifying and a non-qualifying example")
    return examples


def parse_definitions(raw: object, source: str) -> dict[str, Definition]:
    """A rule file's named conditions, each able to name only those defined before it."""
    if not isinstance(raw, dict):
        raise RuleFileError(f"{source}: definitions must be an object")
    defs: dict[str, Definition] = {}
    for name, d in raw.items():
        where = f"{source}: definition {name}"
        if not isinstance(d, dict) or set(d) != {"label", "when"} or not d["label"]:
            raise RuleFileError(f"{where}: a definition is {{'label': text, 'when': condition}}")
        defs[name] = Definition(str(d["label"]), parse_condition(d["when"], where, defs))
    return defs


@dataclass(frozen=True, slots=True)
class Facts:
    """What conditions are evaluated against."""

    situation: HouseholdSituation
    circumstances: frozenset[Circumstance]
    need_level: NeedLevel
    income_per_person: int


# Each node answers "which reasons make me hold", or None when it does not hold.
@dataclass(frozen=True, slots=True)
class _Leaf:
    text: str
    test: Callable[[Facts], bool]

    def reasons(self, f: Facts) -> tuple[str, ...] | None:
        return (self.text,) if self.test(f) else None

    def describe(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class _All:
    items: tuple[Condition, ...]

    def reasons(self, f: Facts) -> tuple[str, ...] | None:
        held: list[str] = []
        for item in self.items:
            if (r := item.reasons(f)) is None:
                return None
            held.extend(r)
        return tuple(held)

    def describe(self) -> str:
        return "all of (" + "; ".join(i.describe() for i in self.items) + ")"


@dataclass(frozen=True, slots=True)
class _Any:
    items: tuple[Condition, ...]

    def reasons(self, f: Facts) -> tuple[str, ...] | None:
        # Every alternative that holds is a reason: a supervisor sees all of them.
        held = [r for item in self.items if (r := item.reasons(f)) is not None]
        return tuple(text for r in held for text in r) if held else None

    def describe(self) -> str:
        return "any of (" + "; ".join(i.describe() for i in self.items) + ")"


@dataclass(frozen=True, slots=True)
class _Not:
    item: Condition

    def reasons(self, f: Facts) -> tuple[str, ...] | None:
        return (f"not ({self.item.describe()})",) if self.item.reasons(f) is None else None

    def describe(self) -> str:
        return f"not ({self.item.describe()})"


@dataclass(frozen=True, slots=True)
class Definition:
    """A named condition of a rule file; reasons name it, then say which part held."""

    label: str
    item: Condition

    def reasons(self, f: Facts) -> tuple[str, ...] | None:
        r = self.item.reasons(f)
        return None if r is None else (f"{self.label} ({'; '.join(r)})",)

    def describe(self) -> str:
        return self.label


Condition = _Leaf | _All | _Any | _Not | Definition


def enum_values(enum: type[_E], value: object) -> tuple[_E, ...]:
    raw = [value] if isinstance(value, str) else value
    if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw):
        raise ValueError(f"expected a value or a non-empty list of values, got {value!r}")
    known = [e.value for e in enum]
    for v in raw:
        if v not in known:
            raise ValueError(f"{v!r} is not one of {', '.join(known)}")
    return tuple(enum(v) for v in raw)


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected a whole number of at least 0, got {value!r}")
    return value


def _member(value: object) -> _Leaf:
    flt = MemberFilter.model_validate(value)
    return _Leaf(
        f"a member: {flt.describe()}", lambda f: any(map(flt.matches, f.situation.members))
    )


def _circumstance(value: object) -> _Leaf:
    wanted = enum_values(Circumstance, value)
    return _Leaf(
        f"circumstance {' or '.join(wanted)}", lambda f: not f.circumstances.isdisjoint(wanted)
    )


def _housing(value: object) -> _Leaf:
    wanted = enum_values(HousingCondition, value)
    return _Leaf(f"housing {' or '.join(wanted)}", lambda f: f.situation.housing in wanted)


def _risk(value: object) -> _Leaf:
    wanted = enum_values(ProtectionRisk, value)
    return _Leaf(
        f"protection risk {' or '.join(wanted)}",
        lambda f: any(r in wanted for r in f.situation.protection_risks),
    )


def _income_source(value: object) -> _Leaf:
    wanted = enum_values(IncomeKind, value)
    return _Leaf(
        f"income from {' or '.join(wanted)}",
        lambda f: any(
            s.kind in wanted and s.monthly_amount_uzs > 0 for s in f.situation.income_sources
        ),
    )


def _resource(value: object) -> _Leaf:
    wanted = enum_values(Resource, value)
    return _Leaf(
        f"resource {' or '.join(wanted)}",
        lambda f: any(r.present(f.situation.resources) for r in wanted),
    )


def _persons(n: int) -> str:
    return "1 person" if n == 1 else f"{n} persons"


def _size_min(value: object) -> _Leaf:
    n = _count(value)
    return _Leaf(f"household of at least {_persons(n)}", lambda f: len(f.situation.members) >= n)


def _size_max(value: object) -> _Leaf:
    n = _count(value)
    return _Leaf(f"household of at most {_persons(n)}", lambda f: len(f.situation.members) <= n)


def _income_below(value: object) -> _Leaf:
    uzs = _count(value)
    return _Leaf(f"income per person below {uzs:,} UZS/month", lambda f: f.income_per_person < uzs)


def _need_at_least(value: object) -> _Leaf:
    (level,) = enum_values(NeedLevel, [value])
    rank = _LEVEL_RANK[level]
    return _Leaf(f"need level {level} or higher", lambda f: _LEVEL_RANK[f.need_level] >= rank)


_LEAVES: Mapping[str, Callable[[object], _Leaf]] = MappingProxyType(
    {
        "member": _member,
        "circumstance": _circumstance,
        "housing": _housing,
        "risk": _risk,
        "income_source": _income_source,
        "resource": _resource,
        "household_size_min": _size_min,
        "household_size_max": _size_max,
        "income_per_person_below": _income_below,
        "need_level_at_least": _need_at_least,
    }
)
_PREDICATES = ", ".join(["all", "any", "not", "ref", *_LEAVES])


def one_value(enum: type[_E], value: object, where: str) -> _E:
    """A single enum value of a rule file, or a RuleFileError saying where."""
    try:
        (item,) = enum_values(enum, [value])
    except ValueError as error:
        raise RuleFileError(f"{where}: {error}") from None
    return item


def parse_condition(raw: object, where: str, defs: Mapping[str, Definition]) -> Condition:
    """The condition ``raw`` says; ``where`` prefixes every error message."""
    if not isinstance(raw, dict) or len(raw) != 1:
        raise RuleFileError(
            f"{where}: a condition is an object with exactly one key, got {raw!r:.80}"
        )
    ((key, value),) = raw.items()
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise RuleFileError(f"{where}: {key!r} takes a non-empty list of conditions")
        items = tuple(parse_condition(v, where, defs) for v in value)
        return _All(items) if key == "all" else _Any(items)
    if key == "not":
        return _Not(parse_condition(value, where, defs))
    if key == "ref":
        if not isinstance(value, str) or value not in defs:
            raise RuleFileError(f"{where}: ref {value!r} names no earlier definition")
        return defs[value]
    if key not in _LEAVES:
        raise RuleFileError(f"{where}: unknown predicate {key!r} (known: {_PREDICATES})")
    try:
        return _LEAVES[key](value)
    except ValidationError as error:
        raise RuleFileError(f"{where}: {key}: {explain_validation(error)}") from None
    except ValueError as error:
        raise RuleFileError(f"{where}: {key}: {error}") from None
