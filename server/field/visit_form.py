"""The visit record, as data: a versioned definition the field app's page carries (in
the worker's language) and pwa/scripts/field/work.js fills in. Protocol 2's visit has
one text, `summary` (sync/PROTOCOL.md): the answers named in SUMMARY make it, each under
its label, so the office reads them as the worker saw them. A change of questions is a
new VERSION; a visit queued offline keeps the version it was filled in."""

from __future__ import annotations

from typing import Any

from server.i18n import Gettext
from server.i18n import lazy as _

VERSION = 1
FORM_ID = "field-visit"
OUTCOMES = (("completed", _("Visit completed")), ("no_access", _("No access")),
            ("refused", _("Refused entry")), ("follow_up", _("Follow-up visit needed")))
QUESTIONS: tuple[dict[str, Any], ...] = (
    {"id": "started_at", "type": "datetime", "required": True,
     "label": _("Date and time of the visit"),
     "error": _("Enter the date and time of the visit")},
    {"id": "seen", "type": "text", "required": False, "label": _("Who was seen"),
     "hint": _("Names or roles, for example ‘the tenant and her son’")},
    {"id": "findings", "type": "textarea", "required": True, "label": _("Findings"),
     "error": _("Enter what you found")},
    {"id": "outcome", "type": "choice", "required": True, "label": _("Outcome"),
     "error": _("Choose the outcome of the visit")},
    {"id": "next_steps", "type": "textarea", "required": False, "label": _("Next steps")},
)
SUMMARY = ("seen", "findings", "next_steps")
TEXT_KEYS = ("label", "hint", "error")


def visit_form(text: Gettext) -> dict[str, Any]:
    """The definition in one language, as the page hands it to the script."""
    questions = []
    for question in QUESTIONS:
        shown = {k: (text.gettext(v) if k in TEXT_KEYS else v) for k, v in question.items()}
        if question["type"] == "choice":
            shown["options"] = [{"value": v, "label": text.gettext(label)}
                                for v, label in OUTCOMES]
        questions.append(shown)
    return {"id": FORM_ID, "version": VERSION, "questions": questions,
            "summary": list(SUMMARY)}
