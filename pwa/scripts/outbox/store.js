// The outbox's records and their states: pending -> sending -> acked (moved to "sent"),
// or "attention" when the server rejected the item or found a conflict. Nothing here is
// ever dropped or expired: an item leaves the outbox only when the server acknowledged it.
import { payloadSha256, sha256Hex } from './canonical.js';
import { getAll, request, transact } from './idb.js';
import { outcome } from './results.js';
import { nowIso } from '../time/clock.js';

const NEXT_ID = 'next_mutation_id';
const CLIENT = 'client';
// Like the server's references (no 0/O, 1/I/L), but starting "LOCAL" so nobody mistakes
// it for one: it is what a person reads out if they phone before it has been sent.
const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function localReceipt() {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    const chars = Array.from(bytes, (b) => RECEIPT_ALPHABET[b % RECEIPT_ALPHABET.length]);
    return `LOCAL-${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

export function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function takeMutationId(meta) {
    const row = await request(meta.get(NEXT_ID));
    const next = row ? row.value : 1;
    await request(meta.put({ key: NEXT_ID, value: next + 1 }));
    return next;
}

async function describeAttachments(files) {
    const described = [];
    for (const file of files || []) {
        const data = await file.blob.arrayBuffer();
        described.push({
            id: file.id, question_id: file.question_id, filename: file.filename,
            media_type: file.media_type || file.blob.type || 'application/octet-stream',
            size: file.blob.size, sha256: await sha256Hex(data), blob: file.blob,
            upload_url: null, uploaded: false,
        });
    }
    return described;
}

/**
 * Queues one submission. `submission`: {id, journey, form_version, answers, contact,
 * locale, files: [{id, question_id, filename, media_type, blob}]}. The mutation id is
 * taken in the same transaction that stores the item.
 */
export async function queueSubmission(submission) {
    const payload = {
        journey: submission.journey,
        answers: submission.answers,
        contact: submission.contact || {},
        locale: submission.locale,
        client_created_at: nowIso(),
        receipt: submission.receipt || localReceipt(),
    };
    const hash = await payloadSha256(payload);
    const attachments = await describeAttachments(submission.files);
    return transact(['outbox', 'meta'], 'readwrite', async ({ outbox, meta }) => {
        const existing = await request(outbox.get(submission.id));
        // Sending the same request twice (a double tap) queues it once.
        if (existing) return existing;
        const item = {
            id: submission.id, mutation_id: await takeMutationId(meta), state: 'pending',
            entity: 'request', op: 'create', form_version: submission.form_version,
            payload, payload_sha256: hash, receipt: payload.receipt, attachments,
            errors: [], reason: null, reference: null, queued_at: payload.client_created_at,
        };
        await request(outbox.put(item));
        return item;
    });
}

/** A fixed "needs attention" item goes back in the queue: same entity id, new mutation id. */
export async function resendFixed(id, answers, contact) {
    const old = await transact(['outbox'], 'readonly', ({ outbox }) => request(outbox.get(id)));
    if (!old) throw new Error(`no outbox item ${id}`);
    const payload = { ...old.payload, answers, contact: contact || old.payload.contact };
    const hash = await payloadSha256(payload);
    return transact(['outbox', 'meta'], 'readwrite', async ({ outbox, meta }) => {
        const item = await request(outbox.get(id));
        Object.assign(item, { payload, payload_sha256: hash, state: 'pending', errors: [],
            reason: null, mutation_id: await takeMutationId(meta) });
        await request(outbox.put(item));
        return item;
    });
}

export function getItem(id) {
    return transact(['outbox'], 'readonly', ({ outbox }) => request(outbox.get(id)));
}

export async function listOutbox() {
    const items = await transact(['outbox'], 'readonly', ({ outbox }) => getAll(outbox));
    return items.sort((a, b) => a.mutation_id - b.mutation_id);
}

export async function listSent() {
    const items = await transact(['sent'], 'readonly', ({ sent }) => getAll(sent));
    return items.sort((a, b) => String(b.sent_at).localeCompare(String(a.sent_at)));
}

/** What to send: pending items, and "sending" ones a closed tab or worker left behind. */
export async function sendable() {
    return (await listOutbox()).filter((item) => item.state === 'pending' || item.state === 'sending');
}

export function setState(ids, state) {
    return transact(['outbox'], 'readwrite', async ({ outbox }) => {
        for (const id of ids) {
            const item = await request(outbox.get(id));
            if (item && item.state !== 'attention') {
                item.state = state;
                await request(outbox.put(item));
            }
        }
    });
}

/**
 * Gives `ids` (in this order) the mutation ids first, first+1, ... and moves the counter
 * past them. Used when the server wants a different next id (out_of_order) and after a
 * new registration (a new client starts at 1). Ids at or past `first` were never used by
 * the server for this client, so reusing them cannot collide with a stored result.
 */
export function renumber(ids, first) {
    return transact(['outbox', 'meta'], 'readwrite', async ({ outbox, meta }) => {
        let next = first;
        for (const id of ids) {
            const item = await request(outbox.get(id));
            if (!item) continue;
            item.mutation_id = next;
            next += 1;
            await request(outbox.put(item));
        }
        await request(meta.put({ key: NEXT_ID, value: next }));
    });
}

/** Applies one push result to its item, in one transaction. */
export function recordResult(result) {
    return transact(['outbox', 'sent'], 'readwrite', async ({ outbox, sent }) => {
        const item = await request(outbox.get(result.id));
        if (!item || item.mutation_id !== result.mutation_id) return null;
        const found = outcome(result);
        if (found.state === 'pending') return null;
        if (found.state === 'acked') {
            const pending = new Set(found.attachmentsPending);
            const record = {
                id: item.id, reference: found.reference, receipt: item.receipt,
                journey: item.payload.journey, sent_at: nowIso(),
                attachments: item.attachments.map((a) => ({ ...a, uploaded: !pending.has(a.id),
                    blob: pending.has(a.id) ? a.blob : null })),
            };
            await request(sent.put(record));
            await request(outbox.delete(item.id));
            return record;
        }
        item.state = 'attention';
        item.reason = found.reason;
        item.errors = found.errors;
        await request(outbox.put(item));
        return item;
    });
}

export function markAttention(id, reason, errors) {
    return transact(['outbox'], 'readwrite', async ({ outbox }) => {
        const item = await request(outbox.get(id));
        if (!item) return;
        Object.assign(item, { state: 'attention', reason, errors: errors || [] });
        await request(outbox.put(item));
    });
}

export function updateSent(record) {
    return transact(['sent'], 'readwrite', ({ sent }) => request(sent.put(record)));
}

export function getClient() {
    return transact(['meta'], 'readonly', async ({ meta }) => {
        const row = await request(meta.get(CLIENT));
        return row ? row.value : null;
    });
}

export function saveClient(client) {
    return transact(['meta'], 'readwrite', ({ meta }) => (client
        ? request(meta.put({ key: CLIENT, value: client }))
        : request(meta.delete(CLIENT))));
}

export async function counts() {
    const items = await listOutbox();
    return {
        waiting: items.filter((i) => i.state !== 'attention').length,
        attention: items.filter((i) => i.state === 'attention').length,
    };
}
