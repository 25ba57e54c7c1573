// Old caches go when a new worker activates (never on install: until then the old worker
// is still serving pages from them). Only caches we name are touched.
import { OUR_CACHES, PAGES_CACHE, SHELL_CACHE } from './version.js';

export async function deleteOldCaches() {
    const current = new Set([SHELL_CACHE, PAGES_CACHE]);
    const names = await caches.keys();
    const old = names.filter((name) => OUR_CACHES.test(name) && !current.has(name));
    await Promise.all(old.map((name) => caches.delete(name)));
    return old;
}
