// The outbox status everyone can see and hear (an aria-live polite region in base.html):
// "Requests waiting to send: 2", "Sending…", "Sent: reference MLC-…", with "Send now".
// And when to send: on `online`, on pageshow, on "Send now", and on a jittered back-off
// capped at 5 minutes (Retry-After honoured). Words come from data-tb-text (translated).
import { CHANNEL_NAME, drainOutbox, onDrainMessage, OUTBOX_SYNC_TAG } from './drain.js';
import { counts } from './store.js';
import { fill, readText } from './page_view.js';

const MAX_DELAY = 300;
const FLAG = 'tolbooth-outbox';
let attempts = 0;
let timer = null;
let sending = false;
let lastSent = null;
let pressedOffline = false; // "Send now" pressed with no network: say why nothing went
const listeners = [];

export function onOutboxChange(listener) {
    listeners.push(listener);
}

export function backoffSeconds(attempt, retryAfter, random = Math.random) {
    if (retryAfter !== null && retryAfter !== undefined) return retryAfter;
    const base = Math.min(MAX_DELAY, 5 * 2 ** attempt);
    return Math.min(MAX_DELAY, base * (0.5 + random()));
}

function region() {
    return document.getElementById('tb-outbox-status');
}

export async function refreshStatus() {
    const holder = region();
    if (!holder) return;
    const text = readText();
    const { waiting, attention } = await counts();
    const parts = [];
    if (sending) parts.push(text.sending);
    else if (waiting) parts.push(fill(text.waiting, { count: waiting }));
    if (attention) parts.push(fill(text.attention, { count: attention }));
    if (!parts.length && lastSent) parts.push(fill(text.sent, { reference: lastSent }));
    if (pressedOffline && !navigator.onLine && waiting) parts.push(text.offline);
    const live = holder.querySelector('[data-tb-outbox-live]');
    const message = parts.join(' ');
    if (live.textContent !== message) live.textContent = message;
    holder.querySelector('[data-tb-outbox-actions]').hidden = !(waiting || attention);
    holder.querySelector('[data-tb-send-now]').hidden = !waiting;
    try {
        if (waiting || attention) localStorage.setItem(FLAG, '1');
        else localStorage.removeItem(FLAG);
    } catch (error) { /* storage refused: the loader then only loads offline */ }
    listeners.forEach((listener) => listener());
}

function schedule(summary) {
    clearTimeout(timer);
    timer = null;
    if (!summary.retry) {
        attempts = 0;
        return;
    }
    const delay = backoffSeconds(attempts, summary.retryAfter);
    attempts += 1;
    timer = setTimeout(() => sendNow(), delay * 1000);
}

export async function sendNow({ pressed = false } = {}) {
    if (!navigator.onLine) {
        pressedOffline = pressedOffline || pressed;
        await refreshStatus();
        return null;
    }
    pressedOffline = false;
    const summary = await drainOutbox({ origin: location.origin, wait: false });
    if (!summary.busy) schedule(summary);
    return summary;
}

export function registerBackgroundSync() {
    if (!('serviceWorker' in navigator)) return Promise.resolve(false);
    return navigator.serviceWorker.ready
        .then((registration) => (registration.sync ? registration.sync.register(OUTBOX_SYNC_TAG).then(() => true) : false))
        .catch(() => false);
}

export function initStatus() {
    const holder = region();
    if (!holder || holder.dataset.tbOutboxReady) return;
    holder.dataset.tbOutboxReady = '1';
    holder.querySelector('[data-tb-send-now]').addEventListener('click', () => sendNow({ pressed: true }));
    const heard = (data) => {
        sending = data.type === 'sending';
        if (data.type === 'drained' && data.summary.sent.length) {
            lastSent = data.summary.sent[data.summary.sent.length - 1].reference;
        }
        refreshStatus();
    };
    onDrainMessage(heard);
    if (typeof BroadcastChannel !== 'undefined') {
        new BroadcastChannel(CHANNEL_NAME).addEventListener('message', (event) => heard(event.data || {}));
    }
    window.addEventListener('online', () => sendNow());
    window.addEventListener('offline', () => refreshStatus());
    window.addEventListener('pageshow', (event) => { if (event.persisted) sendNow(); });
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    refreshStatus().then(() => sendNow());
}
