"""Which catalogue services a household is eligible for, from versioned rules held as data.

``rules/eligibility-v<N>.json`` holds ``version`` ("eligibility/N"), a
``description``, ``definitions`` (named conditions: ``{"label", "when"}``) and
``rules``, one per catalogue service, each with

- ``service``: the catalogue code, and ``summary``: the rule in words;
- ``when``: the condition, in the language of :mod:`assessment.domain.rule_language`;
- ``priority`` (optional): ``{"default": p, "escalate": [{"to": p, "when": c}]}``.
  Without ``default`` the catalogue's target days decide (1 day emergency,
  3 urgent, else routine). The highest escalation that holds wins;
- ``provider_type``, ``target_days`` (optional): overrides of the catalogue
  entry. An urgent or emergency priority caps the target days at
  ``URGENT_DAYS`` or ``EMERGENCY_DAYS``, so a provider is asked to act as fast
  as the priority says;
- ``examples``: at least one household that qualifies and one that does not,
  each ``{"qualifies", "note", "circumstances", "situation"}`` (the situation is
  a ``HouseholdSituation``); the tests check every rule against its examples.

The whole file is checked on load: an unknown service code, key, predicate or
enum value, or a service with two rules, stops the load with a message naming
the rule. Rules say who *may* get a service; the social worker's plan decides.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.service_model import EMERGENCY_DAYS, URGENT_DAYS, ProviderType
from inson_contracts.codes.services import SERVICES_BY_CODE
from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.values import Priority

from assessment.domain.rule_language import (
    Condition,
    Definition,
    Example,
    Facts,
    RuleFileError,
    one_value,
    parse_condition,
    parse_definitions,
    parse_examples,
    read_rule_file,
)
from assessment.domain.scoring import NeedScore, income_per_person

__all__ = [
    "CURRENT_RULES",
    "Eligibility",
    "Example",
    "Rule",
    "RuleFileError",
    "RuleSet",
    "eligible_services",
]

_PRIORITY_RANK = {Priority.ROUTINE: 0, Priority.URGENT: 1, Priority.EMERGENCY: 2}
_PRIORITY_DAYS_CAP = {Priority.URGENT: URGENT_DAYS, Priority.EMERGENCY: EMERGENCY_DAYS}


@dataclass(frozen=True, slots=True)
class Eligibility:
    service_code: str
    priority: Priority
    provider_type: ProviderType
    target_days: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    service_code: str
    summary: str
    when: Condition
    priority: Priority
    escalations: tuple[tuple[Priority, Condition], ...]
    provider_type: ProviderType
    target_days: int
    examples: tuple[Example, ...]

    def evaluate(self, f: Facts) -> Eligibility | None:
        reasons = self.when.reasons(f)
        if reasons is None:
            return None
        priority, why = self.priority, list(reasons)
        held = [(to, r) for to, cond in self.escalations if (r := cond.reasons(f)) is not None]
        top = max((to for to, _ in held), key=_PRIORITY_RANK.__getitem__, default=priority)
        if _PRIORITY_RANK[top] > _PRIORITY_RANK[priority]:
            priority = top
            why += [f"{top} priority: {'; '.join(r)}" for to, r in held if to == top]
        days = min(self.target_days, _PRIORITY_DAYS_CAP.get(priority, self.target_days))
        return Eligibility(self.service_code, priority, self.provider_type, days, tuple(why))


_TOP_KEYS = frozenset({"version", "description", "definitions", "rules"})
_RULE_KEYS = frozenset(
    {"service", "summary", "when", "priority", "provider_type", "target_days", "examples"}
)


def _field(raw: dict[str, object], key: str, where: str) -> object:
    if key not in raw:
        raise RuleFileError(f"{where}: missing {key!r}")
    return raw[key]


def _rule(raw: object, source: str, defs: Mapping[str, Definition]) -> Rule:
    code = raw.get("service") if isinstance(raw, dict) else None
    where = f"{source}: rule {code}"
    if not isinstance(raw, dict) or not isinstance(code, str):
        raise RuleFileError(f"{where}: a rule is an object with a 'service' code")
    if unknown := sorted(set(raw) - _RULE_KEYS):
        raise RuleFileError(f"{where}: unknown keys {', '.join(unknown)}")
    if (entry := SERVICES_BY_CODE.get(code)) is None:
        raise RuleFileError(f"{where}: unknown service code {code!r}, not in the catalogue")
    summary = raw.get("summary", "")
    when = parse_condition(_field(raw, "when", where), f"{where} when", defs)
    prio = raw.get("priority", {})
    if not isinstance(prio, dict) or set(prio) - {"default", "escalate"}:
        raise RuleFileError(f"{where}: priority is {{'default': ..., 'escalate': [...]}}")
    default = one_value(
        Priority, prio.get("default", _implied(entry.target_days)), f"{where} priority"
    )
    escalate = prio.get("escalate", [])
    if not isinstance(escalate, list):
        raise RuleFileError(f"{where}: priority escalate must be a list")
    escalations = tuple(_escalation(e, f"{where} escalate", defs) for e in escalate)
    if any(_PRIORITY_RANK[to] <= _PRIORITY_RANK[default] for to, _ in escalations):
        raise RuleFileError(f"{where}: an escalation must rise above the default {default}")
    provider = one_value(
        ProviderType, raw.get("provider_type", entry.provider), f"{where} provider_type"
    )
    days = raw.get("target_days", entry.target_days)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 30:
        raise RuleFileError(f"{where}: target_days must be a whole number from 1 to 30")
    examples = parse_examples(_field(raw, "examples", where), where)
    return Rule(code, str(summary), when, default, escalations, provider, days, examples)


def _implied(target_days: int) -> Priority:
    # The catalogue's target days already say how pressing a service is.
    if target_days <= EMERGENCY_DAYS:
        return Priority.EMERGENCY
    return Priority.URGENT if target_days <= URGENT_DAYS else Priority.ROUTINE


def _escalation(
    raw: object, where: str, defs: Mapping[str, Definition]
) -> tuple[Priority, Condition]:
    if not isinstance(raw, dict) or set(raw) != {"to", "when"}:
        raise RuleFileError(f"{where}: an escalation is {{'to': priority, 'when': condition}}")
    return one_value(Priority, raw["to"], where), parse_condition(raw["when"], where, defs)


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: str
    rules: Mapping[str, Rule]  # by service code, in file order

    @classmethod
    def parse(cls, data: object, *, source: str) -> RuleSet:
        if not isinstance(data, dict) or set(data) - _TOP_KEYS:
            raise RuleFileError(f"{source}: top level has version, description, definitions, rules")
        version = data.get("version")
        if not isinstance(version, str) or not version.startswith("eligibility/"):
            raise RuleFileError(f"{source}: version must read 'eligibility/<N>'")
        defs = parse_definitions(data.get("definitions", {}), source)
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list):
            raise RuleFileError(f"{source}: rules must be a list")
        rules: dict[str, Rule] = {}
        for raw in raw_rules:
            rule = _rule(raw, source, defs)
            if rule.service_code in rules:
                raise RuleFileError(
                    f"{source}: rule {rule.service_code}: the service has two rules"
                )
            rules[rule.service_code] = rule
        return cls(version, MappingProxyType(rules))

    @classmethod
    def load(cls, version: int) -> RuleSet:
        source = f"eligibility-v{version}.json"
        rules = cls.parse(read_rule_file(source), source=source)
        if rules.version != f"eligibility/{version}":
            raise RuleFileError(f"{source}: says version {rules.version!r}")
        return rules


CURRENT_RULES: RuleSet = RuleSet.load(1)


def facts_of(
    situation: HouseholdSituation, circumstances: Collection[Circumstance], need: NeedScore
) -> Facts:
    """What the rules of a scored household are evaluated against."""
    return Facts(
        situation=situation,
        circumstances=frozenset(Circumstance(c) for c in circumstances),
        need_level=need.level,
        income_per_person=income_per_person(situation),
    )


def eligible_services(
    situation: HouseholdSituation,
    circumstances: Collection[Circumstance],
    need: NeedScore,
    *,
    rules: RuleSet = CURRENT_RULES,
) -> tuple[Eligibility, ...]:
    """The services whose rule holds, most pressing first, then by service code."""
    facts = facts_of(situation, circumstances, need)
    found = [e for rule in rules.rules.values() if (e := rule.evaluate(facts)) is not None]
    return tuple(sorted(found, key=lambda e: (-_PRIORITY_RANK[e.priority], e.service_code)))
