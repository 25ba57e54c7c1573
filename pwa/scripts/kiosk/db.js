// The kiosk's own IndexedDB database (issue 13), separate from the outbox's so "Finish"
// can wipe every other database and keep this one: it holds only the device record and
// sealed (encrypted) submissions, nothing readable about a person.
//
// device: keyPath `key`; the record {key: "client", client_id, client_token, hub_id,
//   hub_name} written at enrolment (pwa/templates/kiosk/enrolled.html).
// sealed: keyPath `id`; sealed submissions waiting to be sent (the encrypted outbox).
import { opener } from '../outbox/idb.js';
export const KIOSK_DB_NAME = 'tolbooth-kiosk';
const KIOSK_DB_VERSION = 1;
const DEVICE_KEY = 'client';

function upgrade(db) {
    if (!db.objectStoreNames.contains('device')) db.createObjectStore('device', { keyPath: 'key' });
    if (!db.objectStoreNames.contains('sealed')) db.createObjectStore('sealed', { keyPath: 'id' });
}

function done(req) {
    return new Promise((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
    });
}

export const openKioskDb = opener(KIOSK_DB_NAME, KIOSK_DB_VERSION, upgrade);

/**
 * One transaction over `names`; resolves with `work`'s result once it has committed.
 * Writes ask for durability "strict": a sealed submission must be on disk before the
 * person is told it is queued. `work` must only issue requests, never await others.
 */
export async function kioskTransact(names, mode, work) {
    const db = await openKioskDb();
    const tx = db.transaction(names, mode, mode === 'readwrite' ? { durability: 'strict' } : undefined);
    const stores = {};
    for (const name of names) stores[name] = tx.objectStore(name);
    const committed = new Promise((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
        tx.onerror = () => reject(tx.error);
    });
    let result;
    try {
        result = await work(stores, tx);
    } catch (error) {
        try { tx.abort(); } catch (ignored) { /* already finished */ }
        await committed.catch(() => {});
        throw error;
    }
    await committed;
    return result;
}

export { done as idbRequest };

/** The device record, or null on a browser that is not a kiosk. */
export async function readDevice() {
    return kioskTransact(['device'], 'readonly', (s) => done(s.device.get(DEVICE_KEY)))
        .then((record) => record || null);
}

/** Stores the device record given at enrolment (replacing any earlier one). */
export async function writeDevice({ client_id, client_token, hub_id, hub_name }) {
    const record = { key: DEVICE_KEY, client_id, client_token, hub_id, hub_name };
    await kioskTransact(['device'], 'readwrite', (s) => done(s.device.put(record)));
    return record;
}

/**
 * True when this browser holds a kiosk device record. Works offline, where a page may
 * come from the service worker's cache without the server's data-kiosk flag.
 */
export async function isKiosk() {
    try {
        return Boolean(await readDevice());
    } catch (error) {
        return false;
    }
}
