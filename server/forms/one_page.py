"""A plain form of one page: the contact details every journey ends with, tracking a
request, inviting a member of staff. Its page is parsed, checked, rendered and translated
like a journey's, without what only a journey has (a service, a summary, a start page,
next steps), so none of those is made up to fill a journey's shape.

    {"id": "contact", "version": 1, "page": {"id": ..., "title": ..., "intro": ...,
     "questions": [...]}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from server.forms.definition import SLUG, Page, parse_pages
from server.forms.definition_reader import Reader
from server.forms.questions import Question


@dataclass(frozen=True)
class OnePageForm:
    id: str  # the browser asks for it as /forms/<id>/v<version>.<lang>.json
    version: int
    page: Page
    # What export_definition sends the browser: the page under "pages", as a journey's.
    raw: dict[str, Any] = field(compare=False, hash=False, repr=False)

    @property
    def pages(self) -> tuple[Page, ...]:
        return (self.page,)

    @property
    def title(self) -> str | None:
        return self.page.title

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    @cached_property
    def _questions(self) -> dict[str, Question]:
        return {q.id: q for q in self.page.questions}


def parse_one_page_form(data: Any) -> OnePageForm:
    top = Reader(data)
    top.keys(("id", "page"), ("version",))
    form_id = top.string("id", pattern=SLUG, max_length=60)
    version = top.integer("version", 1, 10_000, default=1)
    [page] = parse_pages(Reader([top.get("page")], "page"))
    raw = {"id": form_id, "version": version, "title": page.title,
           "pages": [json.loads(json.dumps(data["page"]))]}
    return OnePageForm(form_id, version, page, raw)
