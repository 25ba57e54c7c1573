"""Which pages and questions a person sees, given their answers.

Conditions are read against the answers of questions that are themselves shown, walking
the journey in order: an answer left behind on a page the person no longer sees (they
went back and changed an earlier answer) opens nothing. validate.clean_answers drops such
answers at submission by the same walk, so navigation and submission agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from server.forms.definition import Journey, Page
from server.forms.questions import Condition, Question


def is_met(condition: Condition, answers: Mapping[str, Any]) -> bool:
    if condition.op == "all":
        return all(is_met(c, answers) for c in condition.conditions)
    if condition.op == "any":
        return any(is_met(c, answers) for c in condition.conditions)
    if condition.op == "not":
        return not is_met(condition.conditions[0], answers)
    # A plain dict (what clean_answers passes) skips the slower ABC check.
    mapping = type(answers) is dict or isinstance(answers, Mapping)
    answer = answers.get(condition.question or "") if mapping else None
    if condition.op == "includes":
        return isinstance(answer, list) and condition.values[0] in answer
    # equals and in: a stored radios or yesno answer is one string
    return isinstance(answer, str) and answer in condition.values


def shown(page: Page, answers: Mapping[str, Any]) -> bool:
    return page.show_if is None or is_met(page.show_if, answers)


def _walk(journey: Journey, answers: Mapping[str, Any]
          ) -> Iterator[tuple[Page, list[Question]]]:
    """Each page the person sees, with the questions on it they see."""
    seen: dict[str, Any] = {}
    for page in journey.pages:
        if not shown(page, seen):
            continue
        questions = _shown_questions(page, answers, seen)
        if questions:
            yield page, questions


def _shown_questions(page: Page, answers: Mapping[str, Any],
                     seen: dict[str, Any]) -> list[Question]:
    questions = []
    for question in page.questions:
        if question.show_if is None or is_met(question.show_if, seen):
            questions.append(question)
            if isinstance(answers, Mapping) and question.id in answers:
                seen[question.id] = answers[question.id]
    return questions


def visible_pages(journey: Journey, answers: Mapping[str, Any]) -> list[Page]:
    """The pages in order, without skipped ones (page or all its questions hidden)."""
    return [page for page, _ in _walk(journey, answers)]


def visible_questions(page: Page, answers: Mapping[str, Any]) -> list[Question]:
    """The page's questions that show: same-page conditions read the answers of shown
    questions earlier on the page; conditions on earlier pages read `answers` as given."""
    own = {q.id for q in page.questions}
    context = {k: v for k, v in answers.items() if k not in own} \
        if isinstance(answers, Mapping) else {}
    return _shown_questions(page, answers, context)


def next_page(journey: Journey, page_id: str, answers: Mapping[str, Any]) -> Page | None:
    """The next page to show after `page_id`, or None when check-your-answers is next."""
    ids = [p.id for p in journey.pages]
    if page_id not in ids:
        return None
    after = set(ids[ids.index(page_id) + 1:])
    return next((p for p in visible_pages(journey, answers) if p.id in after), None)


def previous_page(journey: Journey, page_id: str, answers: Mapping[str, Any]
                  ) -> Page | None:
    """The page shown before `page_id`, or None when it is the first (back to start)."""
    ids = [p.id for p in journey.pages]
    if page_id not in ids:
        return None
    before = set(ids[:ids.index(page_id)])
    earlier = [p for p in visible_pages(journey, answers) if p.id in before]
    return earlier[-1] if earlier else None


def first_page(journey: Journey, answers: Mapping[str, Any]) -> Page | None:
    pages = visible_pages(journey, answers)
    return pages[0] if pages else None
