// Online, each question page carries the server's draft (data-tb-draft on the journey
// form: answers so far, contact, submission id). It is copied into the IndexedDB draft the
// offline journey uses, so losing signal mid-form loses nothing: the offline pages carry
// on from the same answers, and send with the same submission id (sent once, whichever
// way). Issue 15: without this the offline journey started again from question 1.
import { request, transact } from './idb.js';
import { deleteKioskDraft, loadKioskDraft, saveKioskDraft } from '../kiosk/drafts.js';
import { onKiosk } from '../kiosk/detect.js';

export function mirrorDraft(root = document) {
    const form = root.querySelector && root.querySelector('form[data-tb-journey][data-tb-draft]');
    if (!form || !('indexedDB' in window)) return Promise.resolve(false);
    let server;
    try {
        server = JSON.parse(form.dataset.tbDraft);
    } catch (error) {
        return Promise.resolve(false);
    }
    return onKiosk().then((kiosk) => (kiosk ? mirrorOnKiosk(server) : transact(['drafts'], 'readwrite', ({ drafts }) => request(drafts.get(server.journey)).then((kept) => {
        // A draft begun offline for another request is the person's own work: leave it.
        if (kept && !kept.mirrored && kept.submission_id !== server.submission_id) return false;
        const files = kept && kept.submission_id === server.submission_id ? kept.files || [] : [];
        drafts.put({ ...server, files, mirrored: true });
        return true;
    })))).catch(() => false);
}

// A kiosk keeps the copy in the tab's session (drafts.js), never in IndexedDB.
function mirrorOnKiosk(server) {
    const kept = loadKioskDraft(server.journey);
    if (kept && !kept.mirrored && kept.submission_id !== server.submission_id) return false;
    saveKioskDraft({ ...server, mirrored: true });
    return true;
}

// After sending online, the copy of the server's draft (answers, contact details) is
// gone from the server; it goes from this browser too, or the next person here, offline,
// would open the journey on the last person's answers and contact details (issue 10).
export function forgetSentDraft(root = document) {
    // htmx hands over the swapped-in element itself, which may be the one marked.
    const marked = '[data-tb-sent-journey]';
    const sent = root.matches && root.matches(marked) ? root : root.querySelector && root.querySelector(marked);
    if (!sent || !('indexedDB' in window)) return Promise.resolve(false);
    const journey = sent.dataset.tbSentJourney;
    return onKiosk().then((kiosk) => (kiosk ? (deleteKioskDraft(journey), true) : transact(['drafts'], 'readwrite', ({ drafts }) => request(drafts.get(journey)).then((kept) => {
        // A draft begun offline for another request is the person's own work: leave it.
        if (!kept || (!kept.mirrored && kept.submission_id !== sent.dataset.tbSentId)) return false;
        drafts.delete(journey);
        return true;
    })))).catch(() => false);
}
