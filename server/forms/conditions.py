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
