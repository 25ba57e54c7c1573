// Service-worker side of the field app: Background Sync for the field device (Chromium
// fires the tag when the browser is back online, even with the field page closed), and
// a page's request to sync by message. The sync itself is pwa/scripts/field/sync.js.
import { SYNC_TAG, syncDevice } from '../scripts/field/sync.js';

export function handleFieldSync(event) {
    if (event.tag !== SYNC_TAG) return false;
    // Rejecting when work is still waiting makes the browser retry later, with back-off.
    event.waitUntil(syncDevice({ origin: self.location.origin }).then((summary) => {
        if (summary.retry) throw new Error('field: work still waiting, retry later');
        return summary;
    }));
    return true;
}

export function handleFieldMessage(event) {
    const data = event.data || {};
    if (data.type !== 'tolbooth-field-sync') return false;
    event.waitUntil(syncDevice({ origin: self.location.origin }));
    return true;
}
