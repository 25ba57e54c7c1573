// What "Finish" clears in the browser (issue 13), shared by the page (kiosk/finish.js)
// and the service worker (pwa/sw/kiosk.js), which finishes the job if the page is gone.
// Kept: the tolbooth-kiosk database's `device` (the kiosk's registration, and a pending
// finish) and `sealed` (encrypted submissions, nothing readable); the worker's app shell
// and clean copies (pages anyone would get). Everything else of the origin goes.
import { KIOSK_DB_NAME } from './db.js';

const KEEP_STORES = new Set(['device', 'sealed']);
const KEEP_CACHES = /^tolbooth-(shell|pages|kiosk)-/;
const BLOCKED_WAIT_MS = 1000;

function settle(req, blockedTimeout) {
    return new Promise((resolve) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => resolve(null);
        // Another page still holds it open: it closes on versionchange (every database of
        // ours does), and the deletion completes then even if we stop waiting.
        if (blockedTimeout) req.onblocked = () => setTimeout(() => resolve(null), blockedTimeout);
    });
}

async function databaseNames() {
    if (!indexedDB.databases) return [];
    return (await indexedDB.databases()).map((info) => info.name).filter(Boolean);
}

async function clearKioskStores() {
    const db = await settle(indexedDB.open(KIOSK_DB_NAME));
    if (!db) return;
    try {
        const names = [...db.objectStoreNames].filter((name) => !KEEP_STORES.has(name));
        if (names.length) {
            const tx = db.transaction(names, 'readwrite');
            names.forEach((name) => tx.objectStore(name).clear());
            await new Promise((resolve) => { tx.oncomplete = tx.onabort = tx.onerror = resolve; });
        }
    } finally {
        db.close();
    }
}

export async function wipeDatabases() {
    const names = await databaseNames();
    await Promise.all(names.filter((name) => name !== KIOSK_DB_NAME)
        .map((name) => settle(indexedDB.deleteDatabase(name), BLOCKED_WAIT_MS)));
    if (names.includes(KIOSK_DB_NAME)) await clearKioskStores();
}

export async function wipeCaches() {
    if (typeof caches === 'undefined') return;
    const names = await caches.keys();
    await Promise.all(names.filter((name) => !KEEP_CACHES.test(name)).map((name) => caches.delete(name)));
}

export function wipeWebStorage() {
    try { localStorage.clear(); } catch (error) { /* storage switched off */ }
    try { sessionStorage.clear(); } catch (error) { /* storage switched off */ }
}
