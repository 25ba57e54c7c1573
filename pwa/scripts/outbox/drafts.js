// Offline journey drafts in IndexedDB (one per journey), and the form definitions the
// pages validate with: the same JSON the server exports, cached by the service worker.
import { request, transact } from './idb.js';
import { newId } from './store.js';
import { onKiosk } from '../kiosk/detect.js';
import { deleteKioskDraft, loadKioskDraft, saveKioskDraft } from '../kiosk/drafts.js';

// On a kiosk, drafts stay out of IndexedDB (kiosk/drafts.js says where they go).
export async function loadDraft(journey) {
    if (await onKiosk()) return loadKioskDraft(journey);
    return transact(['drafts'], 'readonly', ({ drafts }) => request(drafts.get(journey)));
}

export async function saveDraft(draft) {
    if (await onKiosk()) return saveKioskDraft(draft);
    return transact(['drafts'], 'readwrite', ({ drafts }) => request(drafts.put(draft)));
}

export async function deleteDraft(journey) {
    if (await onKiosk()) return deleteKioskDraft(journey);
    return transact(['drafts'], 'readwrite', ({ drafts }) => request(drafts.delete(journey)));
}

export function newDraft(journey, version) {
    return { journey, version, submission_id: newId(), answers: {}, contact: null, files: [] };
}

const definitions = new Map();

export async function loadDefinition(slug, version, lang) {
    const url = `/forms/${encodeURIComponent(slug)}/v${version}.${lang}.json`;
    if (!definitions.has(url)) {
        definitions.set(url, fetch(url, { credentials: 'same-origin' }).then((response) => {
            if (!response.ok) throw new Error(`${url}: ${response.status}`);
            return response.json();
        }).catch((error) => { definitions.delete(url); throw error; }));
    }
    return definitions.get(url);
}

export function contactDefinition(journeyDefinition, lang) {
    return loadDefinition(journeyDefinition.anonymous ? 'contact-anonymous' : 'contact', 1, lang);
}
