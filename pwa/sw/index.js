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

self.addEventListener('fetch', (event) => {
    const request = event.request;
    if (request.method !== 'GET') {
        return;
    }
    const url = new URL(request.url);
    if (url.origin !== self.location.origin) {
        return;
    }
    if (request.mode === 'navigate') {
        event.respondWith(networkFirstPage(event));
    } else if (url.pathname.startsWith('/static/')) {
        event.respondWith(serveStatic(request));
    } else if (url.pathname.startsWith('/forms/') || url.pathname === '/manifest.webmanifest'
        || url.pathname === '/kiosk/seal-key.json') {
        event.respondWith(networkFirstData(request));
    }
    // Anything else (htmx fragments, /sync/, /app/) goes to the network untouched.
});

self.addEventListener('message', (event) => {
    if (handleUpdateMessage(event) || handlePagesMessage(event) || handleFieldMessage(event)) {
        return;
    }
    handleOutboxMessage(event);
});

self.addEventListener('sync', (event) => {
    if (!handleFieldSync(event)) handleSync(event);
});
