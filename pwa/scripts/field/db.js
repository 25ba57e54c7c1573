// The field app's own IndexedDB database (separate from the resident outbox,
// tolbooth-outbox), shared by the field page and the service worker. Every write asks
// for durability "strict": a page and its cursor, or a queued visit, must be on disk
// when the transaction says it is done.
import { opener } from '../outbox/idb.js';
export const DB_NAME = 'tolbooth-field';
const DB_VERSION = 1;

// rows: pulled cases and what is on them, sealed (vault.js), keyed "kind/id", with
//   case_id and version in the clear (a reset drops by case; planPage compares versions).
// outbox: the worker's unsent work, keyed by its entity id, in `seq` order.
// photos: the photos of outbox items, sealed, until uploaded.
// meta: the device (client id and token), cursor, last sync, the sealing key.
function upgrade(db) {
    const rows = db.createObjectStore('rows', { keyPath: 'key' });
    rows.createIndex('case_id', 'case_id');
    db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('seq', 'seq');
    db.createObjectStore('photos', { keyPath: 'id' });
    db.createObjectStore('meta', { keyPath: 'key' });
}

export function request(req) {
    return new Promise((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
    });
}

export const openDatabase = opener(DB_NAME, DB_VERSION, upgrade);

/** Runs `work(stores)` in one transaction; resolves once it has committed. `work` may
 *  only issue IndexedDB requests (any other await closes the transaction under it). */
export async function transact(names, mode, work) {
    const db = await openDatabase();
    const tx = db.transaction(names, mode, mode === 'readwrite' ? { durability: 'strict' } : undefined);
    const stores = {};
    for (const name of names) stores[name] = tx.objectStore(name);
    let result;
    let failure = null;
    const done = new Promise((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(failure || tx.error || new Error('transaction aborted'));
        tx.onerror = () => reject(failure || tx.error);
    });
    try {
        result = await work(stores, tx);
    } catch (error) {
        failure = error;
        try { tx.abort(); } catch (ignored) { /* already finished */ }
    }
    await done;
    if (failure) throw failure;
    return result;
}

export async function getMeta(key) {
    const row = await transact(['meta'], 'readonly', (s) => request(s.meta.get(key)));
    return row ? row.value : null;
}

export function setMeta(key, value) {
    return transact(['meta'], 'readwrite', (s) => request(s.meta.put({ key, value })));
}
