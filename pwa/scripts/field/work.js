// The field app's decisions that need no browser (tests/field_work.mjs runs them in
// node): the case list's orders, a visit from its versioned form definition, case edits
// as a case.update, and how a queue of work becomes a numbered push. Words come from the
// page (translated on the server); nothing here is English.

import { nowIso } from '../time/clock.js';

const POSTCODE = /\b([A-Z]{1,2}[0-9][0-9A-Z]?)\s*[0-9][A-Z]{2}\b/i;
export const MAX_TEXT = 4000;
export const BATCH_SIZE = 50;
export const OUTCOMES = ['completed', 'no_access', 'refused', 'follow_up'];
// The fields a worker may change (sync/merge.py CASE_FIELDS), with how the form edits them.
// The statuses a worker may set (sync/merge.py FIELD_STATUSES); closing is the office's.
export const FIELD_STATUSES = ['in_progress', 'waiting_resident', 'waiting_other'];

export const EDITABLE = {
    status: { type: 'choice', options: FIELD_STATUSES },
    risk_level: { type: 'choice', options: ['low', 'medium', 'high'] },
    access_notes: { type: 'text', max: 2000 },
    hazards: { type: 'text', max: 2000 },
    contact_phone: { type: 'text', max: 40 },
    next_visit_on: { type: 'date' },
    follow_up_needed: { type: 'boolean' },
};

/** The area a case is in: its postcode district (EH22), else its address's last part. */
export function areaOf(address) {
    const text = String(address || '');
    const found = POSTCODE.exec(text);
    if (found) return found[1].toUpperCase();
    const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
    return parts.length ? parts[parts.length - 1] : '';
}

const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Cases [{id, data}] in the order asked: `next_visit` (soonest first, none last) or
 *  `area` (then address); the reference breaks ties so the order never jumps. */
export function sortCases(cases, order) {
    const ref = (c) => String(c.data.reference || c.id);
    const keyed = cases.map((c) => ({ c, visit: c.data.next_visit_on || '\uffff', area: areaOf(c.data.address) }));
    keyed.sort((x, y) => (order === 'area'
        ? byText(x.area, y.area) || byText(String(x.c.data.address || ''), String(y.c.data.address || ''))
        : byText(x.visit, y.visit)) || byText(ref(x.c), ref(y.c)));
    return keyed.map((k) => k.c);
}

const blank = (value) => value === undefined || value === null || String(value).trim() === '';

/** A visit from the form definition {version, questions, summary} and the answers the
 *  worker gave: {payload} or {errors: [{field, message}]}. The protocol's visit has one
 *  text, `summary`: the definition says which answers make it, each under its label. */
export function visitFromForm(definition, answers, { locale, now, words }) {
    const errors = [];
    for (const q of definition.questions) {
        if (q.required && blank(answers[q.id])) errors.push({ field: q.id, message: q.error });
    }
    const started = blank(answers.started_at) ? null : new Date(answers.started_at);
    if (started && Number.isNaN(started.getTime())) errors.push({ field: 'started_at', message: words.bad_date });
    if (!blank(answers.outcome) && !OUTCOMES.includes(answers.outcome)) {
        errors.push({ field: 'outcome', message: words.bad_choice });
    }
    const label = (id) => definition.questions.find((q) => q.id === id).label;
    const summary = definition.summary.filter((id) => !blank(answers[id]))
        .map((id) => `${label(id)}: ${String(answers[id]).trim()}`).join('\n\n');
    if (summary.length > MAX_TEXT) errors.push({ field: definition.summary[definition.summary.length - 1], message: words.too_long });
    if (errors.length) return { errors };
    return {
        payload: {
            started_at: nowIso(started), ended_at: now, outcome: answers.outcome,
            summary, locale, client_created_at: now,
        },
    };
}

export function noteFromText(text, { locale, now, words }) {
    if (blank(text)) return { errors: [{ field: 'text', message: words.note_required }] };
    if (text.length > MAX_TEXT) return { errors: [{ field: 'text', message: words.too_long }] };
    return { payload: { text, locale, client_created_at: now } };
}

function editedValue(spec, raw) {
    if (spec.type === 'boolean') return raw === true || raw === 'true' || raw === 'on';
    const text = String(raw === undefined || raw === null ? '' : raw).trim();
    if (spec.type === 'date' || spec.type === 'choice') return text || null;
    return text || null;
}

/** The fields the worker changed, against the case as the device holds it:
 *  {fields} (maybe empty) or {errors}. Unchanged fields are left out: sending a value
 *  unchanged would still name it in the merge. */
export function caseEdits(held, form, { words }) {
    const fields = {};
    const errors = [];
    for (const [name, spec] of Object.entries(EDITABLE)) {
        if (!(name in form) && spec.type !== 'boolean') continue;
        const value = editedValue(spec, form[name]);
        const before = held[name] === undefined ? null : held[name];
        if (value === before || (spec.type === 'boolean' && Boolean(before) === value)) continue;
        // Only what changed is checked (a case may hold a status the worker cannot set).
        if (spec.max && value && value.length > spec.max) errors.push({ field: name, message: words.too_long });
        if (spec.type === 'choice' && value !== null && !spec.options.includes(value)) errors.push({ field: name, message: words.bad_choice });
        if (spec.type === 'date' && value !== null && !/^\d{4}-\d{2}-\d{2}$/.test(value)) errors.push({ field: name, message: words.bad_date });
        fields[name] = value;
    }
    return errors.length ? { errors } : { fields };
}

/** The worker's changes to a case still on the device (opened outbox items, queue order;
 *  a quarantined one is not in force): what the case shows and the edit form starts
 *  from until the server has them and the next pull brings them back. */
export function pendingEdits(items, caseId) {
    const fields = {};
    for (const item of items) {
        if (item.case_id !== caseId || item.entity !== 'case' || item.op !== 'update') continue;
        if (item.state === 'quarantined' || !item.payload || !item.payload.fields) continue;
        Object.assign(fields, item.payload.fields);
    }
    return fields;
}

/** The next push: the first BATCH_SIZE items waiting, numbered after the server's last
 *  mutation id. An item keeps no number of its own: the result's `id` says which it is. */
export function numberBatch(items, lastMutationId, size = BATCH_SIZE) {
    return items.slice(0, size).map((item, i) => ({ ...item, mutation_id: lastMutationId + i + 1 }));
}

/** The mutation on the wire for an opened outbox item. */
export function toMutation(item) {
    return {
        mutation_id: item.mutation_id, id: item.id, entity: item.entity, op: item.op,
        case_id: item.case_id, base_version: item.base_version === undefined ? null : item.base_version,
        payload: item.payload, payload_sha256: item.payload_sha256,
        attachments: (item.attachments || []).map((a) => ({
            id: a.id, question_id: 'photos', sha256: a.sha256, size: a.size,
            filename: a.filename, media_type: a.media_type,
        })),
    };
}

/** Where the next push starts after an answer: the server's last id, or before the one
 *  it expected when it stopped at a gap. */
export function lastAfter(body, lastMutationId) {
    if (body.stopped && Number.isSafeInteger(body.stopped.expected)) return body.stopped.expected - 1;
    return Number.isSafeInteger(body.last_mutation_id) ? body.last_mutation_id : lastMutationId;
}
