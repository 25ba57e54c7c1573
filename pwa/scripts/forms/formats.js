// Email addresses, UK phone numbers and UK postcodes: the same rules as
// server/forms/formats.py. The server also asks libphonenumber whether a number is in
// use; here the rule alone decides, so a number in an unallocated range can pass offline
// and be refused on sending (the submission then "needs attention").
import { WHITESPACE, asciiDigits, asciiLower, asciiUpper, length, removeWhitespace } from './normalise.js';

const MAX_EMAIL = 254;
const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;
const DOMAIN_LABEL = /^[A-Za-z0-9-]{1,63}$/;
const TOP_LEVEL = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

export function normaliseEmail(text) {
    const pieces = text.split('@');
    if (length(text) > MAX_EMAIL || pieces.length !== 2) return null;
    const [local, domain] = pieces;
    if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.')
        || local.includes('..')) {
        return null;
    }
    const labels = domain.split('.');
    if (labels.length < 2 || !TOP_LEVEL.test(labels[labels.length - 1])) return null;
    for (const label of labels) {
        if (!DOMAIN_LABEL.test(label) || label.startsWith('-') || label.endsWith('-')) return null;
    }
    return `${local}@${asciiLower(domain)}`;
}

const MAX_PHONE_INPUT = 40;
const PHONE_SEPARATORS = new Set([...WHITESPACE, '-', '(', ')']);
// After the 0: geographic 01 and 02, non-geographic 03, mobile 071-075, 077-079, 07624.
const UK_NATIONAL = /^(?:[123][0-9]{9}|7(?:[1-57-9][0-9]{8}|624[0-9]{6}))$/;

export function normaliseUkPhone(text) {
    if (length(text) > MAX_PHONE_INPUT) return null;
    let compact = '';
    for (const c of text) {
        if (!PHONE_SEPARATORS.has(c)) compact += c;
    }
    compact = asciiDigits(compact);
    let national;
    let international = true;
    if (compact.startsWith('+44')) {
        national = compact.slice(3);
    } else if (compact.startsWith('0044')) {
        national = compact.slice(4);
    } else if (compact.startsWith('0')) {
        national = compact.slice(1);
        international = false;
    } else {
        return null;
    }
    if (international && national.startsWith('0')) national = national.slice(1); // +44 (0)7700…
    return UK_NATIONAL.test(national) ? `+44${national}` : null;
}

const MAX_POSTCODE_INPUT = 16;
const POSTCODE = new RegExp('^(?:GIR0AA|[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?|[0-9][A-HJKPSTUW]'
    + '|[A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2})$');

export function normalisePostcode(text) {
    const compact = asciiUpper(removeWhitespace(text));
    if (length(compact) > MAX_POSTCODE_INPUT || !POSTCODE.test(compact)) return null;
    return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}
