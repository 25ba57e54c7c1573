"""The one-question satisfaction survey sent with a closure message: a page reached by a
signed short link (no sign-in), five points and an optional comment, stored for the
dashboard to count per service and week (server/db/satisfaction.py)."""

from __future__ import annotations

from server.forms.definition import parse_definition
from server.i18n import lazy as _
from server.notify.compose import SURVEY_QUESTION

SCORES = {"5": _("Very satisfied"), "4": _("Satisfied"),
          "3": _("Neither satisfied nor dissatisfied"), "2": _("Dissatisfied"),
          "1": _("Very dissatisfied")}
COMMENT_MAX = 1200

SURVEY_FORM = parse_definition({
    "format": 1, "journey": "satisfaction", "version": 1, "service": "planning",
    "title": _("Tell us how we did"), "summary": _("Tell us how we did"), "keywords": [],
    "start": {"paragraphs": [], "before_you_start": []}, "special_category": False,
    "anonymous": True, "contact": "optional", "next_steps": [],
    "pages": [{"id": "satisfaction", "title": _("Tell us how we did"), "questions": [
        {"id": "score", "type": "radios", "label": SURVEY_QUESTION,
         "options": [{"value": value, "label": label} for value, label in SCORES.items()],
         "errors": {"required": _("Select how satisfied you are")}},
        {"id": "comment", "type": "textarea", "label": _("Tell us more about your answer"),
         "hint": _("Do not include personal details, such as your name or address."),
         "optional": True, "max_length": COMMENT_MAX, "rows": 4},
    ]}],
})
SURVEY_PAGE = SURVEY_FORM.pages[0]
