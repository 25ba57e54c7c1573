// The field app's JavaScript (pwa/scripts/field/) against sync protocol 2's example files
// (sync/examples/pull-*.json and push-v2-*.json, the same files the Python tests run
// through sync/), for tests/test_field_examples.py:
//   - each pull an app makes is the request nextRequest() builds from its stored cursor;
//   - every page reads strictly, and storing it gives the store the example says, with
//     its conflicts shown as merge_view.js shows them; malformed pages are refused;
//   - a refused pull leads to the right next move (bad_cursor: start over);
//   - canonical JSON + SHA-256 give every push's payload_sha256, and every push result
//     maps to the outbox state the protocol says.
// Prints a JSON report {checked: {...}, failures: [...]}; exits 1 on any failure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { payloadSha256 } from '../pwa/scripts/outbox/canonical.js';
import { outcome } from '../pwa/scripts/outbox/results.js';
import { caseConflicts, conflictView } from '../pwa/scripts/field/merge_view.js';
import { PageError, afterRefusal, newStore, nextRequest, openConflicts, readPage, storePage } from '../pwa/scripts/field/pull.js';
import { fieldOutcome } from '../pwa/scripts/field/push_results.js';

const dir = process.argv[2];
const failures = [];
const checked = { requests: 0, pages: 0, stores: 0, conflicts: 0, refusals: 0, hashes: 0, results: 0, malformed: 0 };
const WORDS = { yours: 'W:yours', office: 'W:office', before: 'W:before', empty: 'W:empty', yes: 'W:yes',
    no: 'W:no', open_mine: 'W:open_mine', open_other: 'W:open_other', resolved: 'W:resolved' };
const fail = (file, message) => failures.push(`${file}: ${message}`);

function held(store) {
    const out = {};
    for (const row of [...store.rows.values()].sort((a, b) => (a.kind + a.id < b.kind + b.id ? -1 : 1))) {
        (out[row.kind] ||= {})[row.id] = row.version;
    }
    return out;
}

function shown(value) {
    if (value === null || value === '') return WORDS.empty;
    if (value === true) return WORDS.yes;
    if (value === false) return WORDS.no;
    return String(value);
}

function checkConflicts(name, where, store, clientId) {
    for (const row of store.rows.values()) {
        if (row.kind !== 'conflict') continue;
        checked.conflicts += 1;
        const view = conflictView(row, { clientId, labels: { access_notes: 'L:access' }, words: WORDS });
        const values = Object.fromEntries(view.rows.map((r) => [r.key, r.value]));
        const { data } = row;
        if (values.client !== shown(data.client) || values.server !== shown(data.server) || values.base !== shown(data.base)) {
            fail(name, `${where}: a conflict must show both values and the base`);
        }
        if (view.mine !== (data.client_id === clientId)) fail(name, `${where}: whose conflict is wrong`);
        const open = data.status === 'open';
        if (view.open !== open || view.now !== shown(open ? data.server : data.resolution)) {
            fail(name, `${where}: a conflict's state or current value is wrong`);
        }
        const expected = open ? (view.mine ? WORDS.open_mine : WORDS.open_other) : WORDS.resolved;
        if (view.message !== expected) fail(name, `${where}: a conflict's message is wrong`);
        if (!caseConflicts([...store.rows.values()], row.case_id, { clientId, words: WORDS }).some((v) => v.id === row.id)) {
            fail(name, `${where}: the case's conflicts leave one out`);
        }
    }
    const openOnes = openConflicts(store).length;
    const counted = [...store.rows.values()].filter((r) => r.kind === 'conflict' && r.data.status === 'open').length;
    if (openOnes !== counted) fail(name, `${where}: open conflicts miscounted`);
}

async function checkPush(name, where, step) {
    const body = step.request.body || {};
    const answer = step.response;
    for (const mutation of Array.isArray(body.mutations) ? body.mutations : []) {
        if (!mutation || typeof mutation !== 'object' || !('payload' in mutation)) continue;
        const ours = await payloadSha256(mutation.payload);
        if (answer.body && answer.body.error === 'hash_mismatch') {
            if (ours === mutation.payload_sha256) fail(name, `${where}: a refused hash computes the same`);
        } else if (answer.status === 200) {
            checked.hashes += 1;
            if (ours !== mutation.payload_sha256) fail(name, `${where}: hash ${ours} != ${mutation.payload_sha256}`);
        }
    }
    if (answer.status !== 200) return;
    for (const result of answer.body.results) {
        checked.results += 1;
        if (!('case_id' in result)) { // a request made on the device: the v1 outbox's
            if (outcome(result).state !== 'acked') fail(name, `${where}: a request should be acked`);
            continue;
        }
        const found = fieldOutcome(result);
        if (result.status === 'rejected') {
            if (found.state !== 'attention' || !found.errors.length
                || !found.errors.every((e) => e.message && e.code && e.field)) {
                fail(name, `${where}: a rejection needs the worker, with its errors`);
            }
        } else if (found.state !== 'acked' || found.late !== result.late) {
            fail(name, `${where}: ${result.status} should be acked, late as the server says`);
        } else if (result.status === 'conflict' && result.reason !== 'id_reused'
                   && !found.conflicts.every((c) => 'client' in c && 'server' in c && 'base' in c)) {
            fail(name, `${where}: a conflict keeps both values and the base`);
        }
    }
}

function checkPull(name, where, step, device) {
    const path = step.request.path;
    const query = new URLSearchParams(path.split('?')[1] || '');
    if (!step.crafted) {
        checked.requests += 1;
        const wanted = nextRequest(device.store.cursor, Number(query.get('limit')));
        // The examples' cursors are placeholders ($cursor_1), which URLSearchParams escapes.
        if (decodeURIComponent(wanted) !== decodeURIComponent(path)) fail(name, `${where}: the app would ask ${wanted}, not ${path}`);
    }
    const answer = step.response;
    if (answer.status !== 200) {
        checked.refusals += 1;
        const move = afterRefusal(answer.status, answer.body.error);
        if ((answer.body.error === 'bad_cursor') !== (move === 'start_over')) fail(name, `${where}: wrong move ${move}`);
        if (move === 'start_over') device.store.cursor = null;
        return;
    }
    checked.pages += 1;
    try {
        readPage(answer.body, device.id);
    } catch (error) {
        fail(name, `${where}: page refused: ${error.message}`);
        return;
    }
    if (step.crafted || step.lost) return;
    storePage(device.store, answer.body, device.id);
    if (step.store) {
        checked.stores += 1;
        if (JSON.stringify(held(device.store)) !== JSON.stringify(step.store)) {
            fail(name, `${where}: store ${JSON.stringify(held(device.store))} != ${JSON.stringify(step.store)}`);
        }
    }
    checkConflicts(name, where, device.store, device.id);
}

function checkMalformed(name, page, clientId) {
    const copy = () => JSON.parse(JSON.stringify(page));
    const breakers = [
        (p) => { delete p.more; }, (p) => { p.extra = 1; }, (p) => { p.protocol = 1; },
        (p) => { p.client_id = 'someone else'; }, (p) => { p.cursor = ''; }, (p) => { p.more = 'no'; },
        (p) => { p.changes = {}; }, (p) => { p.changes[0].kind = 'payment'; }, (p) => { p.changes[0].op = 'merge'; },
        (p) => { p.changes[0].version = 0; }, (p) => { p.changes[0].data = null; },
        (p) => { p.changes[0].op = 'remove'; }, (p) => { p.changes[0].case_id = p.changes[1].id; },
        (p) => { delete p.changes[0].version; }, (p) => { p.reset = { reason: 'whim', drop: [], drop_all: false }; },
        (p) => { p.reset = { reason: 'start', drop: 'all', drop_all: false }; },
        (p) => { p.changes.push({ ...p.changes[0], kind: 'photo', id: 'x', data: { thumbnail: 'A'.repeat(70000) } }); },
    ];
    for (const [i, breaker] of breakers.entries()) {
        const broken = copy();
        breaker(broken);
        checked.malformed += 1;
        try {
            readPage(broken, clientId);
            fail(name, `malformed page ${i} was read`);
        } catch (error) {
            if (!(error instanceof PageError)) fail(name, `malformed page ${i}: ${error}`);
        }
    }
}

const files = readdirSync(dir).filter((n) => /^(pull-|push-v2-).*\.json$/.test(n)).sort();
for (const name of files) {
    const example = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    const names = Object.keys((example.world && example.world.devices) || { a: null });
    const devices = Object.fromEntries(names.map((n) => [n, { id: `$client_id_${n}`, store: newStore() }]));
    for (const [number, original] of (example.steps || []).entries()) {
        if (original.world) continue;
        const deviceName = original.client || 'a';
        const device = devices[deviceName];
        // `$client_id` is the step's own device: the lettered name says which.
        const step = JSON.parse(JSON.stringify(original).replace(/\$client_id(?![_a-z0-9])/g, device.id));
        const where = `step ${number}`;
        if (step.request.method === 'GET') checkPull(name, where, step, device);
        else await checkPush(name, where, step);
    }
}
const first = files.includes('pull-first-download.json')
    && JSON.parse(readFileSync(join(dir, 'pull-first-download.json'), 'utf8')).steps[0].response.body;
if (first) checkMalformed('pull-first-download.json', JSON.parse(JSON.stringify(first).replaceAll('$client_id', '$client_id_a')), '$client_id_a');
console.log(JSON.stringify({ checked, failures }));
process.exit(failures.length ? 1 : 0);
