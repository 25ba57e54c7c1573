// Sending the kiosk's sealed items (sync/PROTOCOL.md, "Sealed kiosk submissions"): one
// sender at a time (Web Locks), batches of up to 50, each answer settling its item. The
// kiosk's client comes from its enrolment (the device record): on a 401 nothing is
// dropped; the items wait for the kiosk to be enrolled again.
import { readDevice } from './db.js';
import { listSealed, renumberFrom, settle, WAITING } from './sealed_store.js';

export const KIOSK_LOCK = 'tolbooth-kiosk-outbox';
const BATCH = 50;
const APP_VERSION = 'kiosk-1';

function mutation(item) {
    return {
        mutation_id: item.mutation_id, id: item.id, op: 'create', entity: 'sealed_request',
        base_version: null, form_version: item.form_version,
        payload: { kid: item.kid, epk: item.epk, iv: item.iv, ciphertext: item.ciphertext },
        payload_sha256: item.payload_sha256, attachments: [],
    };
}

async function pushBatch(origin, device, items) {
    try {
        const response = await fetch(`${origin}/sync/v1/push`, {
            method: 'POST', credentials: 'omit', cache: 'no-store',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${device.client_token}` },
            body: JSON.stringify({
                protocol: 1, client_id: device.client_id, app_version: APP_VERSION,
                mutations: items.map(mutation),
            }),
        });
        return { status: response.status, body: response.ok ? await response.json() : null };
    } catch (error) {
        return { status: 0, body: null };
    }
}

async function sendHeld(origin) {
    const summary = { sent: 0, waiting: 0, status: null };
    const device = await readDevice();
    if (!device) return summary;
    for (let round = 0; round < 100; round += 1) {
        const waiting = (await listSealed()).filter((i) => i.state === WAITING);
        summary.waiting = waiting.length;
        if (!waiting.length) break;
        const answer = await pushBatch(origin, device, waiting.slice(0, BATCH));
        summary.status = answer.status;
        if (answer.status !== 200 || !answer.body) break;
        for (const result of answer.body.results || []) {
            if (await settle(result)) summary.sent += 1;
        }
        const stop = answer.body.stopped;
        const last = answer.body.last_mutation_id || 0;
        const behind = (await listSealed()).some((i) => i.state === WAITING && i.mutation_id <= last);
        if (stop && stop.reason === 'out_of_order') {
            await renumberFrom(stop.expected);
        } else if (behind) {
            // Numbers the server has used already (its answers were another item's, as
            // after the device's counter was lost): go on after the server's last.
            await renumberFrom(last + 1);
        } else if (!(answer.body.results || []).length) {
            break;
        }
    }
    summary.waiting = (await listSealed()).filter((i) => i.state === WAITING).length;
    return summary;
}

/** Sends what waits; resolves with {sent, waiting, status} (status 0: offline). */
export function sendSealed(origin = '') {
    if (typeof navigator === 'undefined' || !navigator.locks) return sendHeld(origin);
    return navigator.locks.request(KIOSK_LOCK, () => sendHeld(origin));
}
