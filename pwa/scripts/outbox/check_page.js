// Check-your-answers from the offline draft (the rows of server/handlers/public/check.py,
// written by the same display rules: forms/answers_display.js), and "Send": the
// submission goes to the outbox and the page shows a local receipt.
import { answerLines } from '../forms/answers_display.js';
import { cleanAnswers, visiblePages } from '../forms/validate.js';
import { pageFormats } from '../time/dates.js';
import { hasOwn } from '../forms/normalise.js';
import { contactDefinition, deleteDraft, loadDefinition, loadDraft } from './drafts.js';
import { CONTACT_PAGE, copyPrefix, stepUrl } from './flow.js';
import { fill, readText } from './page_view.js';
import { getItem, listSent, queueSubmission, resendFixed } from './store.js';
import { onKiosk } from '../kiosk/detect.js';
import { queueSealed } from '../kiosk/sealed_store.js';

function row(id, label, lines, changeUrl, text) {
    const item = document.createElement('li');
    item.className = 'ds_summary-list__item';
    const key = document.createElement('span');
    key.className = 'ds_summary-list__key';
    key.id = `key-${id}`;
    key.textContent = label;
    const valueBox = document.createElement('span');
    valueBox.className = 'ds_summary-list__value';
    if (lines.length) {
        lines.forEach((line, at) => {
            const q = document.createElement('q');
            q.className = 'ds_summary-list__answer';
            q.dir = 'auto';
            q.textContent = line;
            valueBox.append(q);
            if (at < lines.length - 1) valueBox.append(document.createElement('br'));
        });
    } else {
        const none = document.createElement('span');
        none.className = 'ds_summary-list__answer';
        none.textContent = text.not_given;
        valueBox.append(none);
    }
    const actions = document.createElement('div');
    actions.className = 'ds_summary-list__actions';
    const link = document.createElement('a');
    link.className = 'ds_link';
    link.href = changeUrl;
    const hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = ` ${label}`;
    link.append(text.change || '', hidden);
    actions.append(link);
    item.append(key, valueBox, actions);
    return item;
}

function section(title, rows) {
    const nodes = [];
    if (title) {
        const heading = document.createElement('h2');
        heading.textContent = title;
        nodes.push(heading);
    }
    const list = document.createElement('ol');
    list.className = 'ds_summary-list';
    list.append(...rows);
    nodes.push(list);
    return nodes;
}

/** The draft made ready to send, or the page the person still has to answer. */
export async function prepare(journey, lang) {
    const draft = await loadDraft(journey);
    if (!draft) return { gap: `${copyPrefix()}/services/${encodeURIComponent(journey)}` };
    const definition = await loadDefinition(journey, draft.version, lang);
    const { values, errors } = cleanAnswers(definition, draft.answers);
    const gapPage = visiblePages(definition, draft.answers).find((p) => p.questions.some((q) => hasOwn(errors, q.id)));
    if (gapPage) return { gap: stepUrl(journey, gapPage.id, true) };
    if (!draft.contact) return { gap: stepUrl(journey, CONTACT_PAGE, true) };
    return { draft, definition, cleaned: values, contact: await contactDefinition(definition, lang) };
}

export async function renderCheck(holder, journey, lang) {
    const ready = await prepare(journey, lang);
    if (ready.gap) {
        location.replace(ready.gap);
        return null;
    }
    const text = readText();
    const { draft, definition, cleaned, contact } = ready;
    const display = {
        words: text, dates: pageFormats(),
        filenames: Object.fromEntries(draft.files.map((f) => [f.id, f.filename])),
    };
    const rows = [];
    for (const page of visiblePages(definition, cleaned)) {
        for (const q of page.questions) {
            if (hasOwn(cleaned, q.id) || q.optional) {
                rows.push(row(q.id, q.label, answerLines(q, cleaned[q.id], display),
                    stepUrl(journey, page.id, true), text));
            }
        }
    }
    const contactRows = contact.pages[0].questions
        .filter((q) => draft.contact[q.id] !== null && draft.contact[q.id] !== undefined && draft.contact[q.id] !== '')
        .map((q) => row(`contact-${q.id}`, q.label, answerLines(q, draft.contact[q.id], { ...display, filenames: {} }),
            stepUrl(journey, CONTACT_PAGE, true), text));
    holder.replaceChildren(...section(null, rows), ...section(contact.title, contactRows));
    return ready;
}

async function queue(ready, lang) {
    const { draft, cleaned } = ready;
    if (draft.resend_of && await getItem(draft.resend_of)) {
        return resendFixed(draft.resend_of, cleaned, draft.contact);
    }
    return queueSubmission({
        id: draft.submission_id, journey: draft.journey, form_version: draft.version,
        answers: cleaned, contact: draft.contact, locale: lang,
        files: draft.files.filter((f) => (cleaned[f.question_id] || []).includes(f.id)),
    });
}

export function showReceipt(main, item, text) {
    const content = document.createElement('div');
    content.className = 'ds_layout__content';
    content.innerHTML = '<div class="ds_confirmation-message"><h1 class="ds_confirmation-message__title" tabindex="-1"></h1>'
        + '<div class="ds_confirmation-message__body"><p data-tb-saved-body></p><p><span data-tb-receipt-label></span><br>'
        + '<strong class="tb-reference" data-tb-receipt></strong></p></div></div>'
        + '<p data-tb-receipt-sent></p><p><a href="/outbox" data-tb-outbox-link></a></p>';
    content.querySelector('h1').textContent = text.saved_title;
    content.querySelector('[data-tb-saved-body]').textContent = text.saved_body;
    content.querySelector('[data-tb-receipt-label]').textContent = text.receipt_label;
    content.querySelector('[data-tb-receipt]').textContent = item.receipt;
    content.querySelector('[data-tb-outbox-link]').textContent = text.view_outbox;
    content.dataset.tbReceiptFor = item.id;
    main.replaceChildren(content);
    document.title = `${text.saved_title} – ${document.title.split(' – ').pop()}`;
    content.querySelector('h1').focus();
    return content;
}

/** Fills the receipt's "sent" line once the request has its reference. */
export async function updateReceipt(text) {
    const receipt = document.querySelector('[data-tb-receipt-for]');
    if (!receipt) return;
    const sent = (await listSent()).find((r) => r.id === receipt.dataset.tbReceiptFor);
    const line = receipt.querySelector('[data-tb-receipt-sent]');
    if (!sent || !line) return;
    line.textContent = fill(text.sent, { reference: sent.reference });
    // No longer "saved on this device, will be sent": it has been.
    receipt.querySelector('h1').textContent = text.sent_title;
    receipt.querySelector('[data-tb-saved-body]').textContent = text.sent_body;
    document.title = `${text.sent_title} – ${document.title.split(' – ').pop()}`;
}

// On a kiosk the submission is sealed before it is stored (kiosk/sealed_store.js): the
// plain outbox never holds it, and the receipt is the kiosk's printable page (which
// sends it when online: kiosk/pages.js).
async function queueOnKiosk(ready, lang) {
    const { draft, cleaned } = ready;
    const item = await queueSealed({
        id: draft.submission_id, journey: draft.journey, form_version: draft.version,
        answers: cleaned, contact: draft.contact, locale: lang,
    });
    await deleteDraft(draft.journey);
    location.assign(`/kiosk/receipt?code=${encodeURIComponent(item.receipt_code)}`);
    return { ...item, kiosk: true };
}

export async function sendFromCheck(form, lang) {
    const journey = form.dataset.tbJourney;
    const ready = await prepare(journey, lang);
    if (ready.gap) {
        location.assign(ready.gap);
        return null;
    }
    if (await onKiosk()) return queueOnKiosk(ready, lang);
    const item = await queue(ready, lang);
    await deleteDraft(journey);
    history.replaceState(null, '', `${location.pathname}?receipt=${encodeURIComponent(item.id)}`);
    showReceipt(form.closest('main'), item, readText());
    return item;
}
