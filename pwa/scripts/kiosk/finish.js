// Finish on a kiosk (issue 13), the browser's half; the button and the idle time-out
// (kiosk/idle.js) both end here. Within 2 s, online or not: web storage cleared, every
// IndexedDB database but the kiosk's own deleted (its stores but device and sealed
// cleared), every cache but the app shell and clean copies deleted, the server told
// (now, or by the service worker before anything else once the network is back), and a
// fresh start page (no-store) replaces this one in history.
import { rememberFinish, sendPendingFinish } from './pending.js';
import { wipeCaches, wipeDatabases, wipeWebStorage } from './wipe.js';

export const FINISH_MESSAGE = 'tolbooth-kiosk-finish';
const FINISHED_MESSAGE = 'tolbooth-kiosk-finishing';
const WIPE_BUDGET_MS = 1200;
const WORKER_WAIT_MS = 400;
// The session's CSRF token, from the last page the server rendered: a page the worker
// served offline has none (a clean copy), yet the finish it leaves pending needs one.
const TOKEN_KEY = 'tolbooth-kiosk-csrf';

function within(ms, promise) {
    return Promise.race([promise.catch(() => null), new Promise((resolve) => setTimeout(resolve, ms))]);
}

function tellWorker(worker) {
    return new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(event.data && event.data.type === FINISHED_MESSAGE);
        worker.postMessage({ type: FINISH_MESSAGE }, [channel.port2]);
        setTimeout(() => resolve(false), WORKER_WAIT_MS);
    });
}

let finishing = null;

export function finishVisit() {
    if (finishing) return finishing;
    finishing = (async () => {
        const button = document.getElementById('tb-kiosk-finish');
        const field = button && button.form ? button.form.querySelector('[name="csrf_token"]') : null;
        let token = field ? field.value : '';
        try { token = token || localStorage.getItem(TOKEN_KEY) || ''; } catch (error) { /* off */ }
        wipeWebStorage();
        // Nothing of the person stays in this document, even if the browser keeps it
        // for Back (back/forward cache).
        const main = document.getElementById('main-content');
        if (main) main.replaceChildren();
        await within(400, rememberFinish(token));
        const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
        const told = worker ? await tellWorker(worker) : false;
        await within(WIPE_BUDGET_MS, Promise.all([
            wipeDatabases(), wipeCaches(),
            // Without a worker to send it first, send it now (it stays pending offline).
            told ? Promise.resolve(true) : sendPendingFinish(),
        ]));
        window.location.replace('/kiosk');
    })();
    return finishing;
}

export function initFinish() {
    const button = document.getElementById('tb-kiosk-finish');
    if (!button || !button.form || button.form.hasAttribute('data-tb-finish-ready')) return;
    button.form.setAttribute('data-tb-finish-ready', '');
    const field = button.form.querySelector('[name="csrf_token"]');
    if (field && field.value) {
        try { localStorage.setItem(TOKEN_KEY, field.value); } catch (error) { /* off */ }
    }
    button.form.addEventListener('submit', (event) => {
        event.preventDefault();
        finishVisit();
    });
}
