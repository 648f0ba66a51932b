"""From an intent's recipient (a role) to a target: a channel, an address, a language.

Citizens are looked up in the ``recipients`` read model, staff in the staff
directory (``reference/contacts.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from inson_contracts.codes.names import Language
from inson_contracts.events.notification import MessageChannel, RecipientKind
from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

from notification.domain.deliveries import NotKnownYet, Target
from notification.domain.rules import CitizenOf, Intent, StaffMember, WorkerOf
from notification.projections.recipients import APPLICATION_CONTACTS, RECIPIENTS
from notification.reference.contacts import Directory


class MongoRecipients:
    """One channel per recipient: SMS (else e-mail) for citizens, chat (else e-mail) for staff.

    A single channel, not all of them: one event is one message to a person.
    """

    def __init__(self, db: AsyncDatabase[Document], directory: Callable[[], Directory]) -> None:
        self.cases = db[RECIPIENTS]
        self.contacts = db[APPLICATION_CONTACTS]
        self.directory = directory

    async def resolve(self, intent: Intent) -> Target | None:
        """The target, None if the recipient has no contact point at all."""
        match intent.recipient:
            case CitizenOf(case_id=case_id, contact=contact) if contact is not None:
                if not contact.phone:
                    return None
                return Target(case_id, MessageChannel.SMS, contact.phone, contact.language)
            case CitizenOf(case_id=case_id):
                return await self._citizen(case_id)
            case WorkerOf(case_id=case_id):
                doc = await self.cases.find_one({"_id": case_id}, {"worker_id": 1})
                if not doc or not doc.get("worker_id"):
                    raise NotKnownYet(case_id)
                return self.staff(RecipientKind.SOCIAL_WORKER, doc["worker_id"])
            case StaffMember(staff_id=staff_id):
                return self.staff(intent.kind, staff_id)
        return None

    async def _citizen(self, case_id: str) -> Target | None:
        doc = await self.cases.find_one({"_id": case_id})
        # Only the worker known (the assessment stream ran ahead of intake's):
        # the citizen's part is still to come.
        if not doc or not doc.get("language"):
            raise NotKnownYet(case_id)
        language = Language(doc["language"])
        if doc.get("phone"):
            return Target(case_id, MessageChannel.SMS, doc["phone"], language)
        if doc.get("email"):
            return Target(case_id, MessageChannel.EMAIL, doc["email"], language)
        # The phone comes with the application, which may not have been read
        # yet although the case has (it waits in the dead letters for a
        # replay, or another partition ran ahead): unknown, not absent. Once
        # read, its contact holds the phone even before the projection has
        # copied it onto the case (two writes; a message read between them
        # was lost in the fault suite), so the phone is taken from there.
        opening = doc.get("opening_application_id")
        if not opening or doc.get("erased"):
            return None
        contact = await self.contacts.find_one({"_id": opening}, {"phone": 1})
        if contact is None:
            raise NotKnownYet(case_id)
        if contact.get("phone"):
            return Target(case_id, MessageChannel.SMS, contact["phone"], language)
        return None

    def staff(self, kind: RecipientKind, staff_id: str) -> Target | None:
        point = self.directory().contact(kind, staff_id)
        if point is None:
            return None
        if point.chat_id:
            return Target(staff_id, MessageChannel.TELEGRAM, point.chat_id, point.language)
        if point.email:
            return Target(staff_id, MessageChannel.EMAIL, point.email, point.language)
        return None
