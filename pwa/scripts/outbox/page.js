// Entry of static/build/outbox.js (global TolboothOutbox), loaded by loader.js only when
// it is needed: offline, on an offline copy of a page, on /outbox, or while something is
// queued. It keeps the first visit small (the 60 KB budget).
import { renderCheck, sendFromCheck, showReceipt, updateReceipt } from './check_page.js';
import { journeyForm, restorePage, showCarriedOver, submitOffline } from './offline_journey.js';
import { loadDraft } from './drafts.js';
import { initOutboxPage } from './outbox_page.js';
import { readText } from './page_view.js';
import { getItem, listSent } from './store.js';
import { initStatus, onOutboxChange, refreshStatus, registerBackgroundSync, sendNow } from './status.js';

export { drainOutbox } from './drain.js';
export { canonicalJson, payloadSha256 } from './canonical.js';
export { counts, listOutbox, listSent, queueSubmission } from './store.js';
export { sendNow, refreshStatus };

function lang() {
    return document.documentElement.lang || 'en';
}

function offline() {
    return !navigator.onLine || !!document.querySelector('[data-tb-offline-copy]');
}

async function showSavedReceipt(form, id) {
    const item = (await getItem(id)) || (await listSent()).find((r) => r.id === id);
    if (!item) return false;
    showReceipt(form.closest('main'), item, readText());
    await updateReceipt(readText());
    return true;
}

async function preparePage() {
    const form = journeyForm();
    if (form && form.dataset.tbPage === 'check') {
        const receipt = new URLSearchParams(location.search).get('receipt');
        if (receipt && await showSavedReceipt(form, receipt)) return;
        const holder = document.querySelector('[data-tb-check-rows]');
        if (offline() && holder) {
            const ready = await renderCheck(holder, form.dataset.tbJourney, lang());
            const draft = ready && await loadDraft(form.dataset.tbJourney);
            if (draft && draft.mirrored) showCarriedOver(form.closest('main'), readText());
        }
    } else if (form && offline()) {
        await restorePage(form);
    }
    const outboxPage = document.querySelector('[data-tb-outbox-page]');
    if (outboxPage) await initOutboxPage(outboxPage, lang());
}

/** A journey form's submit while offline (loader.js holds it until this is loaded). */
export async function handleSubmit(form) {
    if (form.dataset.tbPage !== 'check') return submitOffline(form);
    const item = await sendFromCheck(form, lang());
    if (item && !item.kiosk) {
        await registerBackgroundSync();
        await refreshStatus();
        sendNow();
    }
    return item;
}

let started = null;

export function start() {
    if (!started) {
        initStatus();
        onOutboxChange(() => updateReceipt(readText()));
        started = preparePage();
    }
    return started;
}
