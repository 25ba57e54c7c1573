// Checks answers against an exported definition (server/forms/export.py): one page as
// posted, or a whole set of stored answers (the offline draft at check-your-answers).
// server/forms/validate.py in JavaScript; server/forms/examples/ holds the two to the
// same results. Total: whatever arrives becomes errors, never an exception.
//
//   validatePage(definition, pageId, posted, answers, { today, fileSizes }) -> { values, errors }
//   cleanAnswers(definition, answers, { today, fileSizes }) -> { values, errors }
// errors: { questionId: { field, key, message, params } }; message is already in the
// page's language (the export translated it): show it with formatMessage(message, params).
import { coordinates, Fields, problem, readAnswer } from './answer_types.js';
import { isMet, pageShown } from './conditions.js';
import { ADDRESS_PARTS, fieldId, findPage, firstField, questionsById } from './definition.js';
import { councilToday } from '../time/clock.js';
import { hasOwn, isPlainObject, put } from './normalise.js';

export { isMet, visiblePages } from './conditions.js';

const ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

export function messageFor(definition, question, rule, variant) {
    if (hasOwn(question.errors, rule)) return question.errors[rule];
    const messages = definition.messages || {};
    for (const key of [`${question.type}.${rule}.${variant}`, `${question.type}.${rule}`, rule]) {
        if (hasOwn(messages, key)) return messages[key];
    }
    return rule;
}

// Fills %(name)s placeholders (and %% for a percent sign), as Python's `message % params`.
export function formatMessage(message, params) {
    return message.replace(/%(?:\((\w+)\)s|%)/g,
        (whole, name) => (name === undefined ? '%' : String(hasOwn(params, name) ? params[name] : whole)));
}

function fieldError(definition, question, found) {
    return {
        field: found.part ? fieldId(question, found.part) : firstField(question),
        key: found.rule,
        message: messageFor(definition, question, found.rule, found.variant),
        params: { label: question.label, ...found.params },
    };
}

export function validatePage(definition, pageId, posted, answers, options = {}) {
    const page = findPage(definition, pageId);
    if (page === null) throw new Error(`no page ${pageId} in ${definition.journey}`);
    const today = options.today || councilToday();
    const fields = new Fields(posted, options.fileSizes);
    const own = new Set(page.questions.map((q) => q.id));
    const seen = {};
    if (isPlainObject(answers)) {
        for (const key of Object.keys(answers)) if (!own.has(key)) put(seen, key, answers[key]);
    }
    const values = {};
    const errors = {};
    for (const question of page.questions) {
        if (hasOwn(question, 'show_if') && !isMet(question.show_if, seen)) continue;
        const [value, found] = readAnswer(question, fields, today);
        if (found) {
            put(errors, question.id, fieldError(definition, question, found));
        } else {
            put(values, question.id, value);
            put(seen, question.id, value);
        }
    }
    return { values, errors };
}

export function cleanAnswers(definition, answers, options = {}) {
    const today = options.today || councilToday();
    const given = isPlainObject(answers) ? answers : {};
    const known = questionsById(definition);
    const errors = {};
    for (const key of Object.keys(given)) {
        if (!known.has(key)) {
            const message = (definition.messages || {}).unknown;
            put(errors, key, { field: key, key: 'unknown', message, params: {} });
        }
    }
    const values = {};
    for (const page of definition.pages) {
        if (!pageShown(page, values)) continue;
        for (const question of page.questions) {
            if (hasOwn(question, 'show_if') && !isMet(question.show_if, values)) continue;
            const stored = hasOwn(given, question.id) ? given[question.id] : null;
            const [value, found] = readStored(question, stored, today, options.fileSizes);
            if (found) put(errors, question.id, fieldError(definition, question, found));
            else put(values, question.id, value);
        }
    }
    return { values, errors };
}


// A stored answer goes back through its type's reader as the fields that would have
// produced it, so a stored answer passes exactly when a posted one would.
function readStored(question, value, today, fileSizes) {
    if (question.type === 'location') return storedLocation(value);
    const posted = storedFields(question, value);
    if (posted === null) return [null, problem('invalid')];
    return readAnswer(question, new Fields(posted, fileSizes), today);
}

function storedFields(question, value) {
    if (value === null || value === undefined) return {};
    const fields = {};
    if (question.type === 'checkboxes' || question.type === 'file') {
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return null;
        put(fields, question.id, value);
        return fields;
    }
    if (question.type === 'address') {
        if (!isPlainObject(value)) return null;
        const keys = Object.keys(value);
        if (!keys.every((k) => ADDRESS_PARTS.includes(k))
            || !keys.every((k) => value[k] === null || typeof value[k] === 'string')) {
            return null;
        }
        for (const part of ADDRESS_PARTS) {
            put(fields, fieldId(question, part), [(hasOwn(value, part) && value[part]) || '']);
        }
        return fields;
    }
    if (typeof value !== 'string') return null;
    if (question.type === 'date') {
        if (!ISO_DATE.test(value)) return null;
        const [year, month, day] = value.split('-');
        put(fields, fieldId(question, 'day'), [day]);
        put(fields, fieldId(question, 'month'), [month]);
        put(fields, fieldId(question, 'year'), [year]);
        return fields;
    }
    put(fields, question.id, [value]);
    return fields;
}

function storedLocation(value) {
    if (value === null || value === undefined) return [null, null];
    const keys = isPlainObject(value) ? Object.keys(value).sort() : [];
    if (keys.length !== 2 || keys[0] !== 'lat' || keys[1] !== 'lng'
        || typeof value.lat !== 'number' || typeof value.lng !== 'number') {
        return [null, problem('invalid')];
    }
    return coordinates(value.lat, value.lng);
}
