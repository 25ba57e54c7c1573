// Stored answers as a page shows them: the form fields that show an answer again, and the
// lines of check-your-answers. server/journeys/answers_display.py in JavaScript;
// server/forms/display_examples/ holds the two to the same output, so the offline
// check-your-answers reads like the server's (it once showed "November 2, 2026", phone
// numbers run together and locations to 15 decimal places).
import { formatDate } from '../time/dates.js';
import { formatMessage } from './validate.js';

// Great Britain's national formats from libphonenumber's metadata (as the Python
// phonenumbers 9.0 package has them, which the server uses): [pattern, leading digits,
// groups]. The first whose leading digits and pattern match is used; the first group
// gets the 0.
const UK_FORMATS = [
    ['(\\d{3})(\\d{4})', '800', '$1 $2'],
    ['(\\d{3})(\\d{2})(\\d{2})', '845', '$1 $2 $3'],
    ['(\\d{3})(\\d{6})', '800', '$1 $2'],
    ['(\\d{5})(\\d{4,5})', '1(?:3873|5(?:242|39[4-6])|(?:697|768)[347]|9467)', '$1 $2'],
    ['(\\d{4})(\\d{5,6})', '1(?:[2-69][02-9]|[78])', '$1 $2'],
    ['(\\d{2})(\\d{4})(\\d{4})', '[25]|7(?:0|6(?:[03-9]|2[356]))', '$1 $2 $3'],
    ['(\\d{4})(\\d{6})', '7', '$1 $2'],
    ['(\\d{3})(\\d{3})(\\d{4})', '[1389]', '$1 $2 $3'],
].map(([pattern, leading, groups]) => [new RegExp(`^(?:${pattern})$`), new RegExp(`^(?:${leading})`), groups]);

/** A UK number written the national way (0131 270 7500); anything else as stored. */
export function phoneDisplay(e164) {
    if (typeof e164 !== 'string' || !/^\+44[0-9]{9,10}$/.test(e164)) return e164;
    const national = e164.slice(3);
    for (const [pattern, leading, groups] of UK_FORMATS) {
        if (leading.test(national) && pattern.test(national)) {
            return `0${national.replace(pattern, groups)}`;
        }
    }
    return e164;
}

/** The form fields that show a stored answer (fields_from_answer). */
export function fieldsFromAnswer(question, value) {
    const q = question.id;
    if (value === null || value === undefined) return {};
    switch (question.type) {
    case 'address':
        if (typeof value !== 'object') break;
        return Object.fromEntries(['line1', 'line2', 'town', 'postcode'].map((p) => [`${q}-${p}`, value[p] || '']));
    case 'date': {
        const found = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(String(value));
        if (!found) return {};
        return { [`${q}-day`]: String(Number(found[3])), [`${q}-month`]: String(Number(found[2])), [`${q}-year`]: String(Number(found[1])) };
    }
    case 'radios': case 'yesno': return { [q]: [value] };
    case 'checkboxes': return { [q]: [...value] };
    case 'location': {
        if (typeof value !== 'object') break;
        const text = (n) => (typeof n === 'number' ? String(n) : '');
        return { [`${q}-lat`]: text(value.lat), [`${q}-lng`]: text(value.lng) };
    }
    case 'phone': return { [q]: phoneDisplay(value) };
    case 'file': return {};
    default: break;
    }
    return { [q]: value };
}

/**
 * The lines check-your-answers shows for an answer (answer_lines). `words`: yes, no,
 * file and location in the page's language; `filenames`: attachment id -> name;
 * `dates`: the page's date formats (i18n.date_formats).
 */
export function answerLines(question, value, { words, filenames, dates }) {
    if (value === null || value === undefined || value === '') return [];
    if (Array.isArray(value) && !value.length) return [];
    if (typeof value === 'object' && !Array.isArray(value) && !Object.keys(value).length) return [];
    switch (question.type) {
    case 'textarea': return String(value).split('\n').filter((line) => line.trim());
    case 'address': return ['line1', 'line2', 'town', 'postcode'].filter((p) => value[p]).map((p) => value[p]);
    case 'date': return [formatDate(value, dates)];
    case 'radios': return (question.options || []).filter((o) => o.value === value).map((o) => o.label);
    case 'checkboxes': return (question.options || []).filter((o) => value.includes(o.value)).map((o) => o.label);
    case 'yesno': return [value === 'yes' ? words.yes : words.no];
    case 'file': return value.map((id) => (Object.prototype.hasOwnProperty.call(filenames, id) ? filenames[id] : words.file));
    case 'location': return [words.location];
    case 'phone': return [phoneDisplay(value)];
    default: return [String(value)];
    }
}
