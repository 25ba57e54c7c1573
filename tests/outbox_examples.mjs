// The outbox's JavaScript against the sync protocol's example files (sync/examples/*.json,
// the same files the server's Python tests read), for tests/test_outbox_examples.py:
//   - canonical JSON + SHA-256 of every example payload give the example's payload_sha256
//     (and differ where the example is a hash mismatch the server refuses);
//   - every push result maps to the outbox state the contract says.
// Prints a JSON report {checked: {...}, failures: [...]}; exits 1 on any failure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { payloadSha256 } from '../pwa/scripts/outbox/canonical.js';
import { outcome, resumeFrom } from '../pwa/scripts/outbox/results.js';

const dir = process.argv[2];
const failures = [];
const checked = { hashes: 0, mismatches: 0, results: 0, stops: 0 };

function fail(file, message) {
    failures.push(`${file}: ${message}`);
}

// Protocol 2 pushes (push-v2-*) are the field app's: tests/field_examples.mjs.
const v1Push = (n) => n.startsWith('push-') && !n.startsWith('push-v2-') && n.endsWith('.json');
for (const name of readdirSync(dir).filter(v1Push).sort()) {
    const example = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    for (const step of example.steps || []) {
        const body = step.request && step.request.body;
        const answer = step.response || {};
        for (const mutation of (body && Array.isArray(body.mutations) ? body.mutations : [])) {
            if (!mutation || typeof mutation !== 'object' || !('payload' in mutation)) continue;
            const ours = await payloadSha256(mutation.payload);
            const refusedHash = answer.body && answer.body.error === 'hash_mismatch';
            if (refusedHash) {
                checked.mismatches += 1;
                if (ours === mutation.payload_sha256) fail(name, 'the server refused a hash that we compute the same');
            } else if (answer.status === 200) {
                checked.hashes += 1;
                if (ours !== mutation.payload_sha256) fail(name, `hash ${ours} != ${mutation.payload_sha256}`);
            }
        }
        if (answer.status !== 200 || !answer.body || !Array.isArray(answer.body.results)) continue;
        for (const result of answer.body.results) {
            checked.results += 1;
            const found = outcome(result);
            if (['applied', 'duplicate'].includes(result.status)) {
                if (found.state !== 'acked' || found.reference !== result.reference || !found.reference) {
                    fail(name, `${result.status} should be acked with its reference`);
                }
            } else if (['rejected', 'conflict'].includes(result.status)) {
                if (found.state !== 'attention' || found.reason !== result.status) fail(name, `${result.status} should need attention`);
                if (result.status === 'rejected' && !(found.errors.length && found.errors.every((e) => e.message))) {
                    fail(name, 'a rejection should carry its translated messages');
                }
            } else {
                fail(name, `unknown result status ${result.status}`);
            }
        }
        const stopped = answer.body.stopped;
        if (stopped) {
            checked.stops += 1;
            if (resumeFrom(answer.body) !== stopped.expected) fail(name, 'out_of_order should resume from expected');
        } else if (resumeFrom(answer.body) !== null) {
            fail(name, 'no stop, yet a resume point');
        }
    }
}
console.log(JSON.stringify({ checked, failures }));
process.exit(failures.length ? 1 : 0);
