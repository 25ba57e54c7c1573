// The kiosk tells the server what it has waiting to send (POST /sync/v1/kiosk/status,
// sync/PROTOCOL.md "Kiosks"), so hub staff see it on /staff/hub. Called on every kiosk
// page, when the network comes back, and by the encrypted outbox after each change.
//
// Waiting: sealed items in state "waiting" (sealed_store.js); the oldest by created_at.
// Items the server refused and kept for hub staff are not waiting to send.
import { readDevice } from './db.js';
import { listSealed, onSealedChange, WAITING } from './sealed_store.js';

export const STATUS_URL = '/sync/v1/kiosk/status';

export async function countWaiting() {
    const waiting = (await listSealed()).filter((item) => item.state === WAITING);
    const times = waiting.map((item) => item.created_at).filter(Boolean).sort();
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

/** On a kiosk page: report now, each time the network comes back and after each
 * change to the sealed outbox. */
export function startHeartbeat() {
    if (!document.body || document.body.dataset.kiosk !== 'true') return;
    reportWaiting();
    if (!listening) {
        window.addEventListener('online', () => { reportWaiting(); });
        onSealedChange(() => { reportWaiting(); });
        listening = true;
    }
}
