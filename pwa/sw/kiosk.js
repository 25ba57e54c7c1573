// The service worker's part of Finish on a kiosk (issue 13). A finish the server has not
// heard of yet (pwa/scripts/kiosk/pending.js) goes out before any other request of the
// kiosk's reaches the server: every fetch waits for it while one is pending, so the next
// person's first request never carries the last person's session. Navigation preload is
// off on kiosks for the same reason (it would reach the server before the worker runs).
// On kiosks the clean copies are fetched with the kiosk's cookie, so offline pages keep
// the kiosk layout (Finish, the time-out), and the start pages (/kiosk) are kept too.
import { isKiosk } from '../scripts/kiosk/db.js';
import { pendingFinish, sendPendingFinish } from '../scripts/kiosk/pending.js';
import { wipeCaches, wipeDatabases } from '../scripts/kiosk/wipe.js';

const FINISH_MESSAGE = 'tolbooth-kiosk-finish';
const FINISHED_MESSAGE = 'tolbooth-kiosk-finishing';
export const KIOSK_PAGES = ['/kiosk', '/kiosk/services'];

// null until read after this worker (re)started; then whether a finish is pending.
let pending = null;
let kiosk = null;
let sending = null;

async function loadState() {
    // Not a kiosk yet may become one (enrolment writes the device record): ask again.
    if (kiosk !== true) {
        kiosk = await isKioskHere();
        if (kiosk && self.registration.navigationPreload) {
            await self.registration.navigationPreload.disable();
        }
    }
    if (pending === null) pending = kiosk ? Boolean(await pendingFinish()) : false;
}

async function isKioskHere() {
    const names = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
    return names.includes('tolbooth-kiosk') && isKiosk();
}

export async function kioskHere() {
    await loadState();
    return kiosk;
}

/** Sends the pending finish once (shared by every request waiting on it). */
export function flushFinish() {
    if (!sending) {
        sending = (async () => {
            await loadState();
            if (pending) pending = !(await sendPendingFinish());
        })().finally(() => { sending = null; });
    }
    return sending;
}

/**
 * Called first by the fetch handler: true when this request must wait for the finish
 * (the worker has just started and does not know yet, or a finish is pending).
 */
export function mustWaitForFinish() {
    return pending !== false;
}

export function handleKioskMessage(event) {
    const data = event.data || {};
    if (data.type !== FINISH_MESSAGE) return false;
    pending = true;
    const reply = event.ports && event.ports[0];
    event.waitUntil((async () => {
        kiosk = null;
        await loadState();
        pending = true; // the page wrote the record before telling us
        if (reply) reply.postMessage({ type: FINISHED_MESSAGE });
        // The page wipes too; this finishes the job if the page is gone first.
        await Promise.all([wipeDatabases(), wipeCaches()]);
    })());
    return true;
}
