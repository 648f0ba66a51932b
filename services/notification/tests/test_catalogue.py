"""The message catalogues are complete: every message in all three languages."""

from __future__ import annotations

import gettext
import io

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from inson_contracts.codes.names import CYRILLIC, Language
from inson_contracts.events.referral import RejectionCode
from notification.domain.templates import (
    EMAIL_SUBJECT,
    TEMPLATE_PARAMS,
    Template,
    catalogue_keys,
    rejection_message,
)
from notification.messages.catalogue import (
    LOCALES,
    MissingMessage,
    catalogue,
    placeholders,
    po_file,
    text,
)

LANGUAGES = list(Language)


def raw_po(language: Language) -> list[tuple[str, str, bool]]:
    with po_file(language).open("rb") as handle:
        po = read_po(handle, locale=LOCALES[language])
    return [(str(m.id), str(m.string), m.fuzzy) for m in po if m.id]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_every_message_and_nothing_else(language: Language) -> None:
    entries = raw_po(language)
    keys = [key for key, _, _ in entries]
    assert len(keys) == len(set(keys)), "a key is defined twice"
    assert set(keys) == catalogue_keys()
    assert [key for key, wording, fuzzy in entries if fuzzy or not wording.strip()] == []
    assert set(catalogue(language)) == catalogue_keys()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_has_exactly_its_placeholders(language: Language) -> None:
    for template, params in TEMPLATE_PARAMS.items():
        assert placeholders(text(language, template.value)) == set(params), template
    others = catalogue_keys() - {t.value for t in Template}
    for key in others:
        assert placeholders(text(language, key)) == set(), key


def test_the_table_of_templates_covers_every_template_and_rejection_code() -> None:
    assert set(TEMPLATE_PARAMS) == set(Template)
    assert {rejection_message(code) for code in RejectionCode} <= catalogue_keys()
    assert EMAIL_SUBJECT in catalogue_keys()


def test_each_language_is_written_in_its_script() -> None:
    for key in catalogue_keys():
        latin = text(Language.UZ_LATN, key)
        cyrillic = text(Language.UZ_CYRL, key)
        russian = text(Language.RU, key)
        assert not CYRILLIC.search(latin), latin
        assert CYRILLIC.search(cyrillic) and CYRILLIC.search(russian), key
        # Uzbek Cyrillic is not Russian: a copy-paste slip shows as equal texts.
        assert cyrillic != russian, key


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_po_files_compile_to_gettext_catalogues(language: Language) -> None:
    with po_file(language).open("rb") as handle:
        po = read_po(handle, locale=LOCALES[language])
    compiled = io.BytesIO()
    write_mo(compiled, po)
    compiled.seek(0)
    translations = gettext.GNUTranslations(compiled)
    for key in catalogue_keys():
        assert translations.gettext(key) == text(language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_citizen_messages_fit_in_three_sms_parts(language: Language) -> None:
    # Cyrillic goes as UCS-2: 67 characters a part of a long message. Every
    # part is paid for, so a message that grows past three is a decision.
    for template in Template:
        if template.value.startswith("citizen."):
            wording = text(language, template.value)
            assert len(wording) <= 3 * 67, (template, len(wording))


def test_a_missing_message_is_an_error_that_names_it() -> None:
    with pytest.raises(MissingMessage, match=r"no ru wording for 'citizen\.nothing'"):
        text(Language.RU, "citizen.nothing")
