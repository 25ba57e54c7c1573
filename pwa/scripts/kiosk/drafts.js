// On a kiosk a journey draft never goes into IndexedDB (issue 13): it stays in the tab's
// sessionStorage, which "Finish" wipes, and the submission is sealed when it is sent.
// Files are not kept on a kiosk offline: they cannot be sealed yet.
const PREFIX = 'tolbooth-kiosk-draft:';

export function loadKioskDraft(journey) {
    const kept = sessionStorage.getItem(PREFIX + journey);
    return kept ? JSON.parse(kept) : undefined;
}

export function saveKioskDraft(draft) {
    sessionStorage.setItem(PREFIX + draft.journey, JSON.stringify({ ...draft, files: [] }));
    return draft.journey;
}

export function deleteKioskDraft(journey) {
    sessionStorage.removeItem(PREFIX + journey);
}
