// Navigations: network first, so a person online always gets the live page (their draft,
// their account); when the network fails, the clean copy kept by forms_precache.js; then
// the offline page in their language. Nothing fetched here is ever stored: only clean
// copies go into the cache, so personal pages cannot end up in it.
import { pagesLanguage } from './forms_precache.js';
import { PAGES_CACHE, SHELL_CACHE } from './version.js';

// Kept copies answer whatever the query (?change=1, ?q=) or Vary (Cookie, HX-Request,
// Accept-Language: the copy depends on its URL alone, and a navigation's request headers
// never match a stored request's anyway).
const MATCH = { ignoreSearch: true, ignoreVary: true };

export async function offlinePage() {
    const shell = await caches.open(SHELL_CACHE);
    const lang = (await pagesLanguage()) || 'en';
    const page = await shell.match(`/app/copies/${lang}/offline`, MATCH) ||
        await shell.match('/app/copies/en/offline', MATCH);
    if (page) {
        return page;
    }
    return new Response('You are offline.', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

export async function networkFirstPage(event) {
    try {
        const preloaded = await event.preloadResponse;
        if (preloaded) {
            return preloaded;
        }
        return await fetch(event.request);
    } catch (error) {
        const cache = await caches.open(PAGES_CACHE);
        const kept = await cache.match(event.request.url, MATCH);
        return kept || offlinePage();
    }
}

/** Form definitions and the manifest: live when online, the kept copy offline. */
export async function networkFirstData(request) {
    try {
        return await fetch(request);
    } catch (error) {
        const kept = await (await caches.open(PAGES_CACHE)).match(request.url, { ignoreVary: true });
        if (kept) {
            return kept;
        }
        throw error;
    }
}
