"""Whose hub a page is about: hub staff see and change only their own hub's kiosks and
help; admins every hub's (None)."""

from __future__ import annotations

from starlette.requests import Request

from server.auth import roles
from server.auth.session import current_person
from server.db import staff
from server.db.people import Person
from server.errors import Forbidden, NoHub


async def hub_scope(request: Request) -> tuple[Person, str | None]:
    """The signed-in member of staff and their hub (None for an admin: every hub).
    Hub staff with no hub assigned yet are refused (an admin assigns one)."""
    person = current_person(request)
    if person is None or person.kind != "staff":
        raise Forbidden()
    if person.role == roles.ADMIN:
        return person, None
    member = await request.app.state.store.read(staff.by_id, person.id)
    if member is None or member.hub_id is None:
        raise NoHub()
    return person, member.hub_id
