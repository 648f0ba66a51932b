"""Property-based tests of the intake API's validation rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from intake.api.schemas import ApplicantIn
from pydantic import ValidationError

CENTURY_DIGIT = {1800: "12", 1900: "34", 2000: "56"}


def applicant(**fields: object) -> dict[str, object]:
    return {
        "name": {"last_name": "Karimova", "first_name": "Dilnoza"},
        "birth_date": "1985-01-30",
        "sex": "female",
        "language": "uz-Latn",
        **fields,
    }


@st.composite
def pinfls(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)))
    first = draw(st.sampled_from(CENTURY_DIGIT[born.year // 100 * 100]))
    rest = draw(st.text(alphabet="0123456789", min_size=7, max_size=7))
    return f"{first}{born:%d%m%y}{rest}"


@given(pinfls())
def test_every_well_formed_pinfl_is_accepted(pinfl: str) -> None:
    assert ApplicantIn.model_validate(applicant(pinfl=pinfl)).pinfl == pinfl


@given(st.text(max_size=20).filter(lambda s: not (len(s) == 14 and s.isascii() and s.isdigit())))
def test_anything_but_14_digits_is_refused_as_pinfl(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ApplicantIn.model_validate(applicant(pinfl=text))
    assert caught.value.errors()[0]["loc"] == ("pinfl",)


@given(
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.sampled_from(["", "998", "+998"]),
    st.sampled_from(["", " ", "-"]),
)
def test_uzbek_phone_numbers_in_any_usual_writing_normalise_to_one_form(
    digits: str, prefix: str, sep: str
) -> None:
    written = prefix + sep + digits[:2] + sep + digits[2:5] + sep + digits[5:7] + sep + digits[7:]
    assert ApplicantIn.model_validate(applicant(phone=written)).phone == "+998" + digits


@given(st.dates(min_value=date.today() + timedelta(days=1), max_value=date(2999, 12, 31)))
def test_birth_dates_in_the_future_are_refused(born: date) -> None:
    with pytest.raises(ValidationError, match="future"):
        ApplicantIn.model_validate(applicant(birth_date=born.isoformat()))
