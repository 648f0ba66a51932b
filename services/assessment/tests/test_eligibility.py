"""Eligibility: a rule for every catalogue service, each checked against its own examples."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from assessment.domain import eligibility
from assessment.domain.eligibility import (
    CURRENT_RULES,
    Eligibility,
    RuleFileError,
    RuleSet,
    eligible_services,
)
from assessment.domain.scoring import score
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.codes.service_model import (
    EMERGENCY_DAYS,
    URGENT_DAYS,
    ProviderType,
    Service,
)
from inson_contracts.codes.services import SERVICES, SERVICES_BY_CODE
from inson_contracts.events.assessment import (
    AssessedMember,
    DisabilityGroup,
    Employment,
    HouseholdSituation,
    HousingCondition,
    IncomeKind,
    IncomeSource,
    ProtectionRisk,
    Resources,
    Schooling,
)
from inson_contracts.events.values import Priority, Relation, Sex

LINE = 648_000


def person(ref: str, age: int, **kw: Any) -> AssessedMember:
    kw.setdefault("sex", Sex.FEMALE)
    kw.setdefault("employment", Employment.CHILD if age < 18 else Employment.EMPLOYED)
    if 6 <= age <= 17:
        kw.setdefault("schooling", Schooling.ATTENDING)
    return AssessedMember(member_ref=ref, age=age, **kw)


def household(members: list[AssessedMember], income: int = 0, **kw: Any) -> HouseholdSituation:
    kw.setdefault("housing", HousingCondition.ADEQUATE)
    sources = [IncomeSource(kind=IncomeKind.WAGES, monthly_amount_uzs=income)] if income else []
    kw.setdefault("income_sources", sources)
    return HouseholdSituation(members=members, **kw)


def family(
    income_per_person: int = 2 * LINE, *children: AssessedMember, **kw: Any
) -> HouseholdSituation:
    members = [
        person("father", 38, sex=Sex.MALE),
        person("mother", 35, relation=Relation.SPOUSE),
        *children,
    ]
    return household(members, income_per_person * len(members), **kw)


def assess(
    situation: HouseholdSituation, circumstances: list[Circumstance] | tuple[Circumstance, ...] = ()
) -> dict[str, Eligibility]:
    need = score(situation, circumstances)
    return {e.service_code: e for e in eligible_services(situation, circumstances, need)}


# --- every catalogue service: a rule, and the rule does what its examples say ------------


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.code)
def test_every_catalogue_service_has_a_rule(service: Service) -> None:
    assert service.code in CURRENT_RULES.rules, f"{service.code} has no eligibility rule"


def test_the_rule_set_has_no_rule_outside_the_catalogue() -> None:
    assert set(CURRENT_RULES.rules) == set(SERVICES_BY_CODE)
    assert CURRENT_RULES.version == "eligibility/1"


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.code)
def test_the_rule_qualifies_its_examples_and_only_them(service: Service) -> None:
    rule = CURRENT_RULES.rules[service.code]
    assert {e.qualifies for e in rule.examples} == {True, False}
    for example in rule.examples:
        found = assess(example.situation, example.circumstances)
        assert (service.code in found) is example.qualifies, example.note
        if example.qualifies:
            got = found[service.code]
            # v1 overrides nothing: provider and target days come from the catalogue,
            # and a pressing priority only shortens the days.
            assert got.provider_type is service.provider
            cap = {Priority.EMERGENCY: EMERGENCY_DAYS, Priority.URGENT: URGENT_DAYS}
            assert got.target_days == min(service.target_days, cap.get(got.priority, 30))
            assert got.reasons and all(isinstance(r, str) and r for r in got.reasons)


def test_results_are_sorted_by_priority_then_code() -> None:
    situation = family(
        LINE // 4,
        person("c", 7, relation=Relation.CHILD),
        protection_risks=[ProtectionRisk.VIOLENCE_AT_HOME, ProtectionRisk.WITHOUT_PARENTAL_CARE],
    )
    found = list(assess(situation, [Circumstance.DOMESTIC_VIOLENCE]).values())
    rank = {Priority.EMERGENCY: 0, Priority.URGENT: 1, Priority.ROUTINE: 2}
    assert found == sorted(found, key=lambda e: (rank[e.priority], e.service_code))
    assert found[0].priority is Priority.EMERGENCY and found[-1].priority is Priority.ROUTINE


# --- realistic situations -------------------------------------------------------------


def lonely(age: int = 79, **kw: Any) -> HouseholdSituation:
    me = person("a", age, employment=Employment.PENSIONER, needs_help_with_daily_living=True)
    pension = [IncomeSource(kind=IncomeKind.PENSION, monthly_amount_uzs=900_000)]
    return household([me], income_sources=pension, **kw)


def test_a_lonely_elderly_person_who_needs_care_gets_home_care() -> None:
    found = assess(lonely(), [Circumstance.LONELY_ELDERLY])
    home = found["HOME-01"]
    assert (home.priority, home.provider_type, home.target_days) == (
        Priority.URGENT,
        ProviderType.INSON_CENTER,
        URGENT_DAYS,
    )
    assert {"HOME-07", "HLTH-03"} <= set(found)


def test_neglect_of_a_lonely_elderly_person_makes_home_care_an_emergency() -> None:
    home = assess(lonely(protection_risks=[ProtectionRisk.NEGLECT]))["HOME-01"]
    assert (home.priority, home.target_days) == (Priority.EMERGENCY, EMERGENCY_DAYS)
    assert home.reasons[-1] == "emergency priority: protection risk neglect"


def test_devices_need_a_disability_group_and_the_circumstance() -> None:
    member = person(
        "a", 44, disability_group=DisabilityGroup.GROUP_1, needs_help_with_daily_living=True
    )
    situation = household([member, person("b", 40, relation=Relation.SPOUSE)], 3 * LINE)
    with_device = assess(
        situation, [Circumstance.DISABILITY, Circumstance.NEEDS_REHABILITATION_DEVICE]
    )
    assert {"REHAB-01", "REHAB-02", "REHAB-05", "DIS-06"} <= set(with_device)
    # a member of group 1 who needs help gets the wheelchair sooner
    assert with_device["REHAB-02"].priority is Priority.URGENT
    assert with_device["REHAB-01"].priority is Priority.ROUTINE
    without = assess(situation, [Circumstance.DISABILITY])
    assert not {c for c in without if c.startswith("REHAB-0") and c != "REHAB-08"}


def test_a_homeless_person_gets_registration_shelter_and_documents() -> None:
    found = assess(
        household([person("a", 45, sex=Sex.MALE)], 0, housing=HousingCondition.NO_HOUSING)
    )
    assert {"HOUSE-01", "HOUSE-02", "HOUSE-06", "CASH-03", "KIND-01", "KIND-04"} <= set(found)
    assert found["HOUSE-02"].priority is Priority.EMERGENCY
    assert "KIND-02" not in found  # no home to heat


def test_violence_at_home_brings_shelter_protection_and_no_mediation() -> None:
    situation = family(
        LINE,
        person("c", 6, relation=Relation.CHILD),
        protection_risks=[ProtectionRisk.VIOLENCE_AT_HOME],
    )
    found = assess(situation, [Circumstance.DOMESTIC_VIOLENCE, Circumstance.OTHER])
    for code in ("HOUSE-03", "FAM-04", "HLTH-06", "CHILD-01"):
        assert found[code].priority is Priority.EMERGENCY, code
    assert found["FAM-05"].priority is Priority.URGENT  # escalated from routine
    assert "FAM-03" not in found


def test_a_child_without_parental_care_comes_first() -> None:
    situation = household(
        [person("a", 52, relation=None), person("w", 6, relation=Relation.WARD)],
        2 * LINE,
        protection_risks=[ProtectionRisk.WITHOUT_PARENTAL_CARE],
    )
    found = list(assess(situation, [Circumstance.CHILD_AT_RISK]).values())
    assert [e.service_code for e in found[:2]] == ["CHILD-01", "CHILD-05"]
    assert {e.service_code for e in found} >= {"CHILD-02", "CHILD-03"}


def test_low_income_with_a_child_under_two_gets_both_allowances() -> None:
    found = assess(
        family(LINE - 1, person("baby", 1, relation=Relation.CHILD)), [Circumstance.LOW_INCOME]
    )
    assert {"CASH-01", "CASH-02"} <= set(found)
    older = assess(family(LINE - 1, person("c", 2, relation=Relation.CHILD)))
    assert "CASH-01" in older and "CASH-02" not in older
    at_line = assess(family(LINE, person("baby", 1, relation=Relation.CHILD)))
    assert "CASH-01" not in at_line and "CASH-02" not in at_line


@pytest.mark.parametrize(
    ("age", "expected"), [(18, True), (35, True), (59, True), (60, False), (17, False)]
)
def test_employment_services_are_for_unemployed_members_of_working_age(
    age: int, expected: bool
) -> None:
    seeker = person("a", age, employment=Employment.UNEMPLOYED_SEEKING)
    found = assess(household([seeker, person("b", 40, relation=Relation.SIBLING)], 4 * LINE))
    assert (
        {"EMP-01", "EMP-05", "CASH-07"} <= set(found)
        if expected
        else not {"EMP-01", "EMP-05"} & set(found)
    )


def test_a_child_out_of_school_is_referred_for_assessment_and_supplies() -> None:
    found = assess(
        family(
            2 * LINE, person("c", 12, relation=Relation.CHILD, schooling=Schooling.NOT_ATTENDING)
        )
    )
    assert {"EDU-03", "KIND-03"} <= set(found)


def test_chronic_illness_without_a_group_goes_to_the_commission() -> None:
    ill = person("a", 50, chronic_illness=True, employment=Employment.UNABLE_TO_WORK)
    found = assess(household([ill], 2 * LINE))
    assert "HLTH-01" in found and "DIS-04" not in found
    grouped = ill.model_copy(update={"disability_group": DisabilityGroup.GROUP_2})
    found = assess(household([grouped], 2 * LINE))
    assert "HLTH-01" not in found and "DIS-04" in found


def test_reasons_hold_no_personal_data() -> None:
    pinfl = "31203199512345"
    situation = household(
        [
            person(f"p-{pinfl}", 71, employment=Employment.PENSIONER, chronic_illness=True),
            person("Dilnoza", 13, relation=Relation.GRANDCHILD, schooling=Schooling.NOT_ATTENDING),
        ],
        777_777,
        housing=HousingCondition.UNSAFE,
        protection_risks=list(ProtectionRisk),
        resources=Resources(skills=["Karimova's sewing"]),
        observations=f"Karimova Dilnoza, PINFL {pinfl}",
    )
    found = assess(situation, list(Circumstance))
    assert len(found) > 20
    for e in found.values():
        for reason in e.reasons:
            assert pinfl not in reason and "Dilnoza" not in reason and "Karimova" not in reason
            assert "71" not in reason and "388" not in reason and "sewing" not in reason
            assert not re.search(r"\d{14}", reason)


def test_the_same_inputs_give_the_same_answer() -> None:
    rule = CURRENT_RULES.rules["FAM-06"].examples[0]
    assert assess(rule.situation, rule.circumstances) == assess(rule.situation, rule.circumstances)


# --- a small rule file of our own: the language and the engine ----------------------------

QUALIFIES: dict[str, Any] = {
    "qualifies": True,
    "circumstances": ["low_income"],
    "situation": {
        "members": [{"member_ref": "a", "age": 30, "sex": "female", "employment": "carer"}],
        "income_sources": [{"kind": "wages", "monthly_amount_uzs": 100000}],
        "housing": "adequate",
    },
}
DOES_NOT: dict[str, Any] = {
    "qualifies": False,
    "situation": QUALIFIES["situation"]
    | {"income_sources": [{"kind": "wages", "monthly_amount_uzs": 5_000_000}]},
}


def rule(code: str = "CASH-01", when: Any = None, **extra: Any) -> dict[str, Any]:
    return {
        "service": code,
        "when": when or {"income_per_person_below": LINE},
        "examples": [QUALIFIES, DOES_NOT],
        **extra,
    }


def rules_file(*rules: dict[str, Any], definitions: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"version": "eligibility/1", "definitions": definitions or {}, "rules": list(rules)}


def evaluate(
    rules: RuleSet, situation: dict[str, Any], circumstances: tuple[str, ...] = ()
) -> list[Eligibility]:
    parsed = HouseholdSituation.model_validate(situation)
    cs = [Circumstance(c) for c in circumstances]
    return list(eligible_services(parsed, cs, score(parsed, cs), rules=rules))


def test_overrides_replace_the_catalogue_defaults() -> None:
    rules = RuleSet.parse(
        rules_file(rule(provider_type="ngo_partner", target_days=5)), source="t.json"
    )
    (got,) = evaluate(rules, QUALIFIES["situation"])
    assert (got.provider_type, got.target_days, got.priority) == (
        ProviderType.NGO_PARTNER,
        5,
        Priority.ROUTINE,
    )


def test_without_a_default_the_catalogue_days_give_the_priority() -> None:
    rules = RuleSet.parse(
        rules_file(rule("HOUSE-02"), rule("HOME-01"), rule("CASH-01")), source="t.json"
    )
    got = {e.service_code: e.priority for e in evaluate(rules, QUALIFIES["situation"])}
    assert got == {
        "HOUSE-02": Priority.EMERGENCY,
        "HOME-01": Priority.URGENT,
        "CASH-01": Priority.ROUTINE,
    }


def test_the_highest_escalation_wins_and_caps_the_target_days() -> None:
    escalate = [
        {"to": "urgent", "when": {"member": {"employment": ["carer"]}}},
        {"to": "emergency", "when": {"need_level_at_least": "moderate"}},
    ]
    rules = RuleSet.parse(rules_file(rule(priority={"escalate": escalate})), source="t.json")
    (got,) = evaluate(rules, QUALIFIES["situation"])  # income 100,000: +30, moderate
    assert (got.priority, got.target_days) == (Priority.EMERGENCY, EMERGENCY_DAYS)
    assert got.reasons == (
        "income per person below 648,000 UZS/month",
        "emergency priority: need level moderate or higher",
    )


def test_definitions_not_and_any_explain_themselves() -> None:
    definitions = {"poor": {"label": "poor household", "when": {"income_per_person_below": LINE}}}
    when = {
        "all": [
            {"ref": "poor"},
            {"not": {"resource": ["land_plot", "livestock"]}},
            {
                "any": [
                    {"household_size_max": 1},
                    {"circumstance": "homeless"},
                    {"housing": "unsafe"},
                ]
            },
        ]
    }
    rules = RuleSet.parse(rules_file(rule(when=when), definitions=definitions), source="t.json")
    (got,) = evaluate(rules, QUALIFIES["situation"])
    assert got.reasons == (
        "poor household (income per person below 648,000 UZS/month)",
        "not (resource land_plot or livestock)",
        "household of at most 1 person",
    )
    owner = QUALIFIES["situation"] | {"resources": {"livestock": True}}
    assert evaluate(rules, owner) == []


# --- the rule file is checked as it loads ------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (rules_file(rule("CASH-99")), r"rule CASH-99: unknown service code 'CASH-99'"),
        (
            rules_file(rule(when={"income_below": 1})),
            r"rule CASH-01 when: unknown predicate 'income_below'",
        ),
        (
            rules_file(rule(when={"housing": "castle"})),
            r"rule CASH-01 when: housing: 'castle' is not one of",
        ),
        (
            rules_file(rule(when={"risk": ["neglect", "bad"]})),
            r"rule CASH-01 when: risk: 'bad' is not one of",
        ),
        (
            rules_file(rule(when={"member": {"disability": True}})),
            r"rule CASH-01 when: member: disability",
        ),
        (
            rules_file(rule(when={"member": {"employment": ["retired"]}})),
            r"rule CASH-01 when: member: .*'retired'",
        ),
        (
            rules_file(rule(when={"need_level_at_least": "huge"})),
            r"rule CASH-01 when: need_level_at_least",
        ),
        (
            rules_file(rule(when={"household_size_max": -1})),
            r"rule CASH-01 when: household_size_max",
        ),
        (rules_file(rule(when={"ref": "nowhere"})), r"rule CASH-01 when: ref 'nowhere'"),
        (rules_file(rule(when={"all": []})), r"rule CASH-01 when: 'all' takes a non-empty list"),
        (
            rules_file(rule(when={"housing": "unsafe", "risk": "neglect"})),
            r"rule CASH-01 when: .*exactly one key",
        ),
        (rules_file(rule(), rule()), r"rule CASH-01: the service has two rules"),
        (
            rules_file(rule(priority={"default": "asap"})),
            r"rule CASH-01 priority: 'asap' is not one of",
        ),
        (
            rules_file(
                rule(
                    priority={
                        "default": "urgent",
                        "escalate": [{"to": "urgent", "when": {"housing": "unsafe"}}],
                    }
                )
            ),
            r"rule CASH-01: an escalation must rise above the default urgent",
        ),
        (
            rules_file(rule(priority={"escalate": [{"to": "urgent"}]})),
            r"rule CASH-01 escalate: an escalation is",
        ),
        (
            rules_file(rule(provider_type="bank")),
            r"rule CASH-01 provider_type: 'bank' is not one of",
        ),
        (rules_file(rule(target_days=0)), r"rule CASH-01: target_days must be"),
        (rules_file(rule(eligible_if="poor")), r"rule CASH-01: unknown keys eligible_if"),
        (
            rules_file(rule(examples=[QUALIFIES])),
            r"rule CASH-01: needs a qualifying and a non-qualifying",
        ),
        (
            rules_file(rule(examples=[QUALIFIES, DOES_NOT | {"situation": {"members": []}}])),
            r"rule CASH-01 example 2: situation: members",
        ),
        (
            rules_file(rule(examples=[QUALIFIES, DOES_NOT | {"circumstances": ["rich"]}])),
            r"rule CASH-01 example 2: circumstances: 'rich'",
        ),
        (
            rules_file(rule(), definitions={"loop": {"label": "loop", "when": {"ref": "loop"}}}),
            r"definition loop: ref 'loop' names no earlier definition",
        ),
        ({"version": "eligibility/1", "rules": [], "extra": 1}, r"top level has"),
        ({"version": "rules/1", "rules": []}, r"version must read"),
    ],
)
def test_a_broken_rule_file_is_refused_with_a_message_naming_the_rule(
    data: Any, message: str
) -> None:
    with pytest.raises(RuleFileError, match=message) as error:
        RuleSet.parse(copy.deepcopy(data), source="t.json")
    assert str(error.value).startswith("t.json: ")


def test_load_reads_the_packaged_rules() -> None:
    assert RuleSet.load(1).rules.keys() == CURRENT_RULES.rules.keys()
    with pytest.raises(RuleFileError, match=r"eligibility-v7\.json"):
        RuleSet.load(7)


def test_a_rule_file_naming_another_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        eligibility, "read_rule_file", lambda name: rules_file() | {"version": "eligibility/2"}
    )
    with pytest.raises(RuleFileError, match="says version 'eligibility/2'"):
        RuleSet.load(1)
