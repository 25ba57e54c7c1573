// Service-worker side of the client outbox (imported by the worker entry, pwa/sw/index.js).
//
// The outbox itself (IndexedDB store, sync client, tus uploads) lives in
// pwa/scripts/outbox/ and is shared with the pages; the worker only decides *when* to
// drain: on the Background Sync tag (Chromium fires it when the browser is back online,
// even with every page closed) and when a page asks it to by message.
import { drainOutbox, OUTBOX_SYNC_TAG } from '../scripts/outbox/drain.js';

export { OUTBOX_SYNC_TAG };

/**
 * `sync` event handler. Workbox's lesson: hand waitUntil the awaited promise, and let it
 * reject when something is still waiting, so the browser retries the tag later with its
 * own back-off.
 */
export function handleSync(event, before = () => Promise.resolve()) {
    if (event.tag !== OUTBOX_SYNC_TAG) {
        return false;
    }
    event.waitUntil(
        before().catch(() => null).then(() => drainOutbox({ origin: self.location.origin }))
            .then((summary) => {
            if (summary.retry) {
                throw new Error('outbox: items still waiting, retry later');
            }
            return summary;
        }),
    );
    return true;
}

/**
 * `message` event handler: a page posts {type: "tolbooth-outbox-send"} (for example when
 * it is about to be hidden) and the worker drains, outliving the page.
 */
export function handleMessage(event) {
    const data = event.data || {};
    if (data.type !== 'tolbooth-outbox-send') {
        return false;
    }
    event.waitUntil(drainOutbox({ origin: self.location.origin }));
    return true;
}
