"""Which script an answer is written in, from ``Accept-Language`` (RFC 9110 §12.5.4).

Uzbek is answered in Latin script unless Cyrillic is asked for (``uz``,
``uz-UZ`` and ``uz-Latn-UZ`` all mean Latin), Russian for ``ru`` and its
regional tags, and Latin Uzbek when the header is absent, names nothing we
write, or refuses everything (a 406 would help nobody read an error).
Quality values are honoured; for a script, the most specific range that
names it decides its quality, and among equals the one listed first wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inson_contracts.codes.names import Language

DEFAULT = Language.UZ_LATN
# The order a wildcard, or a tie within one range, is settled in.
PREFERENCE = (Language.UZ_LATN, Language.UZ_CYRL, Language.RU)
_QUALITY = re.compile(r"^q=(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$", re.IGNORECASE)
_RANGE = re.compile(r"^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$")
# At most this many ranges are read: the header is client input.
MAX_RANGES = 32


@dataclass(frozen=True)
class _Range:
    quality: float
    position: int
    specificity: int  # 0: "*", 1: a language, 2: a language and script
    scripts: tuple[Language, ...]


def _scripts(tag: str) -> tuple[tuple[Language, ...], int]:
    """The scripts a language range names, and how specifically it names them."""
    if tag == "*":
        return PREFERENCE, 0
    primary, *subtags = tag.lower().split("-")
    if primary == "ru":
        return (Language.RU,), 2
    if primary != "uz":
        return (), 0
    script = next((s for s in subtags if len(s) == 4 and s.isalpha()), None)
    if script is None:
        return (Language.UZ_LATN, Language.UZ_CYRL), 1
    return {"latn": (Language.UZ_LATN,), "cyrl": (Language.UZ_CYRL,)}.get(script, ()), 2


def _ranges(header: str) -> list[_Range]:
    found = []
    for position, element in enumerate(header.split(",")[:MAX_RANGES]):
        tag, *parameters = (part.strip() for part in element.split(";"))
        if not _RANGE.fullmatch(tag):
            continue
        quality = 1.0
        if parameters:
            matched = _QUALITY.fullmatch(parameters[0].replace(" ", ""))
            if matched is None:
                continue  # an element with a malformed weight is ignored, not guessed
            quality = float(matched.group(1))
        scripts, specificity = _scripts(tag)
        if scripts:
            found.append(_Range(quality, position, specificity, scripts))
    return found


def negotiate(header: str | None) -> Language:
    """The script to answer in for this ``Accept-Language`` header."""
    if not header:
        return DEFAULT
    decided: dict[Language, _Range] = {}
    for candidate in _ranges(header):
        for language in candidate.scripts:
            known = decided.get(language)
            if known is None or candidate.specificity > known.specificity:
                decided[language] = candidate
    acceptable = [(r, lang) for lang, r in decided.items() if r.quality > 0]
    if not acceptable:
        return DEFAULT
    _, best = max(
        acceptable,
        key=lambda pair: (pair[0].quality, -pair[0].position, -PREFERENCE.index(pair[1])),
    )
    return best
