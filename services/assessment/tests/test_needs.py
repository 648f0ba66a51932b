"""Needs-driven drafts: every need rule against its examples, three households drafted
exactly, exclusive services never drafted together, and a bad rule file refused."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from assessment.domain.eligibility import CURRENT_RULES, eligible_services, facts_of
from assessment.domain.needs import CURRENT_NEEDS, NeedRules, NeedsDraft, draft_from_needs
from assessment.domain.rule_language import RuleFileError, read_rule_file
from assessment.domain.scoring import score
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.events.assessment import HouseholdSituation

RAW: dict[str, Any] = read_rule_file("needs-v1.json")  # type: ignore[assignment]
EXAMPLES = [
    pytest.param(need, example, id=f"{need.code}-{n}")
    for need in CURRENT_NEEDS.needs.values()
    for n, example in enumerate(need.examples)
]


def drafted(
    situation: dict[str, Any] | HouseholdSituation,
    circumstances: list[str],
    rules: NeedRules = CURRENT_NEEDS,
) -> NeedsDraft:
    household = HouseholdSituation.model_validate(situation)
    known = [Circumstance(c) for c in circumstances]
    need = score(household, known)
    eligible = eligible_services(household, known, need)
    return draft_from_needs(facts_of(household, known, need), eligible, rules=rules)


def codes(draft: NeedsDraft) -> set[str]:
    return {d.eligibility.service_code for d in draft.drafted}


@pytest.mark.parametrize(("need", "example"), EXAMPLES)
def test_every_need_holds_for_its_examples_as_they_say(need: Any, example: Any) -> None:
    household, circumstances = example.situation, list(example.circumstances)
    facts = facts_of(household, circumstances, score(household, circumstances))
    assert (need.when.reasons(facts) is not None) is example.qualifies, example.note
    if example.qualifies:
        # The need is answered: a service of it is drafted and names the need.
        found = drafted(household, [c.value for c in circumstances])
        answering = [d for d in found.drafted if need.code in d.needs]
        assert answering, f"{need.code}: nothing the household is eligible for answers it"
        assert {d.eligibility.service_code for d in answering} <= set(need.services)


def test_every_service_a_need_names_has_an_eligibility_rule() -> None:
    named = {code for need in CURRENT_NEEDS.needs.values() for code in need.services}
    assert named <= set(CURRENT_RULES.rules), named - set(CURRENT_RULES.rules)
    assert CURRENT_NEEDS.version == "needs/1"


PARENTS = [
    {"member_ref": "b", "relation": "parent", "age": 36, "sex": "female", "employment": "employed"},
    {"member_ref": "c", "relation": "parent", "age": 40, "sex": "male", "employment": "employed"},
]
AMPUTEE: dict[str, Any] = {
    "members": [
        {
            "member_ref": "a",
            "age": 9,
            "sex": "male",
            "employment": "child",
            "schooling": "attending",
            "disability_group": "child_with_disability",
            "functional_limitations": ["limb_loss"],
        },
        *PARENTS,
    ],
    "income_sources": [
        {"kind": "wages", "monthly_amount_uzs": 6000000},
        {"kind": "disability_benefit", "monthly_amount_uzs": 1100000},
    ],
    "housing": "adequate",
}
LONELY_ELDER: dict[str, Any] = {
    "members": [
        {
            "member_ref": "a",
            "age": 78,
            "sex": "female",
            "employment": "pensioner",
            "needs_help_with_daily_living": True,
            "chronic_illness": True,
        }
    ],
    "income_sources": [{"kind": "pension", "monthly_amount_uzs": 900000}],
    "housing": "adequate",
}
CHILD_AT_RISK: dict[str, Any] = {
    "members": [
        {"member_ref": "a", "age": 29, "sex": "female", "employment": "unemployed_seeking"},
        {
            "member_ref": "b",
            "relation": "child",
            "age": 7,
            "sex": "male",
            "employment": "child",
            "schooling": "attending",
        },
        {"member_ref": "c", "relation": "child", "age": 4, "sex": "female", "employment": "child"},
    ],
    "income_sources": [{"kind": "child_allowance", "monthly_amount_uzs": 400000}],
    "housing": "overcrowded",
    "protection_risks": ["neglect"],
}


def test_a_child_who_lost_a_leg_gets_a_prosthesis_not_every_device() -> None:
    found = drafted(AMPUTEE, ["disability", "needs_rehabilitation_device"])
    assert codes(found) == {"REHAB-01", "REHAB-08", "DIS-04"}
    by_code = {d.eligibility.service_code: d.needs for d in found.drafted}
    assert by_code["REHAB-01"] == ("prosthesis",)
    assert by_code["DIS-04"] == ("rehabilitation_programme",)
    # Eligible, not needed: offered, not drafted (a hearing aid, aids for the blind,
    # a sign-language interpreter, a speech therapist).
    offered = {e.service_code for e in found.offered}
    assert {"REHAB-03", "REHAB-06", "DIS-02", "EDU-02", "REHAB-02"} <= offered
    assert not offered & codes(found)


def test_a_lonely_elderly_woman_needing_care_gets_care_at_home() -> None:
    found = drafted(LONELY_ELDER, ["lonely_elderly", "needs_care_by_others"])
    assert codes(found) == {"HOME-01", "HOME-02", "HLTH-03", "HOME-07", "HLTH-02", "HLTH-01"}
    needs = {n.code for n in found.needs}
    assert {"personal_care", "home_nursing", "meals_at_home", "medicines"} <= needs
    # A day centre is for those who manage alone; a residential home is the last resort.
    assert {"HOME-03", "HOME-05"} <= {e.service_code for e in found.offered}


def test_a_family_with_a_neglected_child_is_supported_not_split() -> None:
    found = drafted(CHILD_AT_RISK, ["child_at_risk", "low_income"])
    assert codes(found) == {
        "CHILD-04",
        "FAM-01",
        "FAM-02",
        "FAM-06",
        "CASH-01",
        "CASH-03",
        "KIND-01",
        "EMP-05",
        "CASH-07",
        "EDU-05",
        "HOUSE-04",
    }
    # Foster placement is eligible (neglect) but never beside keeping the child at home.
    assert "CHILD-01" in {e.service_code for e in found.offered}


def test_exclusive_services_are_never_drafted_together_the_first_listed_wins() -> None:
    raw = copy.deepcopy(RAW)
    # A need that would also place the neglected child in a foster family.
    raw["needs"].append(
        {**next(n for n in raw["needs"] if n["need"] == "foster_care"), "need": "placement"}
    )
    raw["needs"][-1]["when"] = {"risk": "neglect"}
    raw["needs"][-1]["examples"] = next(
        n for n in raw["needs"] if n["need"] == "family_preservation"
    )["examples"]
    rules = NeedRules.parse(raw, source="test")
    found = drafted(CHILD_AT_RISK, ["child_at_risk", "low_income"], rules)
    assert "CHILD-04" in codes(found) and "CHILD-01" not in codes(found)
    assert "CHILD-01" in {e.service_code for e in found.offered}
    without = NeedRules.parse({**raw, "exclusive": []}, source="test")
    assert {"CHILD-04", "CHILD-01"} <= codes(drafted(CHILD_AT_RISK, ["child_at_risk"], without))


def test_a_service_answering_two_needs_names_both() -> None:
    household = copy.deepcopy(AMPUTEE)
    household["members"][0]["functional_limitations"] = ["learning"]
    household["members"][0]["schooling"] = "not_attending"
    found = drafted(household, ["disability"])
    by_code = {d.eligibility.service_code: d.needs for d in found.drafted}
    assert by_code["EDU-03"] == ("special_education", "schooling")


def test_no_need_drafts_nothing_and_offers_what_is_eligible() -> None:
    # A child with a disability group, no limitation recorded, at school, the benefit paid.
    household = copy.deepcopy(AMPUTEE)
    household["members"][0]["functional_limitations"] = []
    found = drafted(household, ["disability"])
    assert found.drafted == () and found.needs == ()
    assert {"DIS-04", "HOME-04", "EDU-02"} <= {e.service_code for e in found.offered}


def bad(change: Any) -> str:
    raw = copy.deepcopy(RAW)
    change(raw)
    with pytest.raises(RuleFileError) as refused:
        NeedRules.parse(json.loads(json.dumps(raw)), source="needs-test.json")
    return str(refused.value)


def test_a_bad_needs_file_is_refused_naming_the_part() -> None:
    first = lambda raw: raw["needs"][0]  # noqa: E731
    assert "unknown service codes ZZZ-99" in bad(lambda r: first(r)["services"].append("ZZZ-99"))
    assert "snake_case" in bad(lambda r: first(r).update(need="Prosthesis"))
    assert "defined twice" in bad(lambda r: r["needs"].append(r["needs"][0]))
    assert "qualifying and a non-qualifying" in bad(
        lambda r: first(r).update(examples=first(r)["examples"][:1])
    )
    assert "two services or more" in bad(
        lambda r: r["exclusive"].append({"services": ["HOME-01"], "why": "alone"})
    )
    assert "unknown keys colour" in bad(lambda r: first(r).update(colour="red"))
    assert "missing summary" in bad(lambda r: first(r).pop("summary"))
    assert "needs/<N>" in bad(lambda r: r.update(version="eligibility/1"))
