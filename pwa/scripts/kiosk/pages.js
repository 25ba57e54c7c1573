// Entry of static/build/kiosk_outbox.js: the kiosk's receipt page and its outbox page
// (pwa/templates/kiosk/receipt.html, outbox.html), and sending what the kiosk holds when
// it comes online. Every word comes from the page (data-*-text).
import { onKiosk } from './detect.js';
import { qrSvg, trackingUrl } from './qr.js';
import { counts, findByReceipt, listSealed, onSealedChange, SENT, WITH_STAFF } from './sealed_store.js';
import { sendSealed } from './send.js';

function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
}

async function showReceiptState(page, code) {
    const text = JSON.parse(page.dataset.tbReceiptText);
    const status = page.querySelector('[data-tb-receipt-status]');
    const item = await onKiosk() ? await findByReceipt(code) : null;
    if (!item) return;
    let line = text.waiting;
    if (item.state === SENT) line = fill(text.sent, { reference: item.reference });
    if (item.state === WITH_STAFF) line = text.with_hub_staff;
    if (status.textContent !== line) status.textContent = line;
}

async function initReceipt(page) {
    const codeBox = page.querySelector('[data-tb-receipt-code]');
    let code = codeBox.textContent.trim();
    if (!code) {
        // The service worker's copy of this page: the code is in the address.
        code = (new URLSearchParams(location.search).get('code') || '').toUpperCase();
        if (!/^LOCAL-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/.test(code)) return;
        codeBox.textContent = code;
        const url = trackingUrl(page.dataset.tbTrackBase, code);
        page.querySelector('[data-tb-receipt-url]').textContent = url;
        page.querySelector('[data-tb-receipt-qr]').replaceChildren(qrSvg(url));
    }
    page.dataset.tbReceiptFor = code;
    await showReceiptState(page, code);
    onSealedChange(() => showReceiptState(page, code));
}

async function showOutbox(page) {
    const text = JSON.parse(page.dataset.tbKioskOutboxText);
    const items = await listSealed();
    const numbers = await counts();
    page.querySelector('[data-tb-kiosk-outbox-counts]').textContent = numbers.waiting || numbers.sent || numbers.with_hub_staff
        ? fill(text.counts, numbers) : text.done;
    page.querySelector('[data-tb-kiosk-outbox-rows]').replaceChildren(...items.map((item) => {
        const row = document.createElement('tr');
        const code = document.createElement('td');
        code.textContent = item.receipt_code;
        const state = document.createElement('td');
        state.textContent = text[item.state] || item.state;
        row.append(code, state);
        return row;
    }));
}

async function initOutbox(page) {
    const nojs = page.querySelector('[data-tb-kiosk-outbox-nojs]');
    if (nojs) nojs.hidden = true;
    const button = page.querySelector('[data-tb-kiosk-send]');
    button.hidden = false;
    button.addEventListener('click', async () => {
        const text = JSON.parse(page.dataset.tbKioskOutboxText);
        const status = page.querySelector('[data-tb-kiosk-outbox-counts]');
        status.textContent = navigator.onLine ? text.sending : text.offline;
        await sendSealed(location.origin);
        await showOutbox(page);
    });
    onSealedChange(() => showOutbox(page));
    await showOutbox(page);
}

async function start() {
    const receipt = document.querySelector('[data-tb-receipt-page]');
    if (receipt) await initReceipt(receipt);
    const outbox = document.querySelector('[data-tb-kiosk-outbox]');
    if (outbox) await initOutbox(outbox);
    if (await onKiosk()) {
        window.addEventListener('online', () => sendSealed(location.origin));
        if (navigator.onLine) sendSealed(location.origin);
    }
}

if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', () => { start(); });
} else {
    start();
}
