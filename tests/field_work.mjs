// The field app's pure decisions (pwa/scripts/field/work.js), for tests/test_field_work.py:
// the visit form definition the server serves (argv[2], JSON) filled in as the page does;
// case edits; the case list's orders; push numbering. Prints {checks: {name: null |
// "what went wrong"}}; the Python side asserts each is null.
import { readFileSync } from 'node:fs';

import { areaOf, caseEdits, lastAfter, noteFromText, numberBatch, pendingEdits, sortCases, toMutation, visitFromForm } from '../pwa/scripts/field/work.js';

const definition = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const words = { bad_date: 'W:bad_date', bad_choice: 'W:bad_choice', too_long: 'W:too_long', note_required: 'W:note_required' };
const options = { locale: 'gd', now: '2026-12-03T10:00:00.000Z', words };
const checks = {};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function check(name, fn) {
    try {
        const problem = fn();
        checks[name] = problem || null;
    } catch (error) {
        checks[name] = `threw ${error && error.stack}`;
    }
}

check('visit_from_definition', () => {
    const made = visitFromForm(definition, { started_at: '2026-12-03T09:30', seen: 'Tenant', findings: 'Damp in the hall',
        outcome: 'follow_up', next_steps: '' }, options);
    if (made.errors) return `errors ${JSON.stringify(made.errors)}`;
    const label = (id) => definition.questions.find((q) => q.id === id).label;
    const expected = `${label('seen')}: Tenant\n\n${label('findings')}: Damp in the hall`;
    if (made.payload.summary !== expected) return `summary ${JSON.stringify(made.payload.summary)}`;
    if (!same(Object.keys(made.payload).sort(), ['client_created_at', 'ended_at', 'locale', 'outcome', 'started_at', 'summary'])) return 'payload keys';
    if (made.payload.outcome !== 'follow_up' || made.payload.locale !== 'gd') return 'outcome or locale';
    if (Number.isNaN(Date.parse(made.payload.started_at))) return 'started_at';
    return null;
});

check('visit_required_answers', () => {
    const made = visitFromForm(definition, { seen: 'x' }, options);
    const fields = (made.errors || []).map((e) => e.field).sort();
    if (!same(fields, ['findings', 'outcome', 'started_at'])) return `fields ${fields}`;
    const messages = made.errors.map((e) => e.message);
    if (messages.some((m) => !m)) return 'a required answer has no message from the definition';
    return null;
});

check('visit_bad_outcome_and_too_long', () => {
    const made = visitFromForm(definition, { started_at: '2026-12-03T09:30', findings: 'x'.repeat(4001), outcome: 'burnt' }, options);
    const codes = (made.errors || []).map((e) => e.message).sort();
    return same(codes, ['W:bad_choice', 'W:too_long']) ? null : `errors ${codes}`;
});

check('note', () => {
    if (!noteFromText('   ', options).errors) return 'blank note accepted';
    if (!noteFromText('x'.repeat(4001), options).errors) return 'long note accepted';
    const made = noteFromText('Bait laid', options);
    return same(made.payload, { text: 'Bait laid', locale: 'gd', client_created_at: options.now }) ? null : 'payload';
});

check('case_edits_send_only_changes', () => {
    const held = { risk_level: 'low', access_notes: 'Side gate', hazards: null, contact_phone: '0131', next_visit_on: '2026-12-10', follow_up_needed: false };
    const form = { risk_level: 'high', access_notes: 'Side gate', hazards: '', contact_phone: '0131', next_visit_on: '2026-12-12' };
    const made = caseEdits(held, form, { words });
    if (made.errors) return `errors ${JSON.stringify(made.errors)}`;
    if (!same(made.fields, { risk_level: 'high', next_visit_on: '2026-12-12' })) return `fields ${JSON.stringify(made.fields)}`;
    const ticked = caseEdits(held, { ...form, risk_level: 'low', next_visit_on: '2026-12-10', follow_up_needed: 'true' }, { words });
    if (!same(ticked.fields, { follow_up_needed: true })) return `ticked ${JSON.stringify(ticked.fields)}`;
    const cleared = caseEdits(held, { ...form, risk_level: 'low', next_visit_on: '' }, { words });
    if (!same(cleared.fields, { next_visit_on: null })) return `cleared ${JSON.stringify(cleared.fields)}`;
    return null;
});

check('pending_edits_show_until_sent', () => {
    const edit = (id, caseId, fields, state = 'pending') => ({ id, case_id: caseId, entity: 'case', op: 'update', state, payload: { fields } });
    const items = [
        edit('1', 'c', { risk_level: 'medium', hazards: 'Dog' }),
        { id: '2', case_id: 'c', entity: 'note', op: 'create', state: 'pending', payload: { text: 'x' } },
        edit('3', 'c', { risk_level: 'high' }),
        edit('4', 'other', { hazards: 'Glass' }),
        edit('5', 'c', { access_notes: 'Key safe' }, 'quarantined'),
        { id: '6', case_id: 'c', entity: 'case', op: 'update', state: 'pending', label: '' }, // unreadable
    ];
    const got = pendingEdits(items, 'c');
    return same(got, { risk_level: 'high', hazards: 'Dog' }) ? null : JSON.stringify(got);
});

check('case_edits_send_a_status_the_worker_may_set', () => {
    const held = { status: 'in_progress', risk_level: 'low' };
    const made = caseEdits(held, { status: 'waiting_resident', risk_level: 'low' }, { words });
    if (!same(made.fields, { status: 'waiting_resident' })) return `changed ${JSON.stringify(made)}`;
    // A status the worker cannot set is shown, not sent (its option is disabled).
    const received = caseEdits({ status: 'received', risk_level: 'low' }, { risk_level: 'high' }, { words });
    if (!same(received.fields, { risk_level: 'high' })) return `received ${JSON.stringify(received)}`;
    const closing = caseEdits(held, { status: 'resolved' }, { words });
    if (!closing.errors || closing.errors[0].field !== 'status') return `closing ${JSON.stringify(closing)}`;
    return null;
});

check('case_edits_refuse_bad_values', () => {
    const made = caseEdits({ risk_level: 'low' }, { risk_level: 'extreme', next_visit_on: '12/12/2026', contact_phone: '1'.repeat(41) }, { words });
    const fields = (made.errors || []).map((e) => e.field).sort();
    return same(fields, ['contact_phone', 'next_visit_on', 'risk_level']) ? null : `fields ${fields}`;
});

check('orders', () => {
    const cases = [
        { id: 'a', data: { reference: 'R-3', address: '2 Main St, Penicuik EH26 8AB', next_visit_on: null } },
        { id: 'b', data: { reference: 'R-1', address: '1 High St, Dalkeith EH22 1AA', next_visit_on: '2026-12-20' } },
        { id: 'c', data: { reference: 'R-2', address: '9 Low Rd, Bonnyrigg EH19 2BB', next_visit_on: '2026-12-05' } },
    ];
    const byVisit = sortCases(cases, 'next_visit').map((c) => c.id).join('');
    const byArea = sortCases(cases, 'area').map((c) => c.id).join('');
    if (byVisit !== 'cba') return `next_visit ${byVisit}`;
    if (byArea !== 'cba') return `area ${byArea}`;
    if (areaOf('Flat 2, 10 Eskbank Road, Dalkeith, eh22 3bx') !== 'EH22') return 'postcode district';
    if (areaOf('Newtongrange, Midlothian') !== 'Midlothian') return 'no postcode';
    return null;
});

check('numbering_and_resume', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ id: `i${i}`, entity: 'note', op: 'create', case_id: 'c',
        payload: {}, payload_sha256: 'h', attachments: [] }));
    const batch = numberBatch(items, 7);
    if (batch.length !== 50 || batch[0].mutation_id !== 8 || batch[49].mutation_id !== 57) return 'batch';
    const wire = toMutation({ ...batch[0], attachments: [{ id: 'p', sha256: 's', size: 3, filename: 'a.jpg', media_type: 'image/jpeg', extra: 1 }] });
    if (!same(Object.keys(wire).sort(), ['attachments', 'base_version', 'case_id', 'entity', 'id', 'mutation_id', 'op', 'payload', 'payload_sha256'])) return 'mutation keys';
    if (wire.base_version !== null || wire.attachments[0].question_id !== 'photos' || 'extra' in wire.attachments[0]) return 'mutation values';
    if (lastAfter({ last_mutation_id: 12, stopped: null }, 7) !== 12) return 'last';
    if (lastAfter({ last_mutation_id: 3, stopped: { reason: 'out_of_order', expected: 4 } }, 7) !== 3) return 'stopped';
    return null;
});

console.log(JSON.stringify({ checks }));
