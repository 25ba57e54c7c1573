"""A journey's form definition (SCHEMA.md) as frozen dataclasses, and its strict parser.

A definition is checked completely at start-up, so a mistake in one (a typo in a key, a
condition on a question that comes later, a missing option) stops the server with the
file and the place in it, instead of showing up as a broken page for one resident.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from server.forms.definition_reader import DefinitionError, Reader
from server.forms.questions import Condition, Option, Question, parse_condition, parse_question

__all__ = ["Condition", "DefinitionError", "Form", "Journey", "Option", "Page", "Question",
           "Start", "SERVICES", "parse_definition", "parse_pages"]

FORMAT = 1
SERVICES = ("planning", "environmental-health", "social-work")  # the services index order
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z"
TOP_REQUIRED = ("format", "journey", "version", "service", "title", "summary", "start",
                "pages", "next_steps")
TOP_OPTIONAL = ("keywords", "special_category", "anonymous", "contact", "targets")
# A location is never the only way to say where: the person can always type it instead.
TYPED_PLACE = ("text", "textarea", "address")


@dataclass(frozen=True)
class Page:
    id: str
    questions: tuple[Question, ...]
    title: str | None = None
    intro: str | None = None
    show_if: Condition | None = None


class Form(Protocol):
    """What answers are checked against: a journey, or a plain one-page form
    (one_page.py)."""

    @property
    def pages(self) -> tuple[Page, ...]: ...

    def question(self, question_id: str) -> Question | None: ...


@dataclass(frozen=True)
class Start:
    paragraphs: tuple[str, ...]
    before_you_start: tuple[str, ...] = ()
    warning: str | None = None


@dataclass(frozen=True)
class Targets:
    """How soon the council answers, in working days from the day the request arrives:
    a first response (what happens next, and who deals with it), then a resolution."""
    first_response_days: int
    resolution_days: int


# The Scottish Public Services Ombudsman's model complaints handling procedure:
# acknowledged within 3 working days, answered within 20 (`"targets": {"model": "spso"}`).
SPSO_TARGETS = Targets(3, 20)


@dataclass(frozen=True)
class Journey:
    journey: str
    version: int
    service: str
    title: str
    summary: str
    keywords: tuple[str, ...]
    start: Start
    special_category: bool
    anonymous: bool
    contact: str
    pages: tuple[Page, ...]
    next_steps: tuple[str, ...]
    raw: dict[str, Any] = field(compare=False, hash=False, repr=False)
    targets: Targets | None = None

    def page(self, page_id: str) -> Page | None:
        return self._pages.get(page_id)

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self._questions.values())

    def page_of(self, question_id: str) -> Page | None:
        return next((p for p in self.pages if any(q.id == question_id for q in p.questions)),
                    None)

    @cached_property
    def file_questions(self) -> tuple[Question, ...]:
        """In page order; every queued submission's files are checked against them."""
        return tuple(q for q in self._questions.values() if q.type == "file")

    @cached_property
    def _pages(self) -> dict[str, Page]:
        return {page.id: page for page in self.pages}

    @cached_property
    def _questions(self) -> dict[str, Question]:
        return {q.id: q for page in self.pages for q in page.questions}


def parse_definition(data: Any, *, slug: str | None = None,
                     version: int | None = None) -> Journey:
    """The journey a definition describes, or DefinitionError naming the first problem.

    `slug` and `version` are what the file name says (the registry passes them)."""
    top = Reader(data)
    top.keys(TOP_REQUIRED, TOP_OPTIONAL)
    if top.get("format") != FORMAT or isinstance(top.get("format"), bool):
        top.child("format").fail(f"must be {FORMAT}")
    journey_slug = top.string("journey", pattern=SLUG, max_length=60)
    if slug is not None and journey_slug != slug:
        top.child("journey").fail(f"is {journey_slug!r} but the folder is {slug!r}")
    number = top.integer("version", 1, 10_000)
    if version is not None and number != version:
        top.child("version").fail(f"is {number} but the file is v{version}.json")
    service = top.choice("service", SERVICES)
    special = top.boolean("special_category", default=False)
    if service == "social-work" and not special:
        top.child("special_category").fail("must be true for a social-work journey")
    anonymous = top.boolean("anonymous", default=False)
    contact = top.choice("contact", ("required", "optional"), default="required")
    if anonymous and contact != "optional":
        top.child("contact").fail('must be "optional" when the journey is anonymous')
    pages = parse_pages(top.child("pages"))
    return Journey(
        journey=journey_slug, version=number, service=service,
        title=top.text("title"), summary=top.text("summary"),
        keywords=top.texts("keywords", default=()), start=_parse_start(top.child("start")),
        special_category=special, anonymous=anonymous, contact=contact, pages=pages,
        next_steps=top.texts("next_steps"), raw=json.loads(json.dumps(data)),
        targets=_parse_targets(top.child("targets")) if "targets" in top else None,
    )


def _parse_targets(targets: Reader) -> Targets:
    if isinstance(targets.value, dict) and "model" in targets.value:
        # A complaints-style service names the model instead of numbers.
        targets.keys(("model",), ())
        targets.choice("model", ("spso",))
        return SPSO_TARGETS
    targets.keys(("first_response_days", "resolution_days"), ())
    first = targets.integer("first_response_days", 1, 365)
    resolution = targets.integer("resolution_days", 1, 365)
    if resolution < first:
        targets.child("resolution_days").fail("must not be sooner than first_response_days")
    return Targets(first, resolution)


def _parse_start(start: Reader) -> Start:
    start.keys(("paragraphs",), ("before_you_start", "warning"))
    return Start(start.texts("paragraphs"), start.texts("before_you_start", default=()),
                 start.text("warning", required=False))


def parse_pages(pages: Reader) -> tuple[Page, ...]:
    items = pages.items(minimum=1)
    page_ids: set[str] = set()
    known: dict[str, Question] = {}  # questions on earlier pages, then earlier on this one
    parsed = []
    for page in items:
        page.keys(("id", "questions"), ("title", "intro", "show_if"))
        page_id = page.string("id", pattern=SLUG, max_length=60)
        if page_id in page_ids:
            page.child("id").fail(f"{page_id!r} is already the id of an earlier page")
        page_ids.add(page_id)
        show_if = parse_condition(page.child("show_if"), known) if "show_if" in page else None
        questions = []
        for item in page.child("questions").items(minimum=1):
            question = parse_question(item, known)
            known[question.id] = question
            questions.append(question)
        title = page.text("title", required=False)
        if len(questions) > 1 and title is None:
            page.fail("a page with more than one question needs a title")
        for question in questions:
            if question.type == "location" and not any(q.type in TYPED_PLACE for q in questions):
                page.fail(f"location question {question.id!r} needs a text, textarea or "
                          "address question on the same page, for people who type instead")
        parsed.append(Page(page_id, tuple(questions), title, page.text("intro", required=False),
                           show_if))
    return tuple(parsed)
