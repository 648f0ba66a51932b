"""What the assessment found a household needs, and which services answer it, as versioned data.

Eligibility says which services a household *may* get; a plan should hold
what it *needs*. ``rules/needs-v<N>.json`` holds ``version`` ("needs/N"), a
``description``, ``definitions`` (named conditions, as in the eligibility
file) and

- ``needs``: each ``{"need", "summary", "when", "services", "examples"}``:
  the need's code (``NeedCode``: snake case), the rule in words, the
  condition (the language of :mod:`assessment.domain.rule_language`, over the
  questionnaire, intake's circumstances and the need level), the catalogue
  services that answer it, in order of preference, and examples of
  households that have the need and that do not (the tests run them);
- ``exclusive``: groups ``{"services", "why"}`` of services never drafted
  together (a child is kept in the family *or* placed in a foster family):
  when several of a group would be drafted, the first listed is, the others
  are offered.

A service is drafted when a need it answers holds and the household is
eligible for it; its plan item names those needs. Every other eligible
service is offered, not drafted: the worker adds it to the plan if the
person wants it. Pure: the file is read once, at import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from inson_contracts.codes.services import SERVICES_BY_CODE

from assessment.domain.eligibility import Eligibility
from assessment.domain.rule_language import (
    Condition,
    Definition,
    Example,
    Facts,
    RuleFileError,
    parse_condition,
    parse_definitions,
    parse_examples,
    read_rule_file,
)

__all__ = [
    "CURRENT_NEEDS",
    "AssessedNeed",
    "Drafted",
    "Exclusive",
    "Need",
    "NeedRules",
    "NeedsDraft",
    "draft_from_needs",
]

# The contract's NeedCode, and how many needs a plan item may name.
NEED_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
NEEDS_PER_ITEM = 10
_TOP_KEYS = frozenset({"version", "description", "definitions", "needs", "exclusive"})
_NEED_KEYS = frozenset({"need", "summary", "when", "services", "examples"})


@dataclass(frozen=True, slots=True)
class Need:
    code: str
    summary: str
    when: Condition
    services: tuple[str, ...]
    examples: tuple[Example, ...]


@dataclass(frozen=True, slots=True)
class Exclusive:
    services: tuple[str, ...]
    why: str


@dataclass(frozen=True, slots=True)
class AssessedNeed:
    """A need that holds, with the rule's own words for why (never personal data)."""

    code: str
    summary: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Drafted:
    """An eligible service drafted into the plan, and the needs it answers."""

    eligibility: Eligibility
    needs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NeedsDraft:
    needs: tuple[AssessedNeed, ...]
    drafted: tuple[Drafted, ...]
    # Eligible, not needed (or excluded by a drafted service): the worker's to add.
    offered: tuple[Eligibility, ...]


def _services(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(c, str) for c in raw):
        raise RuleFileError(f"{where}: services must be a non-empty list of service codes")
    if unknown := [c for c in raw if c not in SERVICES_BY_CODE]:
        raise RuleFileError(f"{where}: unknown service codes {', '.join(unknown)}")
    if len(set(raw)) != len(raw):
        raise RuleFileError(f"{where}: a service is listed twice")
    return tuple(raw)


def _need(raw: object, source: str, defs: Mapping[str, Definition]) -> Need:
    code = raw.get("need") if isinstance(raw, dict) else None
    where = f"{source}: need {code}"
    if not isinstance(raw, dict) or not isinstance(code, str) or not NEED_CODE.match(code):
        raise RuleFileError(f"{where}: a need is an object whose 'need' is a snake_case code")
    if unknown := sorted(set(raw) - _NEED_KEYS):
        raise RuleFileError(f"{where}: unknown keys {', '.join(unknown)}")
    if missing := sorted(_NEED_KEYS - set(raw)):
        raise RuleFileError(f"{where}: missing {', '.join(missing)}")
    summary = raw["summary"]
    if not isinstance(summary, str) or not summary:
        raise RuleFileError(f"{where}: summary must say the rule in words")
    when = parse_condition(raw["when"], f"{where} when", defs)
    services = _services(raw["services"], where)
    return Need(code, summary, when, services, parse_examples(raw["examples"], where))


def _exclusive(raw: object, where: str) -> Exclusive:
    if not isinstance(raw, dict) or set(raw) != {"services", "why"}:
        raise RuleFileError(f"{where}: an exclusive group is {{'services': [...], 'why': text}}")
    services = _services(raw["services"], where)
    if len(services) < 2 or not isinstance(raw["why"], str) or not raw["why"]:
        raise RuleFileError(f"{where}: a group has two services or more and says why")
    return Exclusive(services, raw["why"])


@dataclass(frozen=True, slots=True)
class NeedRules:
    version: str
    needs: Mapping[str, Need]  # by code, in file order
    exclusive: tuple[Exclusive, ...]

    @classmethod
    def parse(cls, data: object, *, source: str) -> NeedRules:
        if not isinstance(data, dict) or set(data) - _TOP_KEYS:
            raise RuleFileError(
                f"{source}: top level has version, description, definitions, needs, exclusive"
            )
        version = data.get("version")
        if not isinstance(version, str) or not version.startswith("needs/"):
            raise RuleFileError(f"{source}: version must read 'needs/<N>'")
        defs = parse_definitions(data.get("definitions", {}), source)
        raw_needs = data.get("needs")
        if not isinstance(raw_needs, list) or not raw_needs:
            raise RuleFileError(f"{source}: needs must be a non-empty list")
        needs: dict[str, Need] = {}
        for raw in raw_needs:
            need = _need(raw, source, defs)
            if need.code in needs:
                raise RuleFileError(f"{source}: need {need.code} is defined twice")
            needs[need.code] = need
        raw_groups = data.get("exclusive", [])
        if not isinstance(raw_groups, list):
            raise RuleFileError(f"{source}: exclusive must be a list")
        groups = tuple(
            _exclusive(g, f"{source}: exclusive group {n + 1}") for n, g in enumerate(raw_groups)
        )
        return cls(version, MappingProxyType(needs), groups)

    @classmethod
    def load(cls, version: int) -> NeedRules:
        source = f"needs-v{version}.json"
        rules = cls.parse(read_rule_file(source), source=source)
        if rules.version != f"needs/{version}":
            raise RuleFileError(f"{source}: says version {rules.version!r}")
        return rules

    def assessed(self, facts: Facts) -> tuple[AssessedNeed, ...]:
        """The needs that hold for these facts, in file order."""
        return tuple(
            AssessedNeed(need.code, need.summary, reasons)
            for need in self.needs.values()
            if (reasons := need.when.reasons(facts)) is not None
        )


CURRENT_NEEDS: NeedRules = NeedRules.load(1)


def draft_from_needs(
    facts: Facts, eligible: Sequence[Eligibility], *, rules: NeedRules = CURRENT_NEEDS
) -> NeedsDraft:
    """The services to draft (in the order of ``eligible``) and the ones to offer instead."""
    needs = rules.assessed(facts)
    answering: dict[str, list[str]] = {}
    for found in needs:
        for code in rules.needs[found.code].services:
            answering.setdefault(code, []).append(found.code)
    chosen = {e.service_code for e in eligible if e.service_code in answering}
    for group in rules.exclusive:
        present = [code for code in group.services if code in chosen]
        chosen -= set(present[1:])
    drafted = tuple(
        Drafted(e, tuple(answering[e.service_code][:NEEDS_PER_ITEM]))
        for e in eligible
        if e.service_code in chosen
    )
    offered = tuple(e for e in eligible if e.service_code not in chosen)
    return NeedsDraft(needs, drafted, offered)
