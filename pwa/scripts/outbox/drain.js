// Sends the outbox: one sender at a time across tabs and the worker (Web Locks), batches
// of up to 50 mutations per push, results applied item by item, then the photos of
// acknowledged requests uploaded with tus. Used by the pages (online, pageshow, back-off,
// "Send now") and by the service worker (Background Sync).
import {
    getClient, listSent, markAttention, recordResult, renumber, saveClient, sendable, setState,
    updateSent,
} from './store.js';
import { resumeFrom } from './results.js';
import { push, registerClient } from './sync_client.js';
import { uploadAttachment } from './tus.js';

export const OUTBOX_SYNC_TAG = 'tolbooth-outbox';
export const LOCK_NAME = 'tolbooth-outbox';
export const CHANNEL_NAME = 'tolbooth-outbox';
export const BATCH_SIZE = 50;
const MAX_ROUNDS = 100;

// Listeners in this same page or worker (a BroadcastChannel skips its own sender).
const localListeners = new Set();

export function onDrainMessage(listener) {
    localListeners.add(listener);
    return () => localListeners.delete(listener);
}

function announce(message) {
    localListeners.forEach((listener) => listener(message));
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(CHANNEL_NAME);
    channel.postMessage(message);
    channel.close();
}

async function ensureClient(origin, appVersion, replaces = null) {
    const known = await getClient();
    if (known) return { client: known };
    const answer = await registerClient(origin, appVersion, replaces);
    if (answer.status !== 201 || !answer.body || !answer.body.client_token) return { answer };
    const client = { client_id: answer.body.client_id, client_token: answer.body.client_token };
    await saveClient(client);
    // A new client starts its mutation ids again after the server's last (0 when new).
    const waiting = await sendable();
    await renumber(waiting.map((i) => i.id), (answer.body.last_mutation_id || 0) + 1);
    return { client };
}

function retryLater(summary, answer) {
    summary.retry = true;
    summary.status = answer.status;
    if (answer.retryAfter !== null && answer.retryAfter !== undefined) summary.retryAfter = answer.retryAfter;
    return summary;
}

async function applyResults(body, batch, summary) {
    const done = new Set();
    for (const result of body.results || []) {
        const record = await recordResult(result);
        if (!record) continue;
        done.add(record.id);
        if (record.reference) {
            summary.sent.push({ id: record.id, reference: record.reference, receipt: record.receipt });
        } else {
            summary.attention += 1;
        }
    }
    let expected = resumeFrom(body);
    // A replayed result for another request means the server already used our ids (another
    // sender with this client's token): they are spent, carry on after the server's last.
    const last = body.last_mutation_id;
    if (expected === null && Number.isInteger(last)
        && batch.some((i) => !done.has(i.id) && i.mutation_id <= last)) expected = last + 1;
    if (expected !== null) {
        const waiting = (await sendable()).filter((i) => !done.has(i.id));
        await renumber(waiting.map((i) => i.id), expected);
        summary.renumbered += 1;
    }
    // Anything still "sending" from this batch goes back to pending.
    await setState(batch.filter((i) => !done.has(i.id)).map((i) => i.id), 'pending');
}

/**
 * One item at a time after a 400/413 for a whole batch, so one bad item (kept as "needs
 * attention" with the server's message) does not hold back the others.
 */
async function isolate(answer, batch, summary) {
    if (batch.length === 1) {
        const message = answer.body && answer.body.message ? answer.body.message : String(answer.status);
        await markAttention(batch[0].id, (answer.body && answer.body.error) || 'refused', [{ field: null, message }]);
        summary.attention += 1;
        return BATCH_SIZE;
    }
    await setState(batch.map((i) => i.id), 'pending');
    return 1;
}

async function pushAll(origin, appVersion, summary) {
    let batchSize = BATCH_SIZE;
    let reregistered = false;
    let replaces = null; // the token the server refused, to name the client it replaces
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
        const waiting = await sendable();
        if (!waiting.length) return summary;
        const found = await ensureClient(origin, appVersion, replaces);
        if (!found.client) return retryLater(summary, found.answer);
        const batch = waiting.slice(0, batchSize);
        await setState(batch.map((i) => i.id), 'sending');
        announce({ type: 'sending', count: waiting.length });
        const answer = await push(origin, found.client, appVersion, batch);
        summary.roundTrips += 1;
        if (answer.status === 200 && answer.body) {
            await applyResults(answer.body, batch, summary);
            batchSize = BATCH_SIZE;
            continue;
        }
        if (answer.status === 401 && !reregistered) {
            // Token revoked or the server forgot us: register again (ids restart there).
            reregistered = true;
            replaces = found.client.client_token;
            await setState(batch.map((i) => i.id), 'pending');
            await saveClient(null);
            continue;
        }
        if (answer.status === 400 || answer.status === 413) {
            batchSize = await isolate(answer, batch, summary);
            continue;
        }
        await setState(batch.map((i) => i.id), 'pending');
        return retryLater(summary, answer);
    }
    summary.retry = true;
    return summary;
}

async function uploadAll(origin, summary) {
    const records = (await listSent()).filter((r) => (r.attachments || []).some((a) => !a.uploaded));
    if (!records.length) return summary;
    const client = await getClient();
    if (!client) return summary;
    for (const record of records) {
        for (const attachment of record.attachments) {
            if (attachment.uploaded) continue;
            const result = await uploadAttachment(origin, client.client_token, record.id, attachment,
                async (url) => { attachment.upload_url = url; await updateSent(record); });
            summary.roundTrips += 1;
            if (!result.done) {
                summary.retry = true;
                continue;
            }
            Object.assign(attachment, { uploaded: true, blob: null, upload_url: result.url });
            await updateSent(record);
            summary.uploaded += 1;
        }
    }
    return summary;
}

async function drainHeld(origin, appVersion) {
    const summary = { sent: [], attention: 0, uploaded: 0, retry: false, retryAfter: null,
        roundTrips: 0, renumbered: 0, status: null, busy: false };
    await pushAll(origin, appVersion, summary);
    if (!summary.retry || summary.sent.length) await uploadAll(origin, summary);
    announce({ type: 'drained', summary });
    return summary;
}

/**
 * Drains the outbox. `wait: false` (pages) gives up at once when another tab or the
 * worker is already sending; the worker's sync event waits its turn.
 */
export async function drainOutbox({ origin, appVersion = 'tolbooth-web', wait = true } = {}) {
    const base = origin || self.location.origin;
    if (typeof navigator === 'undefined' || !navigator.locks) return drainHeld(base, appVersion);
    return navigator.locks.request(LOCK_NAME, { ifAvailable: !wait }, (lock) => {
        if (!lock) return { sent: [], attention: 0, uploaded: 0, retry: false, busy: true, roundTrips: 0 };
        return drainHeld(base, appVersion);
    });
}
