// Every service's form pages in the person's language, and the data they run on offline
// (form definitions, the manifest). The server renders a clean copy of each page (no
// session, no draft, marked data-tb-offline-copy) at /app/copies/<lang>/<path>; it is kept
// under the real page's URL, where an offline navigation looks for it. Pages that can
// hold anything personal have no clean copy, so they are never kept.
//
// The pages cache remembers its language and the server's revision of the pages (META).
// A page tells the worker its language after every load: a different language fetches
// them all again; otherwise, at most once an hour, the worker asks the server for the
// list and fetches them again only if the revision changed (a deploy can change a
// template or a translation without changing the worker).
import { fetchAll, fetchList, languageOrDefault } from './precache.js';
import { KIOSK_PAGES, kioskHere } from './kiosk.js';
import { OUR_CACHES, PAGES_CACHE } from './version.js';

export const PRECACHE_MESSAGE = 'tolbooth-precache-pages';
export const PRECACHED_MESSAGE = 'tolbooth-pages-precached';
const META = '/__tolbooth/pages-meta';
const RECHECK_MS = 60 * 60 * 1000;

let running = null; // { lang, promise }: one precache at a time per worker

async function readMeta(cache) {
    const response = await cache.match(META);
    return response ? response.json() : null;
}

async function writeMeta(cache, meta) {
    await cache.put(META, new Response(JSON.stringify(meta),
        { headers: { 'Content-Type': 'application/json' } }));
}

export async function pagesLanguage() {
    const meta = await readMeta(await caches.open(PAGES_CACHE));
    return meta ? meta.lang : null;
}

/** The language any version of us last precached, so an update keeps it. */
export async function rememberedLanguage() {
    const current = await pagesLanguage();
    if (current) {
        return current;
    }
    for (const name of await caches.keys()) {
        if (OUR_CACHES.test(name) && name.startsWith('tolbooth-pages-')) {
            const meta = await readMeta(await caches.open(name));
            if (meta) {
                return meta.lang;
            }
        }
    }
    return null;
}

/**
 * Fetch everything first, then store: a failure half-way leaves the previous language's
 * pages in place (and no META change), and the next page load tries again.
 */
export async function precachePages(lang, list) {
    const wanted = list || await fetchList(lang);
    // A kiosk's copies carry its layout (its cookie names the hub, nothing personal) and
    // include its start pages, where Finish lands offline.
    const kiosk = await kioskHere();
    const wantedPages = kiosk ? [...wanted.pages, ...KIOSK_PAGES.map((url) => (
        { url, copy: `/app/copies/${wanted.lang}${url}` }))] : wanted.pages;
    const pages = await fetchAll(wantedPages.map((page) => page.copy), kiosk ? 'same-origin' : 'omit');
    const data = await fetchAll(wanted.data);
    const cache = await caches.open(PAGES_CACHE);
    const keep = new Set();
    await Promise.all(pages.map(([, response], index) => {
        const url = new URL(wantedPages[index].url, self.location.origin).href;
        keep.add(url);
        return cache.put(url, response);
    }));
    await Promise.all(data.map(([url, response]) => {
        keep.add(new URL(url, self.location.origin).href);
        return cache.put(url, response);
    }));
    const stale = (await cache.keys()).filter((request) => !keep.has(request.url) &&
        new URL(request.url).pathname !== META);
    await Promise.all(stale.map((request) => cache.delete(request)));
    await writeMeta(cache, { lang: wanted.lang, revision: wanted.revision, kiosk, checked: Date.now() });
    return { lang: wanted.lang, pages: pages.length, data: data.length };
}

export async function ensurePages(lang) {
    const wanted = languageOrDefault(lang);
    if (running && running.lang === wanted) {
        return running.promise;
    }
    const promise = (async () => {
        if (running) {
            await running.promise.catch(() => null); // one language at a time
        }
        const cache = await caches.open(PAGES_CACHE);
        const meta = await readMeta(cache);
        const same = meta && meta.lang === wanted && Boolean(meta.kiosk) === await kioskHere();
        if (same && Date.now() - meta.checked < RECHECK_MS) {
            return { lang: wanted, pages: 0, data: 0, already: true };
        }
        const list = await fetchList(wanted);
        if (same && meta.revision === list.revision) {
            await writeMeta(cache, { ...meta, checked: Date.now() });
            return { lang: wanted, pages: 0, data: 0, already: true };
        }
        return precachePages(wanted, list);
    })();
    running = { lang: wanted, promise };
    try {
        return await promise;
    } finally {
        if (running && running.promise === promise) {
            running = null;
        }
    }
}

/** `message` {type: PRECACHE_MESSAGE, lang}: answered with PRECACHED_MESSAGE when done. */
export function handlePagesMessage(event) {
    const data = event.data || {};
    if (data.type !== PRECACHE_MESSAGE) {
        return false;
    }
    event.waitUntil(ensurePages(data.lang).then((result) => {
        if (event.source) {
            event.source.postMessage({ type: PRECACHED_MESSAGE, ...result });
        }
        return result;
    }));
    return true;
}
