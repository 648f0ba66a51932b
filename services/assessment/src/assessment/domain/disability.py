"""A member's disability status by age. Pure.

In Uzbekistan the medical-social expert commission recognises a child (under
18) as a "child with a disability"; groups I-III apply from 18. A
questionnaire that says otherwise is refused where it is submitted (the
completion command, 422 naming the member's field), not in the event class:
assessments recorded before this rule must still read.
"""

from __future__ import annotations

from typing import Any

from inson_contracts.events.assessment import DisabilityGroup, HouseholdSituation

ADULT_AGE = 18
CHILD = DisabilityGroup.CHILD_WITH_DISABILITY


def disability_errors(situation: HouseholdSituation) -> list[dict[str, Any]]:
    """Each member whose disability status does not fit their age, by field.

    The message names the rule, never the member's age or status (health data).
    """
    errors: list[dict[str, Any]] = []
    for n, member in enumerate(situation.members):
        group = member.disability_group
        if group is None:
            continue
        if member.age < ADULT_AGE and group is not CHILD:
            msg = "under 18 the status is child_with_disability: groups I-III apply from 18"
        elif member.age >= ADULT_AGE and group is CHILD:
            msg = "from 18 the status is group_1, group_2 or group_3, not child_with_disability"
        else:
            continue
        errors.append(
            {"loc": ["members", n, "disability_group"], "msg": msg, "type": "value_error"}
        )
    return errors
