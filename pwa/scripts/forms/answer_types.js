// How each question type reads its form fields into the answer it stores, or the first
// rule the input breaks: server/forms/answer_types.py in JavaScript, line for line.
import {
    ADDRESS_MAX_LENGTH, ADDRESS_PARTS, DATE_PARTS, fieldId, isOptional, maxBytes, maxFiles,
    maxLength, minChoices, optionValues, when,
} from './definition.js';
import { normaliseEmail, normalisePostcode, normaliseUkPhone } from './formats.js';
import { asciiDigits, cleanText, hasOwn, length } from './normalise.js';

const ATTACHMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DAY_OR_MONTH = /^[0-9]{1,2}$/;
const YEAR = /^[0-9]{4}$/;
const COORDINATE = /^[+-]?[0-9]{1,3}(?:\.[0-9]{1,20})?$/;

// {rule, part, variant, params}: part is the input in error (null: the first one).
export function problem(rule, part = null, variant = null, params = {}) {
    return { rule, part, variant, params };
}

// Posted form fields: an object of name -> array of strings (or one string), or a
// FormData / URLSearchParams. Anything that is not a string is ignored. fileSizes:
// attachment id -> bytes, for the files the caller knows the size of.
export class Fields {
    constructor(posted, fileSizes) {
        this.posted = posted !== null && typeof posted === 'object' ? posted : {};
        this.fileSizes = sizes(fileSizes);
    }

    all(name) {
        const raw = typeof this.posted.getAll === 'function' ? this.posted.getAll(name)
            : (hasOwn(this.posted, name) ? this.posted[name] : undefined);
        if (typeof raw === 'string') return [raw];
        if (Array.isArray(raw)) return raw.filter((v) => typeof v === 'string');
        return [];
    }

    one(name) {
        const values = this.all(name);
        return values.length ? values[0] : '';
    }
}

function sizes(fileSizes) {
    const known = new Map();
    if (fileSizes === null || typeof fileSizes !== 'object') return known;
    for (const [id, size] of Object.entries(fileSizes)) {
        if (Number.isInteger(size)) known.set(id, size);
    }
    return known;
}

const MIB = 1024 * 1024;

// A file size limit as messages show it: 10MB, 1.5MB, 500KB (binary units, as devices
// count them; rounded down, so a file the message allows is allowed).
export function sizeLimit(bytes) {
    if (bytes < MIB) return `${Math.max(Math.floor(bytes / 1024), 1)}KB`;
    const tenths = Math.floor((bytes * 10) / MIB);
    return tenths % 10 === 0 ? `${tenths / 10}MB` : `${Math.floor(tenths / 10)}.${tenths % 10}MB`;
}

export function tooLarge(question) {
    return problem('size', null, null, { max: sizeLimit(maxBytes(question)) });
}

function blank(question, empty = null) {
    return isOptional(question) ? [empty, null] : [null, problem('required')];
}

function readText(question, fields) {
    const value = cleanText(fields.one(question.id), question.type === 'textarea');
    if (!value) return blank(question);
    const limit = maxLength(question) || 0;
    if (length(value) > limit) return [null, problem('max_length', null, null, { max: limit })];
    return [value, null];
}

function formatted(normalise) {
    return (question, fields) => {
        const value = cleanText(fields.one(question.id));
        if (!value) return blank(question);
        const normal = normalise(value);
        return normal !== null ? [normal, null] : [null, problem('format')];
    };
}

function readAddress(question, fields) {
    const parts = {};
    for (const part of ADDRESS_PARTS) parts[part] = cleanText(fields.one(fieldId(question, part)));
    if (!ADDRESS_PARTS.some((part) => parts[part])) return blank(question);
    for (const part of ADDRESS_PARTS) {
        if (!parts[part] && part !== 'line2') return [null, problem('incomplete', part, part)];
        if (part !== 'postcode' && length(parts[part]) > ADDRESS_MAX_LENGTH) {
            return [null, problem('max_length', part, part, { max: ADDRESS_MAX_LENGTH })];
        }
    }
    const postcode = normalisePostcode(parts.postcode);
    if (postcode === null) return [null, problem('postcode', 'postcode')];
    return [{ line1: parts.line1, line2: parts.line2 || null, town: parts.town, postcode }, null];
}

function isLeapYear(year) {
    return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year, month) {
    return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

const pad = (number, width) => String(number).padStart(width, '0');

function readDate(question, fields, today) {
    const parts = {};
    for (const part of DATE_PARTS) {
        parts[part] = asciiDigits(cleanText(fields.one(fieldId(question, part))));
    }
    if (!DATE_PARTS.some((part) => parts[part])) return blank(question);
    const missing = DATE_PARTS.filter((part) => !parts[part]);
    if (missing.length) return [null, problem('incomplete', missing[0], missing.join('_'))];
    const day = DAY_OR_MONTH.test(parts.day) ? parseInt(parts.day, 10) : 0;
    const month = DAY_OR_MONTH.test(parts.month) ? parseInt(parts.month, 10) : 0;
    const year = YEAR.test(parts.year) ? parseInt(parts.year, 10) : 0;
    const checks = [['day', day >= 1 && day <= 31], ['month', month >= 1 && month <= 12],
        ['year', year >= 1000]];
    for (const [part, ok] of checks) {
        if (!ok) return [null, problem('real', part)];
    }
    if (day > daysInMonth(year, month)) return [null, problem('real', 'day')];
    const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
    // ISO dates with four-digit years compare as strings.
    if (when(question) === 'past' && value > today) return [null, problem('past')];
    if (when(question) === 'future' && value < today) return [null, problem('future')];
    return [value, null];
}

function chosen(question, fields) {
    return fields.all(question.id).filter((v) => v !== '');
}

function readOneChoice(question, fields) {
    const values = chosen(question, fields);
    if (!values.length) return blank(question);
    if (!optionValues(question).includes(values[0])) return [null, problem('choice')];
    return [values[0], null];
}

function readCheckboxes(question, fields) {
    const picked = new Set(chosen(question, fields));
    const options = optionValues(question);
    if (![...picked].every((v) => options.includes(v))) return [null, problem('choice')];
    const selected = options.filter((v) => picked.has(v));
    if (!selected.length) return blank(question, []);
    if (selected.length < minChoices(question)) {
        return [null, problem('min', null, null, { min: minChoices(question) })];
    }
    return [selected, null];
}

function readFile(question, fields) {
    const ids = [...new Set(chosen(question, fields))];
    if (!ids.every((id) => ATTACHMENT_ID.test(id))) return [null, problem('upload')];
    if (!ids.length) return blank(question, []);
    if (ids.length > maxFiles(question)) {
        return [null, problem('count', null, null, { max: maxFiles(question) })];
    }
    if (ids.some((id) => (fields.fileSizes.get(id) || 0) > maxBytes(question))) {
        return [null, tooLarge(question)];
    }
    return [ids, null];
}

function readLocation(question, fields) {
    const lat = cleanText(fields.one(fieldId(question, 'lat')));
    const lng = cleanText(fields.one(fieldId(question, 'lng')));
    if (!lat && !lng) return [null, null];
    if (!lat || !lng) return [null, problem('both', lat ? 'lng' : 'lat')];
    return coordinates(COORDINATE.test(lat) ? Number(lat) : NaN,
        COORDINATE.test(lng) ? Number(lng) : NaN);
}

export function coordinates(lat, lng) {
    if (!(lat >= -90 && lat <= 90)) return [null, problem('range', 'lat')]; // NaN fails too
    if (!(lng >= -180 && lng <= 180)) return [null, problem('range', 'lng')];
    return [{ lat, lng }, null];
}

const READERS = {
    text: readText,
    textarea: readText,
    email: formatted(normaliseEmail),
    phone: formatted(normaliseUkPhone),
    address: readAddress,
    date: readDate,
    radios: readOneChoice,
    yesno: readOneChoice,
    checkboxes: readCheckboxes,
    file: readFile,
    location: readLocation,
};

// [value, problem]: problem is null when the answer is good.
export function readAnswer(question, fields, today) {
    return READERS[question.type](question, fields, today);
}
