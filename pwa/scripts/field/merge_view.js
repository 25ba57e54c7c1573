// What a field worker sees of a conflict (sync/PROTOCOL.md "Conflicts"), pure: the page
// renders it, tests/field_examples.mjs checks it against the example files. Every word
// comes from the page (`words`, translated on the server) and every field's name from
// `labels`; nothing here is English.
//
// words: {yours, office, before, empty, yes, no, open_mine, open_other, resolved, late}

function shown(value, words, field = null, labels = {}) {
    if (value === null || value === undefined || value === '') return words.empty;
    if (value === true) return words.yes;
    if (value === false) return words.no;
    // A status or a risk level by its name in the page's language, when the page gave it.
    if (field === 'status' && labels.statuses && labels.statuses[value]) return labels.statuses[value];
    if (field === 'risk_level' && typeof labels[value] === 'string') return labels[value];
    return String(value);
}

/** One conflict as rows the page lists: both values and the one they both started
 *  from; which value the case has now; whether this device made it. */
export function conflictView(conflict, { clientId, labels = {}, words }) {
    const data = conflict.data;
    const open = data.status === 'open';
    const mine = data.client_id === clientId;
    const now = open ? data.server : data.resolution;
    return {
        id: conflict.id,
        caseId: conflict.case_id,
        field: data.field,
        label: labels[data.field] || data.field,
        open,
        mine,
        late: Boolean(data.late),
        message: open ? (mine ? words.open_mine : words.open_other) : words.resolved,
        rows: [
            { key: 'client', label: words.yours, value: shown(data.client, words, data.field, labels) },
            { key: 'server', label: words.office, value: shown(data.server, words, data.field, labels) },
            { key: 'base', label: words.before, value: shown(data.base, words, data.field, labels) },
        ],
        now: shown(now, words, data.field, labels),
    };
}

/** The conflicts of one case for its page: open ones first, then resolved, each group
 *  in field order so the list does not jump between syncs. */
export function caseConflicts(rows, caseId, options) {
    return rows
        .filter((row) => row.kind === 'conflict' && row.case_id === caseId)
        .map((row) => conflictView(row, options))
        .sort((a, b) => (a.open === b.open ? a.field.localeCompare(b.field) : a.open ? -1 : 1));
}
