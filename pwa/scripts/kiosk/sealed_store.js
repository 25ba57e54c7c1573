// The kiosk's encrypted outbox (issue 13): the `sealed` store of the tolbooth-kiosk
// database (db.js). A waiting item is {id, receipt_code, created_at, state, kid, epk,
// iv, ciphertext} plus its mutation id, form version, the sealed payload's hash and
// queued_at (heartbeat.js reads it): nothing a person wrote is readable here. Once the
// server has it (acknowledged_at), the seal goes and the item keeps only its receipt
// code and state (and the reference, once it has one). The device's own records (the
// next mutation id, the last public key fetched, for sealing offline) are kept beside
// the device record, in the `device` store, which "Finish" keeps too.
import { payloadSha256 } from '../outbox/canonical.js';
import { localReceipt } from '../outbox/store.js';
import { nowIso } from '../time/clock.js';
import { idbRequest, kioskTransact, readDevice } from './db.js';
import { seal } from './sealing.js';
import { reportWaiting } from './heartbeat.js';

const NEXT_ID = 'next_mutation_id';
const KEY = 'seal_key';
export const WAITING = 'waiting';
export const SENT = 'sent';
export const WITH_STAFF = 'with_hub_staff';
const listeners = new Set();

export function onSealedChange(listener) {
    listeners.add(listener);
}

function changed() {
    reportWaiting().catch(() => {});
    listeners.forEach((listener) => { try { listener(); } catch (error) { /* a listener's bug */ } });
}

function isItem(record) {
    return record && typeof record.receipt_code === 'string';
}

/** The server's public key: fetched when online (kept for offline), else the kept one. */
export async function sealKey(origin = '') {
    try {
        const response = await fetch(`${origin}/kiosk/seal-key.json`, { cache: 'no-store', credentials: 'omit' });
        if (response.ok) {
            const key = await response.json();
            await kioskTransact(['device'], 'readwrite', (s) => idbRequest(s.device.put({ key: KEY, kid: key.kid, jwk: key.jwk })));
            return key;
        }
    } catch (error) { /* offline: the kept key */ }
    const kept = await kioskTransact(['device'], 'readonly', (s) => idbRequest(s.device.get(KEY)));
    if (!kept) throw new Error('no sealing key on this kiosk');
    return { kid: kept.kid, jwk: kept.jwk };
}

/**
 * Seals a submission ({id, journey, form_version, answers, contact, locale}) and keeps
 * only the sealed item. The answers exist in clear only in this function's memory.
 */
export async function queueSealed(submission, origin = '') {
    const device = await readDevice();
    if (!device) throw new Error('not a kiosk');
    const receipt = localReceipt();
    const inner = {
        journey: submission.journey, answers: submission.answers, contact: submission.contact || {},
        locale: submission.locale, client_created_at: nowIso(), receipt,
    };
    const sealed = await seal(await sealKey(origin), device.client_id, submission.id, inner);
    const hash = await payloadSha256(sealed);
    const item = await kioskTransact(['sealed', 'device'], 'readwrite', async ({ sealed: store, device: own }) => {
        const existing = await idbRequest(store.get(submission.id));
        if (existing) return existing; // a double tap queues it once
        const next = (await idbRequest(own.get(NEXT_ID))) || { key: NEXT_ID, value: 1 };
        const record = {
            id: submission.id, receipt_code: receipt, created_at: inner.client_created_at,
            queued_at: inner.client_created_at, state: WAITING, mutation_id: next.value,
            form_version: submission.form_version, payload_sha256: hash, ...sealed,
        };
        own.put({ key: NEXT_ID, value: next.value + 1 });
        store.put(record);
        return record;
    });
    changed();
    return item;
}

export async function listSealed() {
    const all = await kioskTransact(['sealed'], 'readonly', (s) => idbRequest(s.sealed.getAll()));
    return all.filter(isItem).sort((a, b) => (a.mutation_id || 0) - (b.mutation_id || 0));
}

export async function findByReceipt(code) {
    return (await listSealed()).find((item) => item.receipt_code === code) || null;
}

export async function counts() {
    const items = await listSealed();
    const count = (state) => items.filter((i) => i.state === state).length;
    return { waiting: count(WAITING), sent: count(SENT), with_hub_staff: count(WITH_STAFF) };
}

/** The server's answer for an item: the seal is dropped, the outcome kept. */
export async function settle(result) {
    const done = await kioskTransact(['sealed'], 'readwrite', async ({ sealed: store }) => {
        const item = await idbRequest(store.get(result.id));
        if (!item || item.state !== WAITING) return false;
        const delivered = result.status === 'applied' || result.status === 'duplicate';
        store.put({
            id: item.id, receipt_code: item.receipt_code, created_at: item.created_at,
            queued_at: item.queued_at, acknowledged_at: nowIso(), mutation_id: item.mutation_id,
            state: delivered ? SENT : WITH_STAFF, reference: delivered ? result.reference : null,
        });
        return true;
    });
    if (done) changed();
    return done;
}

/** After a stop (out_of_order): the waiting items numbered again from `expected`. */
export async function renumberFrom(expected) {
    await kioskTransact(['sealed', 'device'], 'readwrite', async ({ sealed: store, device: own }) => {
        const all = (await idbRequest(store.getAll())).filter((r) => isItem(r) && r.state === WAITING)
            .sort((a, b) => a.mutation_id - b.mutation_id);
        let next = expected;
        all.forEach((item) => { store.put({ ...item, mutation_id: next }); next += 1; });
        own.put({ key: NEXT_ID, value: next });
    });
}
