// A small promise layer over IndexedDB for the outbox: one database, shared by the pages
// and the service worker. Writes ask for durability "strict" (Chromium otherwise reports
// a write done before it reaches the disk, and a crash could lose a queued request).
export const DB_NAME = 'tolbooth-outbox';
const DB_VERSION = 1;

// outbox: items not yet acknowledged, keyed by entity id (the request's uuid).
// sent: acknowledged items with their reference (and photos still to upload).
// meta: the client registration and the next mutation id.
// drafts: offline journey drafts, keyed by journey slug.
function upgrade(db) {
    if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'id' });
    if (!db.objectStoreNames.contains('sent')) db.createObjectStore('sent', { keyPath: 'id' });
    if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta', { keyPath: 'key' });
    if (!db.objectStoreNames.contains('drafts')) db.createObjectStore('drafts', { keyPath: 'journey' });
}

export function request(req) {
    return new Promise((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
    });
}

/**
 * A function that opens `name` at `version` once and hands out the same connection; the
 * outbox's, the field app's and the kiosk's databases all open this way. Another tab or
 * the worker upgrading: the connection closes, and the next call opens it again.
 */
export function opener(name, version, upgrade) {
    let opening = null;
    return function open() {
        if (!opening) {
            opening = new Promise((resolve, reject) => {
                const req = indexedDB.open(name, version);
                req.onupgradeneeded = () => upgrade(req.result);
                req.onsuccess = () => {
                    const db = req.result;
                    db.onversionchange = () => { db.close(); opening = null; };
                    resolve(db);
                };
                req.onerror = () => { opening = null; reject(req.error); };
                req.onblocked = () => { opening = null; reject(new Error(`${name} database blocked`)); };
            });
        }
        return opening;
    };
}

export const openDatabase = opener(DB_NAME, DB_VERSION, upgrade);

/**
 * Runs `work(stores)` in one transaction over `names` and resolves with its result once
 * the transaction has committed (not when the last request succeeded: only `complete`
 * means it is on disk). `work` must only issue requests, never await anything else, or
 * the transaction closes under it.
 */
export async function transact(names, mode, work) {
    const db = await openDatabase();
    const options = mode === 'readwrite' ? { durability: 'strict' } : undefined;
    const tx = db.transaction(names, mode, options);
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

export function getAll(store) {
    return request(store.getAll());
}
