// Dates and times written as the server writes them (server/i18n.py format_date, long;
// format_datetime, medium, in Europe/London): the CLDR patterns and names Babel has for
// the page's language come with the page (data-tb-dates, from i18n.date_formats), and are
// read here. The browser's own Intl formats differ (en is US English: "12/2/2026,
// 5:13:51 PM"). server/forms/display_examples/dates-*.json hold the two sides together.
import { wallClock } from './clock.js';

// A lone '' (a quote), a quoted literal ('' inside it is a quote), a run of one pattern
// letter, or other text.
const TOKENS = /''|'((?:[^']|'')*)'|([A-Za-z])\2*|[^'A-Za-z]+/g;

function padded(value, width) {
    return String(value).padStart(width, '0');
}

function field(letter, width, moment, names) {
    switch (letter) {
    case 'd': return padded(moment.day, width);
    case 'y': return width === 2 ? padded(moment.year % 100, 2) : padded(moment.year, width);
    case 'M': case 'L': {
        if (width <= 2) return padded(moment.month, width);
        const context = letter === 'M' ? 'format' : 'stand-alone';
        return names.months[context][width === 3 ? 'abbreviated' : 'wide'][moment.month - 1];
    }
    case 'H': return padded(moment.hour, width);
    case 'h': return padded(moment.hour % 12 || 12, width);
    case 'm': return padded(moment.minute, width);
    case 's': return padded(moment.second, width);
    case 'a': return names.periods[moment.hour < 12 ? 'am' : 'pm'];
    default: throw new Error(`date pattern letter ${letter} is not supported`);
    }
}

/** `moment` ({year, month, day, hour, minute, second}) written with a CLDR `pattern`. */
export function applyPattern(pattern, moment, names) {
    let out = '';
    for (const [token, quoted, letter] of pattern.matchAll(TOKENS)) {
        if (quoted !== undefined) out += quoted.replace(/''/g, "'");
        else if (token === "''") out += "'";
        else if (letter) out += field(letter, token.length, moment, names);
        else out += token;
    }
    return out;
}

/** A date answer ("2026-12-02") as format_date(..., "long") writes it. */
export function formatDate(isoDate, formats) {
    const [year, month, day] = String(isoDate).split('-').map(Number);
    return applyPattern(formats.date, { year, month, day, hour: 0, minute: 0, second: 0 }, formats);
}

/** A stored moment ("2026-12-02T17:13:51.123Z") as format_datetime(...) writes it. */
export function formatDateTime(isoMoment, formats) {
    const moment = wallClock(new Date(isoMoment));
    const { glue, date, time } = formats.datetime;
    return glue.replace('{0}', applyPattern(time, moment, formats))
        .replace('{1}', applyPattern(date, moment, formats));
}

/** The page's formats (base.html puts them on the outbox status holder). */
export function pageFormats(root = document) {
    const holder = root.getElementById('tb-outbox-status');
    try {
        return JSON.parse((holder && holder.dataset.tbDates) || 'null');
    } catch (error) {
        return null;
    }
}
