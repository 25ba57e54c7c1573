// The field outbox: the worker's visits, notes, case changes and photos, until the
// server has them. The app never deletes unsent work: an item leaves only once
// acknowledged (and its photos uploaded). A broken item is quarantined with its reason,
// shown, and can be put back in the queue; the others carry on past it.
import { nowIso } from '../time/clock.js';
import { payloadSha256 } from '../outbox/canonical.js';
import { request, transact } from './db.js';
import { openBytes, seal, sealBytes, unseal } from './vault.js';

export const PENDING = 'pending';
export const UPLOADING = 'uploading'; // acknowledged, photos still to go
export const QUARANTINED = 'quarantined';

function uuid() {
    return crypto.randomUUID();
}

async function sha256Hex(buffer) {
    const digest = await crypto.subtle.digest('SHA-256', buffer);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Queues one piece of work. `photos`: File objects (images); they are sealed and kept
 *  until uploaded. `label`: what the lists show (sealed with the rest). */
export async function queueWork({ entity, op, caseId, baseVersion = null, payload, photos = [], label, formVersion = null }) {
    const attachments = [];
    const sealedPhotos = [];
    for (const file of photos) {
        const bytes = await file.arrayBuffer();
        const id = uuid();
        attachments.push({ id, sha256: await sha256Hex(bytes), size: bytes.byteLength,
            filename: file.name || 'photo.jpg', media_type: file.type || 'image/jpeg' });
        sealedPhotos.push({ id, sealed: await sealBytes(bytes) });
    }
    const id = uuid();
    const body = { payload, payload_sha256: await payloadSha256(payload), attachments, label,
        base_version: baseVersion, form_version: formVersion };
    const item = { id, seq: Date.now() * 1000 + Math.floor(Math.random() * 1000), state: PENDING,
        entity, op, case_id: caseId, sealed: await seal(body), pending_photos: [], reason: null, errors: [],
        queued_at: nowIso() };
    await transact(['outbox', 'photos'], 'readwrite', (s) => {
        s.outbox.put(item);
        sealedPhotos.forEach((photo) => s.photos.put({ ...photo, item_id: id }));
    });
    return id;
}

export async function allItems() {
    return transact(['outbox'], 'readonly', (s) => request(s.outbox.index('seq').getAll()));
}

/** An item with its sealed part opened; throws if it cannot be (the caller quarantines). */
export async function openItem(item) {
    return { ...item, ...(await unseal(item.sealed)) };
}

export async function counts() {
    return countsOf(await allItems());
}

/** What waits and what is held, of items already read. */
export function countsOf(items) {
    return {
        waiting: items.filter((i) => i.state !== QUARANTINED).length,
        quarantined: items.filter((i) => i.state === QUARANTINED).length,
    };
}

async function update(id, change) {
    await transact(['outbox'], 'readwrite', async (s) => {
        const item = await request(s.outbox.get(id));
        if (item) s.outbox.put({ ...item, ...change(item) });
    });
}

export function quarantine(id, reason, errors = []) {
    return update(id, () => ({ state: QUARANTINED, reason, errors }));
}

/** Back in the queue: to be sent again, or (acknowledged already) its photos uploaded. */
export function requeue(id) {
    return update(id, (item) => ({ state: item.acknowledged ? UPLOADING : PENDING, reason: null, errors: [] }));
}

/** The server has it. Photos it still waits for stay; with none, the item is done. */
export async function acknowledge(id, attachmentsPending) {
    await transact(['outbox', 'photos'], 'readwrite', async (s) => {
        const item = await request(s.outbox.get(id));
        if (!item) return;
        const photoKeys = await request(s.photos.getAllKeys());
        const pending = attachmentsPending.filter((p) => photoKeys.includes(p));
        for (const key of photoKeys) {
            const photo = await request(s.photos.get(key));
            if (photo.item_id === id && !pending.includes(key)) s.photos.delete(key);
        }
        if (pending.length) s.outbox.put({ ...item, state: UPLOADING, acknowledged: true, pending_photos: pending });
        else s.outbox.delete(id);
    });
}

export async function photoBlob(photoId, mediaType) {
    const photo = await transact(['photos'], 'readonly', (s) => request(s.photos.get(photoId)));
    return photo ? new Blob([await openBytes(photo.sealed)], { type: mediaType }) : null;
}

export function savePhotoUrl(photoId, url) {
    return transact(['photos'], 'readwrite', async (s) => {
        const photo = await request(s.photos.get(photoId));
        if (photo) s.photos.put({ ...photo, upload_url: url });
    });
}

export async function photoUploadUrl(photoId) {
    const photo = await transact(['photos'], 'readonly', (s) => request(s.photos.get(photoId)));
    return photo ? photo.upload_url || null : null;
}

/** One photo up: forget it; the last one done finishes the item. */
export function photoDone(itemId, photoId) {
    return transact(['outbox', 'photos'], 'readwrite', async (s) => {
        s.photos.delete(photoId);
        const item = await request(s.outbox.get(itemId));
        if (!item) return;
        const pending = item.pending_photos.filter((p) => p !== photoId);
        if (pending.length) s.outbox.put({ ...item, pending_photos: pending });
        else s.outbox.delete(itemId);
    });
}
