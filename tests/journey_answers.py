"""Valid answers for any question, so tests can walk every journey without knowing it."""

from __future__ import annotations

from typing import Any

from server.forms.definition import Journey, Page
from server.forms.questions import Question

JPEG_1PX = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b"
    "0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e3334"
    "32ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708"
    "090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114"
    "328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748"
    "494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999a"
    "a2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8"
    "e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9")


def field_values(q: Question) -> dict[str, Any]:
    """Form fields that answer `q` validly (files excluded: optional in every journey)."""
    kind = q.type
    if kind == "text":
        return {q.id: "Morag MacLeod" if "name" in q.id else "A short answer"}
    if kind == "textarea":
        return {q.id: "It happens most nights.\nIt stops me sleeping."}
    if kind == "email":
        return {q.id: "morag@example.org"}
    if kind == "phone":
        return {q.id: "07700 900982"}
    if kind == "address":
        return {f"{q.id}-line1": "2 White Hart Street", f"{q.id}-line2": "",
                f"{q.id}-town": "Dalkeith", f"{q.id}-postcode": "eh22 1ae"}
    if kind == "date":
        return {f"{q.id}-day": "3", f"{q.id}-month": "11",
                f"{q.id}-year": "2026" if q.when != "future" else "2027"}
    if kind == "radios":
        return {q.id: q.options[0].value}
    if kind == "checkboxes":
        return {q.id: [q.options[0].value]}
    if kind == "yesno":
        return {q.id: "no"}
    return {}  # file and location: optional everywhere


def page_fields(page: Page, chosen: dict[str, Any]) -> dict[str, Any]:
    """Fields for every question shown on `page`, honouring same-page conditions."""
    from server.forms.conditions import is_met
    fields: dict[str, Any] = {}
    for q in page.questions:
        if q.show_if is not None and not is_met(q.show_if, chosen):
            continue
        values = field_values(q)
        fields.update(values)
        if q.type in ("radios", "yesno"):
            chosen[q.id] = values[q.id]
        elif q.type == "checkboxes":
            chosen[q.id] = values[q.id]
    return fields


CONTACT = {"name": "Morag MacLeod", "how": "email", "email": "morag@example.org"}


def all_journeys(app: Any) -> list[Journey]:
    return list(app.state.forms.journeys())
