"""Names in the three scripts and languages citizens read.

Uzbek is written in Latin script (the official one) and, by many older
readers, in Cyrillic; Russian is the third. Every code list here names its
entries in all three, so a message can go out in the script the citizen chose.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

CYRILLIC = re.compile(r"[\u0400-\u04FF]")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Language(StrEnum):
    """BCP 47 tags of the scripts and languages citizens can choose."""

    UZ_LATN = "uz-Latn"
    UZ_CYRL = "uz-Cyrl"
    RU = "ru"


# BCP 47 tags compare case-insensitively, so "uz-latn" from a browser is the same tag.
_BY_LOWER_TAG = {member.value.lower(): member for member in Language}


def language(tag: str) -> Language:
    """The Language for a tag, or ValueError naming the tags that are accepted."""
    try:
        return _BY_LOWER_TAG[tag.strip().lower()]
    except KeyError:
        accepted = ", ".join(member.value for member in Language)
        raise ValueError(f"unsupported language tag {tag!r}; use one of {accepted}") from None


class LocalizedName(BaseModel):
    """One name in Uzbek Latin, Uzbek Cyrillic and Russian."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    uz_latn: Text
    uz_cyrl: Text
    ru: Text

    # A transliteration mix-up (Cyrillic pasted as Latin or the reverse) is
    # the usual error in hand-kept name tables; catch it where names are made.
    @field_validator("uz_latn")
    @classmethod
    def _latin(cls, value: str) -> str:
        if CYRILLIC.search(value):
            raise ValueError(f"uz-Latn name {value!r} contains Cyrillic letters")
        return value

    @field_validator("uz_cyrl")
    @classmethod
    def _cyrillic(cls, value: str) -> str:
        if not CYRILLIC.search(value):
            raise ValueError(f"uz-Cyrl name {value!r} contains no Cyrillic letters")
        return value

    def in_language(self, tag: str) -> str:
        """The name for a language tag ("uz-Latn", "uz-Cyrl", "ru"); ValueError otherwise."""
        match language(tag):
            case Language.UZ_LATN:
                return self.uz_latn
            case Language.UZ_CYRL:
                return self.uz_cyrl
            case Language.RU:
                return self.ru


def name(uz_latn: str, uz_cyrl: str, ru: str) -> LocalizedName:
    """Positional shorthand that keeps the data tables one entry per line."""
    return LocalizedName(uz_latn=uz_latn, uz_cyrl=uz_cyrl, ru=ru)
