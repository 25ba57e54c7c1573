// A finish not yet told to the server (issue 13). Finish records it before anything else;
// whoever reaches the network next (the service worker, before any other request of the
// kiosk's; or the page when no worker controls it) sends POST /kiosk/finish with the
// finished session's cookie and CSRF token, so the next person never rides that session.
// Kept in the kiosk database's `device` store, which Finish keeps (a token, no person).
import { idbRequest, kioskTransact, KIOSK_DB_NAME } from './db.js';

const PENDING_KEY = 'finish-pending';

async function kioskDatabaseExists() {
    if (!indexedDB.databases) return true;
    return (await indexedDB.databases()).some((info) => info.name === KIOSK_DB_NAME);
}

export async function rememberFinish(csrf) {
    const record = { key: PENDING_KEY, csrf, at: Date.now() };
    await kioskTransact(['device'], 'readwrite', (s) => idbRequest(s.device.put(record)));
}

export async function pendingFinish() {
    if (!(await kioskDatabaseExists())) return null;
    return kioskTransact(['device'], 'readonly', (s) => idbRequest(s.device.get(PENDING_KEY)))
        .then((record) => record || null, () => null);
}

async function forget(record) {
    await kioskTransact(['device'], 'readwrite', (s) => {
        // Only the finish we sent: a newer one (the next person already finished) stays.
        const req = s.device.get(PENDING_KEY);
        req.onsuccess = () => {
            if (req.result && req.result.at === record.at) s.device.delete(PENDING_KEY);
        };
    });
}

async function post(fetcher, csrf) {
    return fetcher('/kiosk/finish', {
        method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: { Accept: 'application/json', 'X-CSRF-Token': csrf || '' },
    });
}

/** The session's token as the server renders it now (the finish form of /kiosk). */
async function freshToken(fetcher) {
    const page = await fetcher('/kiosk', { credentials: 'same-origin', cache: 'no-store' });
    const found = /name="csrf_token" value="([^"]+)"/.exec(await page.text());
    return found ? found[1] : '';
}

/**
 * Sends the pending finish, if any. Resolves true when none is left, false when the
 * network is still down (or the server failed): it stays pending. Refused for its token
 * (none was known, or it was not this session's), it asks the server for the session's
 * token once and sends again.
 */
export async function sendPendingFinish(fetcher = fetch) {
    const record = await pendingFinish();
    if (!record) return true;
    let response;
    try {
        response = await post(fetcher, record.csrf);
        if (response.status === 403) response = await post(fetcher, await freshToken(fetcher));
    } catch (error) {
        return false;
    }
    if (!response.ok && response.status !== 403) return false;
    await forget(record);
    return true;
}
