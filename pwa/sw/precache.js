// The versioned app shell: CSS, JS, htmx, icons and the offline page in every language,
// all or nothing (a half-filled shell must not become the active one). The list comes
// from the server (GET /app/precache/<lang>.json), so it names exactly the versioned
// URLs (/static/...?v=<hash>) the pages ask for.
import { SHELL_CACHE } from './version.js';

const CONCURRENCY = 4; // a cheap phone on a slow link: a few at a time, not a hundred

export function languageOrDefault(lang) {
    return /^[a-z]{2}$/.test(lang || '') ? lang : 'en';
}

export async function fetchList(lang) {
    const response = await fetch(`/app/precache/${languageOrDefault(lang)}.json`,
        { credentials: 'omit', cache: 'no-store' });
    if (!response.ok) {
        throw new Error(`precache list: HTTP ${response.status}`);
    }
    return response.json();
}

/**
 * Fetch every URL, at most CONCURRENCY at once, with no cookies (what we keep must be what
 * anybody would get; a kiosk sends its own, sw/kiosk.js) and past the HTTP cache. Resolves to [url, response] pairs; rejects
 * if any answer is not a 200, so callers store all of them or none.
 */
export async function fetchAll(urls, credentials = 'omit') {
    const results = new Array(urls.length);
    let next = 0;
    async function worker() {
        while (next < urls.length) {
            const index = next++;
            const response = await fetch(urls[index], { credentials, cache: 'no-cache' });
            if (!response.ok) {
                throw new Error(`precache: ${urls[index]} answered ${response.status}`);
            }
            results[index] = [urls[index], response];
        }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, urls.length) }, worker));
    return results;
}

export async function precacheShell(list) {
    const cache = await caches.open(SHELL_CACHE);
    const have = new Set((await cache.keys()).map((request) => request.url));
    const missing = list.shell.filter((url) => !have.has(new URL(url, self.location.origin).href));
    const fetched = await fetchAll(missing);
    await Promise.all(fetched.map(([url, response]) => cache.put(url, response)));
}

/**
 * /static/: from the shell cache first (versioned files never change), else the network;
 * offline with no exact match, any kept version of the same file beats nothing.
 */
export async function serveStatic(request) {
    const cache = await caches.open(SHELL_CACHE);
    const hit = await cache.match(request, { ignoreVary: true });
    if (hit) {
        return hit;
    }
    try {
        return await fetch(request);
    } catch (error) {
        const older = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
        if (older) {
            return older;
        }
        throw error;
    }
}
