// Which pages and questions a person sees, given their answers: server/forms/conditions.py.
// Conditions read the answers of questions that are themselves shown, walking the
// journey in order, so an answer left on a page no longer shown opens nothing.
import { hasOwn, put } from './normalise.js';

export function isMet(condition, answers) {
    if (hasOwn(condition, 'all')) return condition.all.every((c) => isMet(c, answers));
    if (hasOwn(condition, 'any')) return condition.any.some((c) => isMet(c, answers));
    if (hasOwn(condition, 'not')) return !isMet(condition.not, answers);
    const answer = hasOwn(answers, condition.question) ? answers[condition.question] : undefined;
    if (hasOwn(condition, 'includes')) {
        return Array.isArray(answer) && answer.includes(condition.includes);
    }
    const values = hasOwn(condition, 'in') ? condition.in : [condition.equals];
    return typeof answer === 'string' && values.includes(answer);
}

export function pageShown(page, answers) {
    return !hasOwn(page, 'show_if') || isMet(page.show_if, answers);
}

function shownQuestions(page, answers, seen) {
    const questions = [];
    for (const question of page.questions) {
        if (!hasOwn(question, 'show_if') || isMet(question.show_if, seen)) {
            questions.push(question);
            if (hasOwn(answers, question.id)) put(seen, question.id, answers[question.id]);
        }
    }
    return questions;
}

function walk(definition, answers) {
    const seen = {};
    const shown = [];
    for (const page of definition.pages) {
        if (!pageShown(page, seen)) continue;
        const questions = shownQuestions(page, answers, seen);
        if (questions.length) shown.push(page);
    }
    return shown;
}

// The pages in order, without skipped ones (the page or all its questions hidden).
export function visiblePages(definition, answers) {
    return walk(definition, answers);
}
