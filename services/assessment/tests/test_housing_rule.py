"""The temporary housing rule (rules/housing-v1.json) and its decisions, pure: six calendar
months at the month edges (the 31st, February, leap years), consecutive registrations,
expiry the day after the last day, the end noted once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files
from typing import Any

import pytest
from assessment.domain.case_file import (
    CaseFile,
    CaseFileRuleViolation,
    decide_housing,
    decide_housing_expiry,
    decide_housing_reminder,
    evolve,
)
from assessment.domain.housing import (
    CURRENT_RULE,
    HousingRule,
    InvalidRegistration,
    add_months,
    local_day,
    term_errors,
)
from assessment.domain.rule_language import RuleFileError
from inson_contracts.events import Event, TemporaryHousingEndingSoon, TemporaryHousingGranted
from inson_contracts.events.values import Actor

RULE_FILE: dict[str, Any] = json.loads(
    (files("assessment.domain") / "rules" / "housing-v1.json").read_text(encoding="utf-8")
)
NOW = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize("example", RULE_FILE["examples"], ids=lambda e: e["why"])
def test_every_example_of_the_rule_file_holds(example: dict[str, str]) -> None:
    start, latest = (
        date.fromisoformat(example["valid_from"]),
        date.fromisoformat(example["latest_valid_until"]),
    )
    assert CURRENT_RULE.latest_end(start) == latest
    assert term_errors(start, latest, CURRENT_RULE) == []
    (refused,) = term_errors(start, latest + timedelta(days=1), CURRENT_RULE)
    assert refused["loc"] == ["valid_until"] and latest.isoformat() in refused["msg"]


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 3, 1), 6, date(2026, 9, 1)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # no 31 February
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # 2028 is a leap year
        (date(2099, 8, 31), 6, date(2100, 2, 28)),  # 2100 is not (a century)
        (date(2099, 8, 29), 6, date(2100, 2, 28)),
        (date(2399, 8, 29), 6, date(2400, 2, 29)),  # 2400 is (divisible by 400)
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 7, 31), 18, date(2028, 1, 31)),
    ],
)
def test_calendar_months_end_on_the_same_day_or_the_months_last(
    start: date, months: int, end: date
) -> None:
    assert add_months(start, months) == end


def test_six_calendar_months_allow_184_days_where_the_old_183_day_rule_refused() -> None:
    assert (date(2026, 9, 1) - date(2026, 3, 1)).days == 184
    assert term_errors(date(2026, 3, 1), date(2026, 9, 1), CURRENT_RULE) == []
    # ... and refuse 183 days where six months are shorter (August to February).
    assert term_errors(date(2026, 8, 31), date(2026, 8, 31) + timedelta(days=183), CURRENT_RULE)
    assert term_errors(date(2026, 3, 1), date(2026, 3, 1), CURRENT_RULE)[0]["msg"] == (
        "valid_until must be after valid_from"
    )


def test_the_rule_file_is_refused_when_an_example_does_not_hold_or_it_names_another_version() -> (
    None
):
    wrong = json.loads(json.dumps(RULE_FILE))
    wrong["examples"][0]["latest_valid_until"] = "2026-09-02"
    with pytest.raises(ValueError, match="example 2026-03-01"):
        HousingRule.model_validate(wrong)
    with pytest.raises(RuleFileError, match="no such file"):
        HousingRule.load(9)
    assert CURRENT_RULE.rule == "housing-v1" and CURRENT_RULE.max_term_months == 6
    assert CURRENT_RULE.reminder_days_before_end == 14
    for example in RULE_FILE["reminder_examples"]:
        first = CURRENT_RULE.first_reminder_day(date.fromisoformat(example["valid_until"]))
        assert first.isoformat() == example["first_reminder_day"]


def test_any_date_a_client_sends_is_judged_without_failing() -> None:
    assert add_months(date(9999, 12, 31), 6) == date.max
    assert term_errors(date(9999, 12, 1), date(9999, 12, 31), CURRENT_RULE) == []
    assert CURRENT_RULE.first_reminder_day(date(1, 1, 2)) == date.min
    far = folded(grant(date(9999, 7, 1), date.max, "h1"))
    with pytest.raises(CaseFileRuleViolation):
        decide_housing(far, grant(date(9999, 8, 1), date.max, "h2"), CURRENT_RULE)
    assert (
        decide_housing_reminder(
            folded(grant(date.min, date(1, 1, 5), "h1")), "h1", date(1, 1, 3), CURRENT_RULE, NOW
        )
        != []
    )


def test_days_are_days_in_tashkent() -> None:
    assert local_day(datetime(2026, 8, 31, 18, 59, tzinfo=UTC)) == date(2026, 8, 31)
    assert local_day(datetime(2026, 8, 31, 19, 0, tzinfo=UTC)) == date(2026, 9, 1)


def grant(
    start: date, end: date, reg: str, extends: str | None = None, reason: str | None = None
) -> TemporaryHousingGranted:
    return TemporaryHousingGranted(
        case_id="c1",
        registration_id=reg,
        institution_code="INST-1",
        valid_from=start,
        valid_until=end,
        decided_by=Actor(id="sup-1", role="supervisor"),
        decided_at=NOW,
        extends=extends,
        reason=reason,
    )


def folded(*events: Event) -> CaseFile:
    file = CaseFile("c1", district="1735207", worker_id="sw-1")
    for event in events:
        file = evolve(file, event)
    return file


FIRST = grant(date(2026, 3, 1), date(2026, 9, 1), "h1")


@pytest.mark.parametrize(
    ("start", "end", "consecutive"),
    [
        (date(2026, 9, 2), date(2027, 3, 1), True),  # the day after the last day
        (date(2026, 9, 1), date(2027, 3, 1), True),  # on the last day
        (date(2026, 6, 1), date(2026, 12, 1), True),  # overlapping
        (date(2026, 3, 2), date(2026, 8, 1), True),  # inside it
        (date(2025, 9, 1), date(2026, 2, 28), True),  # ending the day before it starts
        (date(2026, 9, 3), date(2027, 3, 3), False),  # a day between
        (date(2025, 9, 1), date(2026, 2, 27), False),
    ],
)
def test_a_consecutive_registration_is_the_supervisors_decision_with_a_reason(
    start: date, end: date, consecutive: bool
) -> None:
    file = folded(FIRST)
    if not consecutive:
        assert decide_housing(file, grant(start, end, "h2"), CURRENT_RULE) != []
        with pytest.raises(InvalidRegistration) as named:
            decide_housing(file, grant(start, end, "h2", "h1", "why"), CURRENT_RULE)
        assert named.value.errors[0]["loc"] == ["extends"]
        with pytest.raises(InvalidRegistration) as reason_alone:
            decide_housing(file, grant(start, end, "h2", None, "why"), CURRENT_RULE)
        assert reason_alone.value.errors[0]["loc"] == ["reason"]
        return
    with pytest.raises(CaseFileRuleViolation, match="supervisor's decision"):
        decide_housing(file, grant(start, end, "h2"), CURRENT_RULE)
    with pytest.raises(InvalidRegistration) as no_reason:
        decide_housing(file, grant(start, end, "h2", "h1", "  "), CURRENT_RULE)
    assert no_reason.value.errors == [
        {
            "loc": ["reason"],
            "msg": "continuing a registration takes the supervisor's reason",
            "type": "missing",
        }
    ]
    (granted,) = decide_housing(file, grant(start, end, "h2", "h1", "no place yet"), CURRENT_RULE)
    assert isinstance(granted, TemporaryHousingGranted)
    after = evolve(file, granted)
    continues_the_end = end > FIRST.valid_until
    assert (after.housing["h1"].extended_by == "h2") is continues_the_end


def test_each_further_term_is_a_decision_of_its_own() -> None:
    second = grant(date(2026, 9, 2), date(2027, 3, 2), "h2", "h1", "no place yet")
    file = folded(FIRST, second)
    third = grant(date(2026, 8, 1), date(2027, 1, 1), "h3", "h1", "again")
    with pytest.raises(CaseFileRuleViolation, match="already continued by h2"):
        decide_housing(file, third, CURRENT_RULE)
    after_second = grant(date(2027, 3, 3), date(2027, 9, 3), "h3")
    with pytest.raises(CaseFileRuleViolation, match="supervisor's decision"):
        decide_housing(file, after_second, CURRENT_RULE)
    decided = after_second.model_copy(update={"extends": "h2", "reason": "still no place"})
    assert decide_housing(file, decided, CURRENT_RULE) == [decided]


def test_expiry_is_the_day_after_the_last_day_and_once() -> None:
    file = folded(FIRST)
    assert decide_housing_expiry(file, "h1", date(2026, 9, 1)) == []
    (expired,) = decide_housing_expiry(file, "h1", date(2026, 9, 2))
    assert expired.expired_on == date(2026, 9, 1)
    ended = evolve(file, expired)
    assert decide_housing_expiry(ended, "h1", date(2026, 9, 3)) == []
    assert ended.housing["h1"].expired and ended.housing["h1"].status(date(2026, 9, 1)) == "ended"
    assert decide_housing_expiry(file, "nope", date(2027, 1, 1)) == []


def test_the_end_is_noted_once_within_the_lead_time_and_never_after_it() -> None:
    file = folded(FIRST)
    remind = decide_housing_reminder
    assert remind(file, "h1", date(2026, 8, 17), CURRENT_RULE, NOW) == []
    (noted,) = remind(file, "h1", date(2026, 8, 18), CURRENT_RULE, NOW)
    assert isinstance(noted, TemporaryHousingEndingSoon)
    assert (noted.valid_until, noted.lead_days, noted.rule) == (date(2026, 9, 1), 14, "housing-v1")
    assert remind(evolve(file, noted), "h1", date(2026, 8, 19), CURRENT_RULE, NOW) == []
    assert remind(file, "h1", date(2026, 9, 1), CURRENT_RULE, NOW) != []  # the last day
    assert remind(file, "h1", date(2026, 9, 2), CURRENT_RULE, NOW) == []  # over: it expires
    continued = evolve(file, grant(date(2026, 9, 2), date(2027, 3, 2), "h2", "h1", "r"))
    assert remind(continued, "h1", date(2026, 8, 20), CURRENT_RULE, NOW) == []
    assert remind(continued, "h2", date(2027, 2, 16), CURRENT_RULE, NOW) != []
