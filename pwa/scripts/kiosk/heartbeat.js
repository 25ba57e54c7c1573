// The kiosk tells the server what it has waiting to send (POST /sync/v1/kiosk/status,
// sync/PROTOCOL.md "Kiosks"), so hub staff see it on /staff/hub. Called on every kiosk
// page, when the network comes back, and by the encrypted outbox after each change.
//
// Waiting: records in the `sealed` store without `acknowledged_at` (the outbox sets it
// when the server acknowledges an item); the oldest by `queued_at`.
import { idbRequest, kioskTransact, readDevice } from './db.js';

export const STATUS_URL = '/sync/v1/kiosk/status';

export async function countWaiting() {
    const records = await kioskTransact(['sealed'], 'readonly', (s) => idbRequest(s.sealed.getAll()));
    const waiting = records.filter((record) => !record.acknowledged_at);
    const times = waiting.map((record) => record.queued_at).filter(Boolean).sort();
    return { waiting: waiting.length, oldest_at: times.length ? times[0] : null };
}

/**
 * Reports the count when online. Resolves with the server's answer ({protocol,
 * revoked}) or null when this is not a kiosk, offline, or the call failed (the next
 * page or change reports again).
 */
export async function reportWaiting() {
    let device;
    try {
        device = await readDevice();
    } catch (error) {
        return null;
    }
    if (!device || !device.client_token || !navigator.onLine) return null;
    const counts = await countWaiting();
    try {
        const response = await fetch(STATUS_URL, {
            method: 'POST',
            credentials: 'omit',
            headers: { Authorization: `Bearer ${device.client_token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ protocol: 1, waiting: counts.waiting, oldest_at: counts.oldest_at }),
        });
        return response.ok ? await response.json() : null;
    } catch (error) {
        return null;
    }
}

let listening = false;

/** On a kiosk page: report now, and each time the network comes back. */
export function startHeartbeat() {
    if (!document.body || document.body.dataset.kiosk !== 'true') return;
    reportWaiting();
    if (!listening) {
        window.addEventListener('online', () => { reportWaiting(); });
        listening = true;
    }
}
