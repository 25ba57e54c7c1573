// Tolbooth's service worker (bundled by pwa/build.mjs into static/build/sw.js, served at
// /sw.js with scope "/"). This file only wires events to the files that do the work, one
// concern each: precache.js (app shell), forms_precache.js (form pages in the person's
// language), pages.js (navigations), cleanup.js (old caches), update.js (offered
// updates), outbox.js (sending what was queued offline), field.js (the field device's sync). Every waitUntil gets the
// promise of the whole job.
import { deleteOldCaches } from './cleanup.js';
import { handleFieldMessage, handleFieldSync } from './field.js';
import { handlePagesMessage, precachePages, rememberedLanguage } from './forms_precache.js';
import { handleMessage as handleOutboxMessage, handleSync } from './outbox.js';
import { networkFirstData, networkFirstPage } from './pages.js';
import { fetchList, precacheShell, serveStatic } from './precache.js';
import { flushFinish, handleKioskMessage, mustWaitForFinish } from './kiosk.js';
import { handleUpdateMessage } from './update.js';

async function install() {
    const lang = await rememberedLanguage();
    const list = await fetchList(lang || 'en');
    await precacheShell(list);
    if (lang) {
        // An update: have the person's pages ready before this version takes over. If it
        // fails, the first page load afterwards asks again (the pages cache has no META).
        await precachePages(lang, list).catch((error) => console.warn('precache pages:', error));
    }
}

async function activate() {
    await deleteOldCaches();
    if (self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
    }
    // The first install controls the open page at once, so it works offline without a
    // reload. An update only gets here after the person chose it (update.js).
    await self.clients.claim();
}

self.addEventListener('install', (event) => {
    event.waitUntil(install());
});

self.addEventListener('activate', (event) => {
    event.waitUntil(activate());
});

/** The answer for `event`, or null to leave it to the network (`always`: fetch it). */
function route(event, always) {
    const request = event.request;
    const url = new URL(request.url);
    if (request.method === 'GET' && request.mode === 'navigate') {
        return networkFirstPage(event);
    }
    if (request.method === 'GET' && url.pathname.startsWith('/static/')) {
        return serveStatic(request);
    }
    if (request.method === 'GET' && (url.pathname.startsWith('/forms/') ||
                                     url.pathname === '/manifest.webmanifest' ||
                                     url.pathname === '/kiosk/seal-key.json')) {
        return networkFirstData(request);
    }
    // Anything else (htmx fragments, /sync/, /app/, posts) goes to the network untouched.
    return always ? fetch(request) : null;
}

self.addEventListener('fetch', (event) => {
    if (new URL(event.request.url).origin !== self.location.origin) {
        return;
    }
    if (mustWaitForFinish()) {
        // A kiosk's pending Finish reaches the server before this request does.
        event.respondWith(flushFinish().catch(() => null).then(() => route(event, true)));
        return;
    }
    const answer = route(event, false);
    if (answer) {
        event.respondWith(answer);
    }
});

self.addEventListener('message', (event) => {
    if (handleUpdateMessage(event) || handlePagesMessage(event) || handleFieldMessage(event) ||
        handleKioskMessage(event)) {
        return;
    }
    handleOutboxMessage(event);
});

self.addEventListener('sync', (event) => {
    // The outbox's tag: a kiosk's pending Finish goes first (outbox.js awaits it).
    if (!handleFieldSync(event)) handleSync(event, flushFinish);
});
