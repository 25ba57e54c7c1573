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

// The page's questions that show; conditions on earlier pages read `answers` as given.
export function visibleQuestions(page, answers) {
    const own = new Set(page.questions.map((q) => q.id));
    const context = {};
    for (const key of Object.keys(answers || {})) {
        if (!own.has(key)) put(context, key, answers[key]);
    }
    return shownQuestions(page, answers || {}, context);
}

// The page after pageId that shows, or null when check-your-answers comes next.
export function nextPage(definition, pageId, answers) {
    const ids = definition.pages.map((p) => p.id);
    const at = ids.indexOf(pageId);
    if (at < 0) return null;
    const after = new Set(ids.slice(at + 1));
    return visiblePages(definition, answers).find((p) => after.has(p.id)) || null;
}

// The page shown before pageId, or null when it is the first (back to the start page).
export function previousPage(definition, pageId, answers) {
    const ids = definition.pages.map((p) => p.id);
    const at = ids.indexOf(pageId);
    if (at < 0) return null;
    const before = new Set(ids.slice(0, at));
    const earlier = visiblePages(definition, answers).filter((p) => before.has(p.id));
    return earlier.length ? earlier[earlier.length - 1] : null;
}

export function firstPage(definition, answers) {
    const pages = visiblePages(definition, answers);
    return pages.length ? pages[0] : null;
}
