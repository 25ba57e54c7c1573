// Text clean-up every answer goes through: the same, character by character, as
// server/forms/normalise.py. WHITESPACE is the set String.prototype.trim() strips, written
// out because Python's str.strip() strips a different one and both sides must agree.

const WHITESPACE_LIST = ['\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680',
    '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
for (let code = 0x2000; code <= 0x200a; code += 1) {
    WHITESPACE_LIST.push(String.fromCharCode(code));
}
export const WHITESPACE = new Set(WHITESPACE_LIST);

// What cleanText removes anywhere: C0 controls but tab and newline, DEL and C1 controls,
// bidi embeddings, overrides and isolates, zero-width space, non-joiner and joiner, word
// joiner, byte order mark and lone surrogates. Why, and why these: normalise.py (UNSEEN).
const UNSEEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]/gu;

const DIGIT_BASES = [0x0660, 0x06f0, 0xff10]; // Arabic-Indic, extended Arabic-Indic, full-width

export function hasOwn(object, key) {
    return object !== null && typeof object === 'object'
        && Object.prototype.hasOwnProperty.call(object, key);
}

// Sets a key even when it is "__proto__": answers and errors are keyed by what arrives.
export function put(object, key, value) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    return value;
}

export function isPlainObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function cleanText(value, multiline = false) {
    let text = multiline ? value.replace(/\r\n/g, '\n').replace(/\r/g, '\n') : value;
    text = text.replace(UNSEEN, '').normalize('NFC');
    let start = 0;
    let end = text.length;
    while (start < end && WHITESPACE.has(text[start])) start += 1;
    while (end > start && WHITESPACE.has(text[end - 1])) end -= 1;
    return text.slice(start, end);
}

export function asciiDigits(value) {
    return value.replace(/[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/g, (digit) => {
        const code = digit.charCodeAt(0);
        const base = DIGIT_BASES.find((b) => code >= b && code <= b + 9);
        return String(code - base);
    });
}

export function asciiUpper(value) {
    return value.replace(/[a-z]/g, (c) => c.toUpperCase());
}

export function asciiLower(value) {
    return value.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function removeWhitespace(value) {
    let out = '';
    for (const c of value) {
        if (!WHITESPACE.has(c)) out += c;
    }
    return out;
}

// Characters as a person counts them (code points), as Python's len(): not UTF-16 units.
export function length(value) {
    let count = 0;
    for (const _ of value) count += 1;
    return count;
}
