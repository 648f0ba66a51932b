"""The staff directory: placeholder, marked so, checked as it is loaded, replaceable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from inson_contracts.codes.names import Language
from inson_contracts.events.notification import RecipientKind
from notification.reference.contacts import (
    CONTACTS_FILE_ENV,
    ContactsDataError,
    directory,
    reload_directory,
)

from .conftest import SUPERVISOR, WINDOW, WORKER


@pytest.fixture(autouse=True)
def fresh_directory() -> Iterator[None]:
    reload_directory()
    yield
    reload_directory()


def test_the_packaged_directory_is_a_marked_placeholder_that_can_reach_nobody() -> None:
    packaged = directory()
    assert packaged.placeholder
    assert packaged.source.endswith("reference/data/contacts.json")
    for kind in (RecipientKind.SOCIAL_WORKER, RecipientKind.WINDOW, RecipientKind.SUPERVISOR):
        table = packaged.entries[kind]
        assert table, kind
        for point in table.values():
            assert point.email is not None and point.email.endswith("@staff.inson.example")
            assert point.chat_id is not None


def test_staff_are_found_by_kind_and_id() -> None:
    packaged = directory()
    worker = packaged.contact(RecipientKind.SOCIAL_WORKER, WORKER)
    assert worker is not None and worker.language is Language.UZ_LATN
    assert packaged.contact(RecipientKind.WINDOW, WINDOW) is not None
    assert packaged.contact(RecipientKind.SUPERVISOR, SUPERVISOR) is not None
    assert packaged.contact(RecipientKind.WINDOW, WORKER) is None
    assert packaged.contact(RecipientKind.SOCIAL_WORKER, "sw-nobody") is None


def test_a_replacement_file_is_used_when_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "contacts.json"
    real.write_text(
        json.dumps(
            {
                "placeholder": False,
                "window": {"w-9": {"email": "darcha9@dxm.uz", "language": "uz-Cyrl"}},
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv(CONTACTS_FILE_ENV, str(real))
    reload_directory()
    replaced = directory()
    assert not replaced.placeholder and replaced.source == str(real)
    window = replaced.contact(RecipientKind.WINDOW, "w-9")
    assert window is not None and window.chat_id is None and window.language is Language.UZ_CYRL


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "expected an object"),
        ('{"window": []}', "'window' must map ids"),
        ('{"window": {"w1": {}}}', "window w1: no chat_id or email"),
        ('{"social_worker": {"sw1": {"chat_id": "abc"}}}', "social_worker sw1: chat_id"),
        ('{"supervisor": {"s1": {"email": "x", "fax": 1}}}', "supervisor s1: email"),
    ],
)
def test_a_bad_file_is_refused_naming_the_entry(
    text: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "contacts.json"
    bad.write_text(text, encoding="utf-8")
    monkeypatch.setenv(CONTACTS_FILE_ENV, str(bad))
    reload_directory()
    try:
        with pytest.raises(ContactsDataError, match=message):
            directory()
    finally:
        monkeypatch.delenv(CONTACTS_FILE_ENV)
        reload_directory()
