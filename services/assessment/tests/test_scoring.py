"""The need score: each factor of scoring-v1.json moves the score as the file documents."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from assessment.domain import scoring
from assessment.domain.need_factors import (
    CircumstanceFactor,
    DependencyFactor,
    HouseholdFactor,
    HousingFactor,
    IncomeFactor,
    MembersFactor,
    ResourceFactor,
    RiskFactor,
)
from assessment.domain.rule_language import read_rule_file
from assessment.domain.scoring import (
    CURRENT_MODEL,
    Levels,
    RuleFileError,
    ScoringModel,
    income_per_person,
    score,
)
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.events.assessment import (
    AssessedMember,
    DisabilityGroup,
    Employment,
    HouseholdSituation,
    HousingCondition,
    IncomeKind,
    IncomeSource,
    NeedLevel,
    ProtectionRisk,
    Resources,
    Schooling,
)
from inson_contracts.events.values import Relation, Sex

LINE = CURRENT_MODEL.reference_line.uzs_per_person_month
FACTORS = {f.id: f for f in CURRENT_MODEL.factors}


def person(ref: str, age: int, **kw: Any) -> AssessedMember:
    kw.setdefault("sex", Sex.FEMALE)
    kw.setdefault("employment", Employment.CHILD if age < 18 else Employment.EMPLOYED)
    if 6 <= age <= 17:
        kw.setdefault("schooling", Schooling.ATTENDING)
    return AssessedMember(member_ref=ref, age=age, **kw)


def parents_and_children(*children: AssessedMember) -> list[AssessedMember]:
    return [
        person("father", 40, sex=Sex.MALE),
        person("mother", 38, relation=Relation.SPOUSE),
        *children,
    ]


def household(members: list[AssessedMember] | None = None, **kw: Any) -> HouseholdSituation:
    """Two working parents and two schoolchildren, well above the line: no factor applies."""
    members = members or parents_and_children(
        person("son", 12, sex=Sex.MALE, relation=Relation.CHILD),
        person("daughter", 9, relation=Relation.CHILD),
    )
    kw.setdefault(
        "income_sources", [IncomeSource(kind=IncomeKind.WAGES, monthly_amount_uzs=12 * LINE)]
    )
    kw.setdefault("housing", HousingCondition.ADEQUATE)
    return HouseholdSituation(members=members, **kw)


def child(ref: str, age: int, **kw: Any) -> AssessedMember:
    return person(ref, age, relation=Relation.CHILD, **kw)


def test_the_baseline_household_scores_nothing() -> None:
    need = score(household(), [])
    assert (need.total, need.level, need.contributions) == (0, NeedLevel.LOW, ())
    assert need.model == "need-score/1"
    assert need.income_per_person_uzs == 3 * LINE


def members_points(factor_id: str, count: int) -> float:
    factor = FACTORS[factor_id]
    assert isinstance(factor, MembersFactor)
    return factor.points_each * count


FLAGS = (HouseholdFactor, HousingFactor, RiskFactor, ResourceFactor, CircumstanceFactor)


def flag_points(factor_id: str) -> float:
    factor = FACTORS[factor_id]
    assert isinstance(factor, FLAGS)
    return factor.points


MEMBER_CASES = [
    ("disability_group_1", [child("c", 12, disability_group=DisabilityGroup.GROUP_1)], 1),
    ("disability_group_2", [child("c", 19, disability_group=DisabilityGroup.GROUP_2)], 1),
    ("disability_group_3", [child("c", 19, disability_group=DisabilityGroup.GROUP_3)], 1),
    (
        "child_with_disability",
        [
            child("c", 7, disability_group=DisabilityGroup.CHILD_WITH_DISABILITY),
            child("d", 9, disability_group=DisabilityGroup.CHILD_WITH_DISABILITY),
        ],
        2,
    ),
    ("chronic_illness_without_group", [child("c", 19, chronic_illness=True)], 1),
    ("children_out_of_school", [child("c", 13, schooling=Schooling.NOT_ATTENDING)], 1),
    ("unemployed_working_age", [child("c", 22, employment=Employment.UNEMPLOYED_SEEKING)], 1),
]


@pytest.mark.parametrize(("factor_id", "children", "count"), MEMBER_CASES)
def test_member_factors_add_their_points_per_member(
    factor_id: str, children: list[AssessedMember], count: int
) -> None:
    need = score(household(parents_and_children(*children)), [])
    assert [(c.factor, c.points) for c in need.contributions] == [
        (factor_id, members_points(factor_id, count))
    ]
    assert need.total == members_points(factor_id, count) > 0


def test_two_members_needing_daily_help_read_plainly() -> None:
    grandparents = [
        person("gm", 70, relation=Relation.PARENT, needs_help_with_daily_living=True),
        person("gf", 72, relation=Relation.PARENT, needs_help_with_daily_living=True),
    ]
    need = score(household(parents_and_children(*grandparents)), [])
    (line,) = need.contributions
    assert line.factor == "needs_daily_help"
    assert line.explanation == "2 members needing help with daily living: +12"
    one = score(household(parents_and_children(grandparents[0])), [])
    assert one.contributions[0].explanation == "1 member needing help with daily living: +6"


def test_disability_groups_weigh_1_over_2_over_3_and_a_child_between_1_and_2() -> None:
    p = {g: members_points(f"disability_group_{g}", 1) for g in (1, 2, 3)}
    assert p[1] > members_points("child_with_disability", 1) > p[2] > p[3] > 0


def test_unemployed_members_count_up_to_three() -> None:
    unemployed = [
        child(f"c{i}", 20 + i, employment=Employment.UNEMPLOYED_SEEKING) for i in range(4)
    ]
    need = score(household(parents_and_children(*unemployed)), [])
    lines = {c.factor: c.points for c in need.contributions}
    assert lines["unemployed_working_age"] == members_points("unemployed_working_age", 3)


def test_a_person_of_65_or_over_living_alone_is_a_lonely_elderly_person() -> None:
    alone = [person("a", 65, employment=Employment.PENSIONER)]
    need = score(household(alone), [])
    assert [c.factor for c in need.contributions] == ["lonely_elderly_alone"]
    assert need.total == flag_points("lonely_elderly_alone")
    younger = score(household([person("a", 64, employment=Employment.PENSIONER)]), [])
    assert younger.contributions == ()


@pytest.mark.parametrize(
    ("members", "band"),
    [
        ([person("a", 40), child("b", 3), child("c", 5), child("d", 8)], 0),  # 3 per supporter
        ([person("a", 70), person("b", 68)], 0),  # no one of working age
        ([person("a", 40), child("b", 3), child("c", 5)], 1),  # 2 per supporter
        ([person("a", 40), person("b", 38), child("c", 3), child("d", 5), child("e", 8)], 2),
    ],
)
def test_dependency_ratio_falls_in_its_band(members: list[AssessedMember], band: int) -> None:
    factor = FACTORS["dependency_ratio"]
    assert isinstance(factor, DependencyFactor)
    lines = {c.factor: c.points for c in score(household(members), []).contributions}
    assert lines == {"dependency_ratio": factor.bands[band].points}


def test_one_dependant_per_supporter_adds_nothing() -> None:
    assert score(household(), []).contributions == ()


@pytest.mark.parametrize("risk", list(ProtectionRisk))
def test_each_protection_risk_adds_its_points(risk: ProtectionRisk) -> None:
    (line,) = score(household(protection_risks=[risk]), []).contributions
    assert line.points == flag_points(line.factor) > 0
    factor = FACTORS[line.factor]
    assert isinstance(factor, RiskFactor) and factor.risk is risk


@pytest.mark.parametrize(
    ("housing", "factor_id"),
    [
        (HousingCondition.NO_HOUSING, "housing_none"),
        (HousingCondition.UNSAFE, "housing_unsafe"),
        (HousingCondition.OVERCROWDED, "housing_overcrowded"),
        (HousingCondition.NEEDS_REPAIR, "housing_needs_repair"),
    ],
)
def test_each_housing_condition_adds_its_points(housing: HousingCondition, factor_id: str) -> None:
    need = score(household(housing=housing), [])
    assert [(c.factor, c.points) for c in need.contributions] == [
        (factor_id, flag_points(factor_id))
    ]


def test_housing_points_rank_no_housing_over_unsafe_over_overcrowded_over_repair() -> None:
    ids = ["housing_none", "housing_unsafe", "housing_overcrowded", "housing_needs_repair"]
    points = [flag_points(i) for i in ids]
    assert points == sorted(points, reverse=True) and points[-1] > 0


def test_a_needed_rehabilitation_device_adds_its_points() -> None:
    need = score(household(), [Circumstance.NEEDS_REHABILITATION_DEVICE])
    assert [c.factor for c in need.contributions] == ["needs_rehabilitation_device"]
    assert need.total == flag_points("needs_rehabilitation_device")


@pytest.mark.parametrize(
    ("resources", "factor_id"),
    [
        (Resources(relatives_support=True), "resource_relatives_support"),
        (Resources(owns_home=True), "resource_owns_home"),
        (Resources(land_plot=True), "resource_land_plot"),
        (Resources(livestock=True), "resource_livestock"),
        (Resources(skills=["tailoring"]), "resource_skills"),
    ],
)
def test_each_resource_lowers_the_need(resources: Resources, factor_id: str) -> None:
    hardship = [ProtectionRisk.VIOLENCE_AT_HOME]
    before = score(household(protection_risks=hardship), [])
    after = score(household(protection_risks=hardship, resources=resources), [])
    assert after.total - before.total == flag_points(factor_id) < 0
    assert after.contributions[-1].explanation.endswith(f": {flag_points(factor_id):+g}")


def test_every_factor_points_in_its_documented_direction() -> None:
    """Hardship adds to the need; the family's own resources subtract from it."""
    for factor in CURRENT_MODEL.factors:
        if isinstance(factor, IncomeFactor | DependencyFactor):
            points = [b.points for b in factor.bands]
        elif isinstance(factor, MembersFactor):
            points = [factor.points_each]
        else:
            points = [factor.points]
        if isinstance(factor, ResourceFactor):
            assert all(p < 0 for p in points), factor.id
        else:
            assert all(p > 0 for p in points), factor.id


@pytest.mark.parametrize(
    ("per_person", "band"),
    [
        (0, 0),
        (LINE // 2 - 1, 0),
        (LINE // 2, 1),
        (LINE * 3 // 4 - 1, 1),
        (LINE * 3 // 4, 2),
        (LINE - 1, 2),
    ],
)
def test_income_below_the_line_falls_in_its_band(per_person: int, band: int) -> None:
    factor = FACTORS["income_per_person"]
    assert isinstance(factor, IncomeFactor)
    income = [IncomeSource(kind=IncomeKind.WAGES, monthly_amount_uzs=per_person * 4)]
    need = score(household(income_sources=income), [])
    assert need.income_per_person_uzs == per_person
    assert [(c.factor, c.points) for c in need.contributions] == [
        ("income_per_person", factor.bands[band].points)
    ]
    assert "648,000 UZS/month" in need.contributions[0].explanation


def test_income_at_the_line_adds_nothing() -> None:
    income = [IncomeSource(kind=IncomeKind.PENSION, monthly_amount_uzs=4 * LINE)]
    assert score(household(income_sources=income), []).contributions == ()


def test_the_reference_line_is_648000_and_marked_as_an_assumption() -> None:
    assert LINE == 648_000
    assert "configurable assumption" in CURRENT_MODEL.reference_line.assumption


def test_income_per_person_is_the_monthly_total_divided_and_rounded_down() -> None:
    income = [
        IncomeSource(kind=IncomeKind.WAGES, monthly_amount_uzs=1_000_000),
        IncomeSource(kind=IncomeKind.CHILD_ALLOWANCE, monthly_amount_uzs=1),
    ]
    members = [person("a", 30), child("b", 3), child("c", 4)]
    assert income_per_person(household(members, income_sources=income)) == 333_333


def test_resources_alone_clamp_the_total_at_zero_but_stay_listed() -> None:
    need = score(household(resources=Resources(owns_home=True, livestock=True)), [])
    assert need.total == 0 and need.level is NeedLevel.LOW
    assert [c.points for c in need.contributions] == [-4, -4]


def test_need_score_1_is_pinned() -> None:
    """A published model never changes: this household scores the same forever."""
    members = [
        person("a", 34, employment=Employment.UNEMPLOYED_SEEKING, sex=Sex.MALE),
        person("b", 31, relation=Relation.SPOUSE, employment=Employment.CARER),
        child("c", 10, disability_group=DisabilityGroup.CHILD_WITH_DISABILITY),
        child("d", 14, schooling=Schooling.NOT_ATTENDING),
        child("e", 1),
    ]
    situation = household(
        members,
        income_sources=[
            IncomeSource(kind=IncomeKind.CHILD_ALLOWANCE, monthly_amount_uzs=1_200_000)
        ],
        housing=HousingCondition.OVERCROWDED,
        protection_risks=[ProtectionRisk.CHILD_LABOUR],
        resources=Resources(relatives_support=True),
    )
    need = score(situation, [Circumstance.LOW_INCOME])
    assert [(c.factor, c.points) for c in need.contributions] == [
        ("income_per_person", 30),
        ("child_with_disability", 10),
        ("children_out_of_school", 6),
        ("unemployed_working_age", 5),
        ("dependency_ratio", 3),
        ("risk_child_labour", 15),
        ("housing_overcrowded", 6),
        ("resource_relatives_support", -6),
    ]
    assert (need.total, need.level, need.income_per_person_uzs) == (69, NeedLevel.CRITICAL, 240_000)
    assert need.total == sum(c.points for c in need.contributions)


def test_the_same_inputs_always_give_the_same_score() -> None:
    situation = household(
        parents_and_children(child("c", 4, needs_help_with_daily_living=True)),
        housing=HousingCondition.UNSAFE,
        resources=Resources(land_plot=True),
    )
    circumstances = [Circumstance.NEEDS_REHABILITATION_DEVICE, Circumstance.DISABILITY]
    first = score(situation, circumstances)
    assert score(situation, circumstances) == first
    reordered = situation.model_copy(update={"members": list(reversed(situation.members))})
    assert score(reordered, list(reversed(circumstances)) * 2) == first


def test_explanations_hold_no_personal_data() -> None:
    pinfl, name = "31203199512345", "Karimova Dilnoza"
    members = [
        person(
            f"m-{pinfl}", 71, employment=Employment.PENSIONER, needs_help_with_daily_living=True
        ),
        child("Dilnoza", 13, schooling=Schooling.NOT_ATTENDING, chronic_illness=True),
    ]
    situation = household(
        members,
        income_sources=[IncomeSource(kind=IncomeKind.PENSION, monthly_amount_uzs=777_777)],
        protection_risks=list(ProtectionRisk),
        housing=HousingCondition.UNSAFE,
        resources=Resources(skills=[f"sewing, taught by {name}"], owns_home=True),
        observations=f"{name}, PINFL {pinfl}, age 71",
    )
    need = score(situation, list(Circumstance))
    assert len(need.contributions) > 10
    for line in need.contributions:
        text = line.explanation
        assert pinfl not in text and "Dilnoza" not in text and "Karimova" not in text
        assert "71" not in text and "388" not in text and "777" not in text  # age, income
        assert not re.search(r"\d{14}", text)
        assert re.fullmatch(r".+: [+-]\d+(\.\d+)?", text)


@pytest.mark.parametrize(
    ("total", "level"),
    [
        (0, NeedLevel.LOW),
        (14.99, NeedLevel.LOW),
        (15, NeedLevel.MODERATE),
        (34.99, NeedLevel.MODERATE),
        (35, NeedLevel.HIGH),
        (59.99, NeedLevel.HIGH),
        (60, NeedLevel.CRITICAL),
        (500, NeedLevel.CRITICAL),
    ],
)
def test_level_thresholds_of_model_1(total: float, level: NeedLevel) -> None:
    assert CURRENT_MODEL.levels.level_for(total) is level


def test_a_score_reaching_a_threshold_takes_its_level() -> None:
    # housing_none (+25) and neglect (+15) reach "high" exactly at 40 >= 35; minus
    # skills (-3) and owns_home (-4): 33, moderate.
    high = score(
        household(housing=HousingCondition.NO_HOUSING, protection_risks=[ProtectionRisk.NEGLECT]),
        [],
    )
    assert (high.total, high.level) == (40, NeedLevel.HIGH)
    lower = score(
        household(
            housing=HousingCondition.NO_HOUSING,
            protection_risks=[ProtectionRisk.NEGLECT],
            resources=Resources(skills=["baking"], owns_home=True),
        ),
        [],
    )
    assert (lower.total, lower.level) == (33, NeedLevel.MODERATE)


# --- the model file is checked as it loads -----------------------------------------------


def raw_model() -> dict[str, Any]:
    data = read_rule_file("scoring-v1.json")
    assert isinstance(data, dict)
    return copy.deepcopy(data)


def test_load_reads_the_packaged_model() -> None:
    assert ScoringModel.load(1) == CURRENT_MODEL
    with pytest.raises(RuleFileError, match=r"scoring-v99\.json"):
        ScoringModel.load(99)


def test_a_model_file_naming_another_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = raw_model() | {"model": "need-score/2"}
    monkeypatch.setattr(scoring, "read_rule_file", lambda name: data)
    with pytest.raises(RuleFileError, match="not need-score/1"):
        ScoringModel.load(1)


def broken(change: Any) -> dict[str, Any]:
    data = raw_model()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["factors"][1].update(weight=3), "weight"),
        (lambda d: d["factors"][1].update(kind="magic"), "magic"),
        (lambda d: d["factors"][1]["member"].update(disability_group=["group_9"]), "group_9"),
        (lambda d: d["factors"][2].update(id="disability_group_1"), "used twice"),
        (lambda d: d["factors"][1].update(explanation="{name} has group 1"), "placeholder"),
        (lambda d: d["factors"][1].update(explanation="x" * 300), "too long"),
        (lambda d: d["factors"][0]["bands"].reverse(), "rising"),
        (lambda d: d["levels"].update(high=70), "levels must rise"),
        (lambda d: d["factors"][1]["member"].update(age_min=60, age_max=18), "age_min"),
        (lambda d: d["reference_line"].pop("assumption"), "assumption"),
    ],
)
def test_a_broken_model_file_is_refused_with_a_clear_error(change: Any, message: str) -> None:
    with pytest.raises(RuleFileError, match=message) as error:
        ScoringModel.parse(broken(change), source="scoring-test.json")
    assert str(error.value).startswith("scoring-test.json: ")


def test_levels_must_rise() -> None:
    with pytest.raises(ValueError, match="rise"):
        Levels(moderate=20, high=10, critical=30)
