// A question of an exported definition, with the defaults of SCHEMA.md applied: the same
// defaults as server/forms/questions.py.
import { hasOwn } from './normalise.js';

export const ADDRESS_PARTS = ['line1', 'line2', 'town', 'postcode'];
export const DATE_PARTS = ['day', 'month', 'year'];
export const ADDRESS_MAX_LENGTH = 100;
const DEFAULT_MAX_LENGTH = { text: 200, textarea: 2000 };
const DEFAULT_MAX_FILES = 5;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export function isOptional(question) {
    return question.type === 'location' || question.optional === true;
}

export function maxLength(question) {
    return hasOwn(question, 'max_length') ? question.max_length : DEFAULT_MAX_LENGTH[question.type];
}

export function minChoices(question) {
    return hasOwn(question, 'min') ? question.min : 1;
}

export function maxFiles(question) {
    return hasOwn(question, 'max_files') ? question.max_files : DEFAULT_MAX_FILES;
}

export function maxBytes(question) {
    return hasOwn(question, 'max_bytes') ? question.max_bytes : DEFAULT_MAX_BYTES;
}

export function when(question) {
    return hasOwn(question, 'when') ? question.when : 'any';
}

export function optionValues(question) {
    if (question.type === 'yesno') return ['yes', 'no'];
    return (question.options || []).map((option) => option.value);
}

// The HTML id (and field name) of one of the question's inputs.
export function fieldId(question, part) {
    return part ? `${question.id}-${part}` : question.id;
}

// Where an error summary links: the question's first input.
export function firstField(question) {
    if (['radios', 'checkboxes', 'yesno'].includes(question.type)) {
        return fieldId(question, optionValues(question)[0]);
    }
    return fieldId(question, { date: 'day', address: 'line1', location: 'lat' }[question.type]);
}

export function findPage(definition, pageId) {
    return (definition.pages || []).find((page) => page.id === pageId) || null;
}

export function questionsById(definition) {
    const byId = new Map();
    for (const page of definition.pages || []) {
        for (const question of page.questions || []) byId.set(question.id, question);
    }
    return byId;
}
