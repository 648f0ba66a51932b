"""Where staff are told: social workers, windows and supervisors, by id.

Staff are reached on a Telegram-style chat (the work phone) or by e-mail
(a window's shared mailbox). The sources name no contact point, so the
packaged directory is generated placeholder data (``tools/generate_contacts.py``):
chat ids are made up and every address is under ``inson.example``, a domain
that can never receive mail; the file says ``"placeholder": true``.

Like the worker and window lists it is data: read from ``data/contacts.json``
in this package or, when ``INSON_CONTACTS_FILE`` names a file, from that file,
so the real directory replaces the placeholder without a release. It is
checked as it is loaded, and a bad entry stops the load naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from inson_contracts.codes.names import Language
from inson_contracts.codes.reference import ReferenceDataError, ReferenceFile, validated
from inson_contracts.events.notification import RecipientKind
from pydantic import BaseModel, ConfigDict, Field

CONTACTS_FILE_ENV = "INSON_CONTACTS_FILE"
_PACKAGED = "data/contacts.json"
STAFF_KINDS = (RecipientKind.SOCIAL_WORKER, RecipientKind.WINDOW, RecipientKind.SUPERVISOR)


class ContactPoint(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    chat_id: str | None = Field(default=None, pattern=r"^-?[0-9]{1,20}$")
    email: str | None = Field(default=None, pattern=r"^[^@\s]{1,64}@[^@\s]{1,190}\.[a-z]{2,}$")
    # Staff read the official script unless they chose otherwise.
    language: Language = Language.UZ_LATN


class ContactsDataError(ReferenceDataError):
    """The directory file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Directory:
    source: str
    placeholder: bool
    entries: Mapping[RecipientKind, Mapping[str, ContactPoint]]

    def contact(self, kind: RecipientKind, staff_id: str) -> ContactPoint | None:
        return self.entries.get(kind, {}).get(staff_id)


def parse_directory(source: str, document: Any) -> Directory:
    if not isinstance(document, dict):
        raise ContactsDataError(f"{source}: expected an object")
    entries: dict[RecipientKind, Mapping[str, ContactPoint]] = {}
    for kind in STAFF_KINDS:
        table = document.get(kind.value, {})
        if not isinstance(table, dict):
            raise ContactsDataError(f"{source}: {kind.value!r} must map ids to contact points")
        parsed: dict[str, ContactPoint] = {}
        for staff_id, entry in table.items():
            where = f"{source}: {kind.value} {staff_id}"
            point = validated(ContactPoint, where, entry, ContactsDataError)
            if point.chat_id is None and point.email is None:
                raise ContactsDataError(f"{source}: {kind.value} {staff_id}: no chat_id or email")
            parsed[staff_id] = point
        entries[kind] = MappingProxyType(parsed)
    return Directory(source, bool(document.get("placeholder", False)), MappingProxyType(entries))


_FILE = ReferenceFile(
    package="notification.reference",
    resource=_PACKAGED,
    env=CONTACTS_FILE_ENV,
    parse=parse_directory,
    error=ContactsDataError,
)


def directory() -> Directory:
    """The directory in use, loaded on first use."""
    return _FILE.get()


def reload_directory() -> None:
    _FILE.reload()
