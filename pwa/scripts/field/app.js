// The field page (/field): which view shows, the forms, and when to sync. Everything it
// shows it reads from the device (case_store.js, outbox.js); the server page only brings
// the words, the visit form, and (signed in) the CSRF token to set the device up.
import { nowIso } from '../time/clock.js';
import { caseCount, readRows, wipeCases } from './case_store.js';
import { getMeta, transact } from './db.js';
import { allItems, counts, countsOf, openItem, queueWork, requeue } from './outbox.js';
import { SYNC_TAG, setUpDevice, syncDevice, CHANNEL_NAME } from './sync.js';
import { SIGN_OUT_HASH, markFieldDevice } from './sign_out_guard.js';
import { showErrors, clearErrors, visitQuestions } from './forms.js';
import { FIELD_STATUSES, caseEdits, noteFromText, pendingEdits, visitFromForm } from './work.js';
import { el, fill, renderCaseList, renderConflicts, renderFacts, renderOutbox, renderTimeline, when } from './view.js';

const root = document.querySelector('[data-tb-field]');
const words = JSON.parse(root.dataset.tbFieldWords);
const labels = JSON.parse(root.dataset.tbFieldLabels);
const visitForm = JSON.parse(root.dataset.tbVisitForm);
const lang = root.dataset.tbFieldLang;
const q = (selector) => root.querySelector(selector);
const context = () => ({ words, labels, lang, clientId: state.client && state.client.client_id });
const state = { client: null, rows: [], order: 'next_visit', syncing: false, again: false };
const LOCK_WAIT_MS = 60_000; // longer than that, the other sender is stuck: try later

function show(view) {
    root.querySelectorAll('[data-tb-field-view]').forEach((section) => {
        section.hidden = !(section.dataset.tbFieldView === view || (section.dataset.tbFieldView === 'outbox' && state.showOutbox));
    });
}

function say(selector, text) {
    q(selector).textContent = text;
}

/** Says it unless it is already said: for what is stated after every sync (a state,
 *  not news), so the live region does not repeat it each time. */
function sayOnce(selector, text) {
    if (q(selector).textContent !== text) say(selector, text);
}

async function refreshStatus(extra) {
    const held = await allItems(); // one read: the counts and the lists come from it
    const { waiting, quarantined } = countsOf(held);
    const last = await getMeta('last_sync');
    const parts = [fill(words.waiting, { count: waiting }), fill(words.quarantined, { count: quarantined }),
        last ? fill(words.last_sync, { time: when(last, lang) }) : words.never_synced];
    if (extra) parts.unshift(extra);
    say('[data-tb-field-status]', parts.join(' · '));
    const items = await Promise.all(held.map((item) => openItem(item).catch(() => ({ ...item, label: '' }))));
    state.items = items;
    renderOutbox(q('[data-tb-field-waiting]'), q('[data-tb-field-quarantined]'), items, { words });
    return { waiting, quarantined };
}

async function refreshCases() {
    state.rows = await readRows();
    const cases = state.rows.filter((r) => r.kind === 'case').map((c) => ({
        ...c, conflicts: state.rows.filter((r) => r.kind === 'conflict' && r.case_id === c.id && r.data.status === 'open').length,
    }));
    state.cases = cases;
    q('[data-tb-field-empty]').hidden = cases.length > 0;
    // Listed (and sorted) as the worker left them: their changes not yet sent included.
    const shown = cases.map((c) => ({ ...c, data: { ...c.data, ...pendingEdits(state.items || [], c.id) } }));
    renderCaseList(q('[data-tb-field-cases]'), shown, state.order, context());
}

function showCase(caseId, moved) {
    const found = (state.cases || []).find((c) => c.id === caseId);
    if (!found) { location.hash = ''; show('home'); return; }
    state.caseId = caseId;
    show('case');
    const title = q('[data-tb-field-case-title]');
    title.textContent = `${found.data.reference || ''} ${found.data.address || ''}`.trim();
    // The worker's own changes not yet sent show (tagged) until the server has them.
    const pending = pendingEdits(state.items || [], caseId);
    const shown = { ...found.data, ...pending };
    renderFacts(q('[data-tb-field-facts]'), found.data, context(), pending);
    renderConflicts(q('[data-tb-field-conflicts]'), state.rows, caseId, context());
    renderTimeline(q('[data-tb-field-timeline]'), state.rows, caseId, context());
    const edit = q('[data-tb-field-form="edit"]');
    for (const name of ['risk_level', 'next_visit_on', 'access_notes', 'hazards', 'contact_phone']) {
        edit.elements[name].value = shown[name] === null || shown[name] === undefined ? '' : shown[name];
    }
    edit.elements.follow_up_needed.checked = Boolean(shown.follow_up_needed);
    // A status the worker cannot set (received, closed) is shown as it is, never sent.
    const select = edit.elements.status;
    const kept = select.querySelector('[data-tb-field-status-current]');
    if (kept) kept.remove();
    if (shown.status && !FIELD_STATUSES.includes(shown.status)) {
        select.prepend(el('option', { value: shown.status, disabled: true, 'data-tb-field-status-current': '',
            text: (labels.statuses || {})[shown.status] || String(shown.status) }));
    }
    select.value = shown.status || '';
    // Focus moves only when the worker opened the case, never when a sync redraws it.
    if (moved) title.focus();
}

async function route(moved = false) {
    const match = /^#case=(.+)$/.exec(location.hash);
    state.client = await getMeta('client');
    state.someoneElse = false;
    const { waiting, quarantined } = await counts();
    state.showOutbox = Boolean(state.client) || waiting + quarantined > 0;
    // Sign out on other pages comes here first while the device holds cases or work.
    const holder = (state.client && state.client.person_id) || root.dataset.tbFieldPersonId;
    if (!state.showOutbox) markFieldDevice(null);
    else if (holder) markFieldDevice(holder);
    if (!state.client) {
        // Removed from the service (by this page's sync, the worker's or another tab's):
        // said for as long as it is true, not only by whichever sync found out.
        if (await getMeta('replaces')) sayOnce('[data-tb-field-alert]', words.revoked);
        show(root.dataset.tbFieldCsrf ? 'setup' : (root.hasAttribute('data-tb-field-other') ? 'other' : 'signin'));
        return;
    }
    const signedIn = root.dataset.tbFieldPersonId;
    if (signedIn && state.client.person_id && signedIn !== state.client.person_id) {
        // Another member of staff on this device: its cases are not theirs to see.
        say('[data-tb-field-someone-else]', fill(words.someone_else, { name: state.client.person || '' }));
        state.showOutbox = false;
        state.someoneElse = true;
        show('someone_else');
        return;
    }
    say('[data-tb-field-device]', fill(words.set_up_done, { name: state.client.person || '' }));
    q('[data-tb-field-sync]').hidden = false;
    if (match) showCase(decodeURIComponent(match[1]), moved);
    else show('home');
}

async function sync({ announceProgress = false } = {}) {
    // Asked while a sync runs (Sync now, online, new work): one more runs after it, as
    // what it was asked for may have changed since it started. Never dropped.
    if (state.syncing) { state.again = true; return null; }
    state.syncing = true;
    state.again = false;
    root.setAttribute('data-tb-field-syncing', ''); // until this and any asked after it end
    await refreshStatus(words.syncing);
    try {
        // The worker (Background Sync) or another tab may hold the lock: wait for it.
        const summary = await syncDevice({ origin: location.origin, wait: LOCK_WAIT_MS, onProgress: (p) => {
            if (announceProgress) say('[data-tb-field-progress]', fill(words.progress, { cases: p.cases, size: size(p.bytes) }));
        } });
        if (summary && summary.revoked) say('[data-tb-field-alert]', words.revoked);
        else if (summary && summary.retry) say('[data-tb-field-alert]', navigator.onLine ? words.sync_failed : words.offline);
        if (announceProgress && summary && !summary.retry && summary.device) {
            say('[data-tb-field-progress]', fill(words.download_done, { cases: await caseCount() }));
        }
        return summary;
    } finally {
        state.syncing = false;
        const { waiting, quarantined } = await refreshStatus();
        await refreshCases();
        await route();
        signOutAnswered(waiting + quarantined);
        if (state.again) sync();
        else root.removeAttribute('data-tb-field-syncing');
    }
}

function size(bytes) {
    const unit = bytes >= 1024 * 1024 ? ['megabyte', bytes / (1024 * 1024)] : ['kilobyte', bytes / 1024];
    return new Intl.NumberFormat(lang, { style: 'unit', unit: unit[0], maximumFractionDigits: 1 }).format(unit[1]);
}

async function askBackgroundSync() {
    try {
        const registration = await navigator.serviceWorker.ready;
        if (registration.sync) await registration.sync.register(SYNC_TAG);
    } catch (error) { /* no Background Sync: online and page open still send */ }
}

async function queued(form, work) {
    const photos = [...(form.elements.photos ? form.elements.photos.files : [])];
    if (photos.some((file) => !/^image\/(jpeg|png|webp)$/.test(file.type))) {
        showErrors(form, [{ field: 'photos', message: words.not_a_photo }], words);
        return;
    }
    // The form is cleared before the (slow) sealing, so what is typed next is kept; if
    // saving fails, what was entered goes back where it was still empty.
    const entered = [...form.elements].filter((e) => e.name && e.type !== 'file')
        .map((e) => [e, e.type === 'checkbox' || e.type === 'radio' ? e.checked : e.value]);
    form.reset();
    clearErrors(form);
    try {
        await queueWork({ ...work, photos });
    } catch (error) {
        restore(form, entered, photos);
        showErrors(form, [{ field: null, message: words.save_failed }], words);
        return;
    }
    say('[data-tb-field-progress]', words.queued);
    await refreshStatus();
    await refreshCases();
    askBackgroundSync();
    if (navigator.onLine) sync();
}

function restore(form, entered, photos) {
    for (const [input, value] of entered) {
        if (typeof value === 'boolean') { if (value) input.checked = true; }
        else if (!input.value) input.value = value;
    }
    const chooser = form.elements.photos;
    if (chooser && photos.length && !chooser.files.length) {
        const files = new DataTransfer();
        photos.forEach((file) => files.items.add(file));
        chooser.files = files.files;
    }
}

function currentCase() {
    return state.cases.find((c) => c.id === state.caseId);
}

const now = () => nowIso();

async function submitted(event) {
    const form = event.target.closest('[data-tb-field-form]');
    if (!form) return;
    event.preventDefault();
    const held = currentCase();
    const kind = form.dataset.tbFieldForm;
    // What the outbox lists show of it (sealed with the rest): the case and a snippet.
    const snippet = (text) => (text.length > 60 ? `${text.slice(0, 60)}…` : text);
    const label = (text) => [held.data.reference || '', snippet(String(text || '').trim())].filter(Boolean).join(' – ');
    const data = Object.fromEntries(new FormData(form));
    if (kind === 'visit') {
        const made = visitFromForm(visitForm, data, { locale: lang, now: now(), words });
        if (made.errors) { showErrors(form, made.errors, words); return; }
        await queued(form, { entity: 'visit', op: 'create', caseId: held.id, payload: made.payload, label: label(data.findings), formVersion: visitForm.version });
    } else if (kind === 'note') {
        const made = noteFromText(data.text || '', { locale: lang, now: now(), words });
        if (made.errors) { showErrors(form, made.errors, words); return; }
        await queued(form, { entity: 'note', op: 'create', caseId: held.id, payload: made.payload, label: label(data.text) });
    } else if (kind === 'edit') {
        const made = caseEdits({ ...held.data, ...pendingEdits(state.items || [], held.id) }, data, { words });
        if (made.errors) { showErrors(form, made.errors, words); return; }
        if (!Object.keys(made.fields).length) { showErrors(form, [{ field: 'risk_level', message: words.no_changes }], words); return; }
        await queued(form, { entity: 'case', op: 'update', caseId: held.id, baseVersion: held.version,
            payload: { fields: made.fields, locale: lang, client_created_at: now() },
            label: label(Object.keys(made.fields).map((name) => labels[name] || name).join(', ')) });
        showCase(held.id);
    }
}

async function signingOut(event) {
    if (state.someoneElse) return; // not their device's work: nothing of theirs to keep
    event.preventDefault();
    const form = event.target;
    if (await refusedSignOut()) return;
    await wipeCases();
    await transact(['meta'], 'readwrite', (s) => s.meta.delete('client'));
    markFieldDevice(null);
    form.submit();
}

/** Work waits: say so, offer "Send now" (focused). Returns whether it refused. */
async function refusedSignOut() {
    const { waiting, quarantined } = await counts();
    const sendNow = q('[data-tb-field-send-now]');
    if (waiting + quarantined === 0 || !sendNow) return false;
    say('[data-tb-field-signout-message]', fill(words.sign_out_refused, { count: waiting + quarantined }));
    sendNow.hidden = false;
    sendNow.focus();
    return true;
}

/** Sign out was refused and now nothing waits: say it can go ahead. */
function signOutAnswered(left) {
    const message = q('[data-tb-field-signout-message]');
    if (!message || !message.textContent || left > 0) return;
    sayOnce('[data-tb-field-signout-message]', words.sign_out_ready);
    q('[data-tb-field-send-now]').hidden = true;
    const button = q('[data-tb-field-signout] button');
    if (button && document.activeElement === document.body) button.focus();
}

/** Arrived from "Sign out" on another page: the refusal, or this page's own button. */
async function signOutHere() {
    if (location.hash !== SIGN_OUT_HASH || state.someoneElse) return;
    if (await refusedSignOut()) return;
    const button = q('[data-tb-field-signout] button');
    if (button) button.focus();
}

function start() {
    q('[data-tb-field-visit-questions]').replaceChildren(...visitQuestions(visitForm, el));
    root.addEventListener('submit', submitted);
    document.querySelectorAll('form[action="/sign-out"]').forEach((form) => {
        form.addEventListener('submit', signingOut);
        form.hidden = false;
    });
    q('[data-tb-field-setup]').addEventListener('click', async () => {
        const result = await setUpDevice(location.origin, root.dataset.tbFieldCsrf,
            { name: root.dataset.tbFieldPerson, id: root.dataset.tbFieldPersonId });
        say('[data-tb-field-alert]', result.ok ? '' : (result.message || words.set_up_failed));
        await route();
        if (!result.ok) return;
        q('[data-tb-field-download]').focus();
        // Work kept from before (a device set up again) goes now, not at the next press.
        if ((await counts()).waiting && navigator.onLine) sync({ announceProgress: true });
    });
    q('[data-tb-field-download]').addEventListener('click', () => sync({ announceProgress: true }));
    q('[data-tb-field-sync]').addEventListener('click', () => sync());
    const sendNow = q('[data-tb-field-send-now]'); // only on the live page, signed in
    if (sendNow) sendNow.addEventListener('click', () => sync());
    q('[data-tb-field-order]').addEventListener('change', (event) => { state.order = event.target.value; refreshCases(); });
    q('[data-tb-field-back]').addEventListener('click', (event) => { event.preventDefault(); location.hash = ''; });
    root.addEventListener('click', async (event) => {
        const button = event.target.closest('[data-tb-field-requeue]');
        if (!button) return;
        await requeue(button.dataset.tbFieldRequeue);
        say('[data-tb-field-progress]', words.requeued);
        await refreshStatus();
        await refreshCases(); // a case change put back shows on its case again
        if (navigator.onLine) sync();
    });
    window.addEventListener('hashchange', () => route(true).then(signOutHere));
    window.addEventListener('online', () => sync());
    if (typeof BroadcastChannel !== 'undefined') {
        // The worker (Background Sync) or another tab synced: show what it found.
        new BroadcastChannel(CHANNEL_NAME).onmessage = async (event) => {
            if (!event.data || event.data.type !== 'synced' || state.syncing) return;
            await refreshStatus();
            await refreshCases();
            await route(); // says so if the device was removed
        };
    }
    return refreshStatus().then(refreshCases).then(() => route(true)).then(signOutHere)
        .then(() => (navigator.onLine && state.client ? sync() : null));
}

export const ready = start();
