// Updates are offered, never forced: a new worker installs and then waits. The page shows
// the "new version" banner (pwa/scripts/update_banner.js); only when the person presses
// its button does the page post SKIP_WAITING, and it reloads once this worker controls it.
export const SKIP_WAITING = 'SKIP_WAITING';

export function handleUpdateMessage(event) {
    const data = event.data || {};
    if (data.type !== SKIP_WAITING) {
        return false;
    }
    event.waitUntil(self.skipWaiting());
    return true;
}
