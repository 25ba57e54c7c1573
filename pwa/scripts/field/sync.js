// The field device's sync, one sender at a time across tabs and the service worker
// (Web Locks): push the outbox in queue order, upload the photos of acknowledged work
// (tus, request_id = the case id), then pull pages until `more` is false. Run on page
// open, on `online`, by "Sync now", and by Background Sync in the worker.
import { nowIso } from '../time/clock.js';
import { afterRefusal, nextRequest } from './pull.js';
import { getMeta, setMeta, transact } from './db.js';
import { storePage, wipeCases } from './case_store.js';
import {
    PENDING, QUARANTINED, UPLOADING, acknowledge, allItems, openItem, photoBlob, photoDone,
    photoUploadUrl, quarantine, savePhotoUrl,
} from './outbox.js';
import { fieldOutcome } from './push_results.js';
import { lastAfter, numberBatch, toMutation } from './work.js';
import { uploadAttachment } from '../outbox/tus.js';

export const LOCK_NAME = 'tolbooth-field-sync';
export const SYNC_TAG = 'tolbooth-field';
export const CHANNEL_NAME = 'tolbooth-field';
export const APP_VERSION = 'tolbooth-field-1';
const MAX_ROUNDS = 200;

export function announce(message) {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(CHANNEL_NAME);
    channel.postMessage(message);
    channel.close();
}

async function call(url, options) {
    let response;
    try {
        response = await fetch(url, { ...options, credentials: 'omit', cache: 'no-store' });
    } catch (error) {
        return { status: 0, body: null, bytes: 0 };
    }
    const text = await response.text().catch(() => '');
    let body = null;
    try { body = JSON.parse(text); } catch (error) { body = null; }
    return { status: response.status, body, bytes: new TextEncoder().encode(text).length };
}

/** Sets the device up: a `field` client, signed up by the signed-in member of staff
 *  (their cookie, so the page's CSRF token and Origin go with it). */
export async function setUpDevice(origin, csrfToken, person) { // person: {name, id}
    const replaces = await getMeta('replaces');
    const body = { protocol: 1, kind: 'field', app_version: APP_VERSION };
    if (replaces) body.replaces = replaces;
    let response;
    try {
        response = await fetch(`${origin}/sync/v1/clients`, {
            method: 'POST', credentials: 'same-origin', cache: 'no-store',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
            body: JSON.stringify(body),
        });
    } catch (error) {
        return { ok: false, status: 0 };
    }
    const answer = await response.json().catch(() => null);
    if (response.status !== 201 || !answer || !answer.client_token) {
        return { ok: false, status: response.status, message: answer && answer.message };
    }
    await transact(['meta'], 'readwrite', (s) => {
        s.meta.put({ key: 'client', value: { client_id: answer.client_id, client_token: answer.client_token,
            person: person.name, person_id: person.id } });
        s.meta.put({ key: 'last_mutation_id', value: answer.last_mutation_id || 0 });
        s.meta.delete('replaces');
        s.meta.delete('cursor');
    });
    return { ok: true };
}

/** The token no longer works (revoked, or the server forgot it): the cases go, the
 *  unsent work stays, quarantined until the device is set up again. */
async function lostDevice(client, summary) {
    await wipeCases();
    const items = await allItems();
    for (const item of items) {
        if (item.state !== QUARANTINED) await quarantine(item.id, 'revoked');
    }
    await transact(['meta'], 'readwrite', (s) => {
        s.meta.delete('client');
        s.meta.put({ key: 'replaces', value: client.client_token });
    });
    summary.revoked = true;
    return summary;
}

async function pushAll(origin, client, summary) {
    let size = 50;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
        const waiting = (await allItems()).filter((i) => i.state === PENDING);
        if (!waiting.length) return true;
        const last = (await getMeta('last_mutation_id')) || 0;
        const opened = [];
        for (const item of numberBatch(waiting, last, size)) {
            try {
                opened.push({ ...(await openItem(item)), mutation_id: last + opened.length + 1 });
            } catch (error) {
                await quarantine(item.id, 'unreadable', [{ field: null, message: String(error) }]);
            }
        }
        if (!opened.length) continue;
        const answer = await call(`${origin}/sync/v1/push`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${client.client_token}` },
            body: JSON.stringify({ protocol: 2, client_id: client.client_id, app_version: APP_VERSION,
                mutations: opened.map(toMutation) }),
        });
        summary.roundTrips += 1;
        if (answer.status === 401) { await lostDevice(client, summary); return false; }
        if (answer.status === 400 || answer.status === 413) {
            if (opened.length > 1) { size = 1; continue; }
            const body = answer.body || {};
            await quarantine(opened[0].id, body.error || 'refused', [{ field: null, message: body.message || String(answer.status) }]);
            summary.quarantined += 1;
            continue;
        }
        if (answer.status !== 200 || !answer.body) { summary.retry = true; summary.status = answer.status; return false; }
        let matched = 0;
        for (const result of answer.body.results || []) {
            const item = opened.find((i) => i.id === result.id);
            if (!item) continue;
            matched += 1;
            const outcome = fieldOutcome(result);
            if (outcome.state === 'acked') {
                await acknowledge(item.id, outcome.attachmentsPending);
                summary.sent += 1;
            } else if (outcome.state === 'attention') {
                await quarantine(item.id, outcome.reason || 'rejected', outcome.errors);
                summary.quarantined += 1;
            }
        }
        const next = lastAfter(answer.body, last);
        await setMeta('last_mutation_id', next);
        if (!matched && next === last) { summary.retry = true; return false; }
        size = 50;
    }
    summary.retry = true;
    return false;
}

async function uploadAll(origin, client, summary) {
    for (const item of (await allItems()).filter((i) => i.state === UPLOADING)) {
        let opened;
        try { opened = await openItem(item); } catch (error) {
            await quarantine(item.id, 'unreadable', [{ field: null, message: String(error) }]);
            continue;
        }
        for (const photoId of item.pending_photos) {
            const meta = opened.attachments.find((a) => a.id === photoId);
            const blob = meta && await photoBlob(photoId, meta.media_type);
            if (!blob) { await photoDone(item.id, photoId); continue; }
            const result = await uploadAttachment(origin, client.client_token, item.case_id,
                { ...meta, blob, upload_url: await photoUploadUrl(photoId) },
                (url) => savePhotoUrl(photoId, url));
            summary.roundTrips += 1;
            if (result.done || result.status === 409) {
                await photoDone(item.id, photoId);
                summary.uploaded += 1;
            } else if ([400, 403, 404, 413, 422].includes(result.status)) {
                await quarantine(item.id, 'photo_refused', [{ field: null, message: String(result.status) }]);
                break;
            } else {
                summary.retry = true;
                break;
            }
        }
    }
}

async function pullAll(origin, client, summary, onProgress) {
    for (let round = 0; round < MAX_ROUNDS * 10; round += 1) {
        const cursor = await getMeta('cursor');
        const answer = await call(`${origin}${nextRequest(cursor)}`,
            { headers: { Authorization: `Bearer ${client.client_token}` } });
        summary.roundTrips += 1;
        if (answer.status === 200 && answer.body) {
            let stored;
            try {
                stored = await storePage(answer.body, client.client_id, answer.bytes, nowIso());
            } catch (error) {
                // A malformed page is never stored; asked again later with the same cursor.
                summary.retry = true;
                summary.status = error.reason || 'bad_page';
                return false;
            }
            summary.cases += stored.cases;
            summary.bytes += stored.bytes;
            onProgress({ cases: summary.cases, bytes: summary.bytes, more: stored.more });
            if (!stored.more) return true;
            continue;
        }
        const next = afterRefusal(answer.status, answer.body && answer.body.error);
        if (next === 'start_over') { await setMeta('cursor', null); continue; }
        if (next === 'sign_up') { await lostDevice(client, summary); return false; }
        summary.retry = next === 'later' || answer.status === 0;
        summary.status = answer.status;
        return false;
    }
    return false;
}

async function syncHeld(origin, onProgress) {
    const summary = { sent: 0, quarantined: 0, uploaded: 0, cases: 0, bytes: 0, roundTrips: 0,
        retry: false, revoked: false, status: null, busy: false, device: true };
    const client = await getMeta('client');
    if (!client) { summary.device = false; return summary; }
    announce({ type: 'syncing' });
    try {
        if (await pushAll(origin, client, summary)) {
            await uploadAll(origin, client, summary);
            if (await pullAll(origin, client, summary, onProgress) && !summary.retry) {
                await setMeta('last_sync', nowIso());
            }
        }
    } finally {
        announce({ type: 'synced', summary });
    }
    return summary;
}

/** One sync, after any other sender's. `wait`: true waits for the lock as long as it
 *  takes, a number of milliseconds gives up after that ({busy: true, retry: true}),
 *  false gives up at once when another sender is busy. */
export async function syncDevice({ origin, wait = true, onProgress = () => {} } = {}) {
    const base = origin || self.location.origin;
    if (typeof navigator === 'undefined' || !navigator.locks) return syncHeld(base, onProgress);
    const options = wait === false ? { ifAvailable: true } : {};
    if (typeof wait === 'number') options.signal = AbortSignal.timeout(wait);
    try {
        return await navigator.locks.request(LOCK_NAME, options, (lock) => {
            if (!lock) return { busy: true };
            return syncHeld(base, onProgress);
        });
    } catch (error) {
        if (error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { busy: true, retry: true };
        throw error;
    }
}
