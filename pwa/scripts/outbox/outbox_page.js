// The /outbox page: what is waiting, what needs attention (with the server's reason and a
// way to fix it in the journey pages) and what was sent, read from IndexedDB.
import { loadDefinition, saveDraft } from './drafts.js';
import { stepUrl } from './flow.js';
import { formatDateTime, pageFormats } from '../time/dates.js';
import { readText } from './page_view.js';
import { listOutbox, listSent } from './store.js';
import { onOutboxChange } from './status.js';

function pageText(root) {
    try {
        return JSON.parse(root.dataset.tbOutboxText || '{}');
    } catch (error) {
        return {};
    }
}

async function journeyTitle(slug, version, lang) {
    try {
        return (await loadDefinition(slug, version, lang)).title;
    } catch (error) {
        return slug;
    }
}

function element(tag, className, textContent) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (textContent !== undefined) node.textContent = textContent;
    return node;
}

function described(title, pairs) {
    const item = element('li', 'tb-outbox-item');
    item.append(element('h3', 'tb-outbox-item__title', title));
    const list = element('dl', 'tb-outbox-item__details');
    for (const [term, value] of pairs) {
        list.append(element('dt', null, term), element('dd', null, value));
    }
    item.append(list);
    return item;
}

// Reopens the answers of a "needs attention" item in the journey pages: it becomes the
// draft again, marked as a fix of that item, so "Send" resends it with the same id.
async function fixItem(item) {
    const files = (item.attachments || []).map((a) => ({ id: a.id, question_id: a.question_id,
        filename: a.filename, media_type: a.media_type, blob: a.blob }));
    await saveDraft({ journey: item.payload.journey, version: item.form_version, submission_id: item.id,
        answers: item.payload.answers, contact: item.payload.contact, files, resend_of: item.id });
    location.assign(stepUrl(item.payload.journey, 'check', false, `/app/copies/${document.documentElement.lang || 'en'}`));
}

async function render(root, lang) {
    const text = pageText(root);
    const shared = readText();
    const items = await listOutbox();
    const sent = await listSent();
    const waiting = root.querySelector('[data-tb-outbox-list="waiting"]');
    const attention = root.querySelector('[data-tb-outbox-list="attention"]');
    const done = root.querySelector('[data-tb-outbox-list="sent"]');
    const titles = {};
    for (const item of items.concat(sent)) {
        const slug = item.payload ? item.payload.journey : item.journey;
        titles[slug] = titles[slug] || await journeyTitle(slug, item.form_version || 1, lang);
    }
    waiting.replaceChildren(...items.filter((i) => i.state !== 'attention').map((i) => described(
        titles[i.payload.journey], [[text.receipt, i.receipt], [text.saved_at, formatDateTime(i.queued_at, pageFormats())]])));
    attention.replaceChildren(...items.filter((i) => i.state === 'attention').map((i) => {
        const node = described(titles[i.payload.journey], [[text.receipt, i.receipt]]);
        const reasons = element('ul', 'ds_error-summary__list tb-outbox-item__reasons');
        const errors = i.errors && i.errors.length ? i.errors : [{ message: text[`reason_${i.reason}`] || text.reason_other }];
        reasons.append(...errors.map((e) => element('li', null, e.message)));
        const fix = element('button', 'ds_button ds_button--secondary ds_button--small', text.fix);
        fix.type = 'button';
        fix.addEventListener('click', () => fixItem(i));
        node.append(reasons, fix);
        return node;
    }));
    done.replaceChildren(...sent.map((r) => {
        const node = described(titles[r.journey], [[text.reference, r.reference], [text.receipt, r.receipt]]);
        const link = element('a', null, text.track);
        link.href = '/track';
        const line = element('p');
        line.append(link);
        node.append(line);
        return node;
    }));
    for (const [name, list] of [['waiting', waiting], ['attention', attention], ['sent', done]]) {
        root.querySelector(`[data-tb-outbox-empty="${name}"]`).hidden = list.children.length > 0;
    }
    root.querySelector('[data-tb-outbox-nojs]').hidden = true;
    root.querySelector('[data-tb-outbox-lists]').hidden = false;
    return shared;
}

export function initOutboxPage(root, lang) {
    onOutboxChange(() => render(root, lang));
    return render(root, lang);
}
