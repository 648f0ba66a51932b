"""Message catalogues: every message in Uzbek (Latin and Cyrillic) and Russian.

The wording lives in gettext ``.po`` files under ``locales/<locale>/LC_MESSAGES``,
the format translators' tools (Poedit, Weblate) read and write. Keys are
symbolic (``citizen.plan_approved``) so rewording one language never changes
the key the others are filed under. Babel reads the ``.po`` files directly
when a language is first used: there is no compile step whose stale ``.mo``
output could ship with newer wording. A test checks that every key of
:func:`notification.domain.templates.catalogue_keys` is translated, not fuzzy,
in every language, with exactly its template's placeholders.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import date, time
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType

from babel.dates import format_date, format_time
from babel.messages.pofile import read_po
from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.names import Language
from inson_contracts.codes.services import service

from notification.domain.templates import EMAIL_SUBJECT, TEMPLATE_PARAMS, ParamKind, Template

# Babel's locale identifiers for the BCP 47 tags citizens choose.
LOCALES: Mapping[Language, str] = MappingProxyType(
    {Language.UZ_LATN: "uz_Latn", Language.UZ_CYRL: "uz_Cyrl", Language.RU: "ru"}
)


class MissingMessage(LookupError):
    """A catalogue lacks a key: a deployment with an incomplete translation."""


def po_file(language: Language) -> Traversable:
    locale = LOCALES[language]
    return files("notification.messages").joinpath(f"locales/{locale}/LC_MESSAGES/messages.po")


@cache
def catalogue(language: Language) -> Mapping[str, str]:
    """Key -> wording for one language; fuzzy and empty entries do not count."""
    with po_file(language).open("rb") as handle:
        po = read_po(handle, locale=LOCALES[language])
    entries: dict[str, str] = {}
    for message in po:
        if not message.id or message.fuzzy or not isinstance(message.id, str):
            continue
        if isinstance(message.string, str) and message.string:
            entries[message.id] = message.string
    return MappingProxyType(entries)


def text(language: Language, key: str) -> str:
    try:
        return catalogue(language)[key]
    except KeyError:
        raise MissingMessage(f"no {LOCALES[language]} wording for {key!r}") from None


def placeholders(wording: str) -> frozenset[str]:
    """The ``{name}`` fields of a wording."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(wording) if name)


def _value(kind: ParamKind, raw: str, language: Language) -> str:
    locale = LOCALES[language]
    match kind:
        case ParamKind.TEXT:
            return raw
        case ParamKind.DATE:
            return format_date(date.fromisoformat(raw), "long", locale=locale)
        case ParamKind.TIME:
            return format_time(time.fromisoformat(raw), "short", locale=locale)
        case ParamKind.MESSAGE:
            return text(language, raw)
        case ParamKind.SERVICE:
            return service_name(raw, language)


def service_name(code: str, language: Language) -> str:
    """The service's name in ``language``, from the service catalogue.

    A code this release's catalogue does not know yet (referral deployed with
    a newer one) is written as the code: the message still carries what the
    citizen needs, the referral code, rather than failing for a name.
    """
    try:
        return service(code).name.in_language(language.value)
    except UnknownCode:
        return code


def render(template: Template, language: Language, params: Mapping[str, str]) -> str:
    """The message text of ``template`` in ``language``.

    KeyError if ``params`` lack one the template declares: a bug in a rule,
    better found loudly than sent as a message with a hole in it.
    """
    kinds = TEMPLATE_PARAMS[template]
    values = {name: _value(kind, params[name], language) for name, kind in kinds.items()}
    return text(language, template.value).format_map(values)


def subject(language: Language) -> str:
    """The subject line of an e-mail message."""
    return text(language, EMAIL_SUBJECT)
