"""Who may turn a browser into a kiosk, and with what: a member of hub staff (their
hub) or an admin (a hub they choose), whose passkey sign-in is fresh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from server.db.clock import age
from server.db.people import Person
from server.i18n import lazy as _

# A kiosk must not be set up with a session someone left signed in: the passkey was
# used this recently, or they sign in again.
FRESH_FOR = timedelta(minutes=5)
MAX_LABEL = 60


def is_fresh(person: Person) -> bool:
    return bool(person.signed_in_at) and age(person.signed_in_at) <= FRESH_FOR


@dataclass(frozen=True)
class EnrolForm:
    hub_id: str
    label: str
    errors: dict[str, str]


def read_enrol_form(form: dict[str, str], own_hub: str | None,
                    hubs: list[tuple[str, str]]) -> EnrolForm:
    """Hub staff enrol at their own hub whatever the form says; admins choose one."""
    label = " ".join(form.get("label", "").split())[:MAX_LABEL]
    hub_id = own_hub or form.get("hub", "")
    errors = {}
    if hub_id not in {h for h, _name in hubs}:
        errors["hub"] = _("Choose the library hub this kiosk is at")
    if not label:
        errors["label"] = _("Enter a name for this kiosk, such as where it stands")
    return EnrolForm(hub_id, label, errors)
