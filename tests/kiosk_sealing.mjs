// The kiosk's sealing (pwa/scripts/kiosk/sealing.js) against the sealed examples
// (sync/examples/sealed-*.json), for tests/test_kiosk_sealed_examples.py: every example
// payload's hash as the JavaScript computes it, and each example's inner payloads sealed
// here with the example's public key, for Python to open with its private key.
// Prints JSON {hashes: [[file, mutation id, hash]], sealed: [{file, id, inner, sealed}]}.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { payloadSha256 } from '../pwa/scripts/outbox/canonical.js';
import { seal } from '../pwa/scripts/kiosk/sealing.js';

const dir = process.argv[2];
const report = { hashes: [], sealed: [] };
for (const file of readdirSync(dir).filter((n) => n.startsWith('sealed-')).sort()) {
    const example = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const step of example.steps) {
        for (const m of step.request.body.mutations) {
            report.hashes.push([file, m.mutation_id, m.payload_sha256, await payloadSha256(m.payload)]);
        }
    }
    const key = { kid: example.server_key.kid, jwk: example.server_key.jwk };
    for (const [id, inner] of Object.entries(example.sealed)) {
        report.sealed.push({ file, id, inner, sealed: await seal(key, example.client_id, id, inner) });
    }
}
console.log(JSON.stringify(report));
