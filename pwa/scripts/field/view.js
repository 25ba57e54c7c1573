// Drawing the field page from what the device holds: the case list, a case with its
// timeline and conflicts, the outbox. Text goes in with textContent only (case data is
// never parsed as HTML); every word comes from the page (data-tb-field-words).
import { caseConflicts } from './merge_view.js';
import { areaOf, sortCases } from './work.js';
import { formatDate, formatDateTime, pageFormats } from '../time/dates.js';

export function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

export function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
        if (name === 'text') node.textContent = value;
        else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : value);
    }
    children.flat().filter(Boolean).forEach((child) => node.append(child));
    return node;
}

// Dates as the server writes them (pwa/scripts/time/dates.js: the page's Babel patterns,
// the council's clock), never the browser's own Intl formats.
export function when(value) {
    if (!value) return '';
    const formats = pageFormats();
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formats ? formatDate(value, formats) : String(value);
    if (Number.isNaN(new Date(value).getTime()) || !formats) return String(value);
    return formatDateTime(value, formats);
}

export function renderCaseList(list, cases, order, { words, lang, labels }) {
    list.replaceChildren(...sortCases(cases, order).map((c) => {
        const d = c.data;
        return el('li', { class: 'tb-field__case' },
            el('a', { href: `#case=${encodeURIComponent(c.id)}`, class: 'tb-field__case-link' },
                el('span', { class: 'tb-field__ref', text: d.reference || c.id }),
                el('span', { text: ` ${d.address || ''}` })),
            el('p', { class: 'tb-field__meta', text: [
                `${words.next_visit}: ${d.next_visit_on ? when(d.next_visit_on, lang) : words.no_visit}`,
                `${words.area}: ${areaOf(d.address)}`,
                `${words.risk}: ${labels[d.risk_level] || d.risk_level || ''}`,
            ].join(' · ') }),
            c.conflicts ? el('p', { class: 'tb-field__conflict-count', text: fill(words.open_conflicts, { count: c.conflicts }) }) : null);
    }));
}

function shownValue(name, value, { words, labels, lang }) {
    if (value === null || value === undefined || value === '') return words.empty;
    if (value === true) return words.yes;
    if (value === false) return words.no;
    if (name === 'next_visit_on') return when(value, lang);
    if (name === 'risk_level') return labels[value] || value;
    if (name === 'status') return (labels.statuses || {})[value] || value;
    if (name === 'service') return (labels.services || {})[value] || value;
    return String(value);
}

const FACTS = ['address', 'summary', 'service', 'status', 'risk_level', 'next_visit_on',
    'access_notes', 'hazards', 'contact_phone', 'follow_up_needed'];

/** `pending`: the worker's changes not yet sent, shown as the value with a tag. */
export function renderFacts(dl, data, context, pending = {}) {
    dl.replaceChildren(...FACTS.flatMap((name) => [
        el('dt', { text: context.labels[name] || name }),
        name in pending
            ? el('dd', {}, el('span', { dir: 'auto', text: shownValue(name, pending[name], context) }), ' ',
                el('strong', { class: 'ds_tag ds_tag--grey', 'data-tb-field-pending': name, text: context.words.pending }))
            : el('dd', { dir: 'auto', text: shownValue(name, data[name], context) }),
    ]));
}

export function renderConflicts(holder, rows, caseId, { clientId, labels, words }) {
    const views = caseConflicts(rows, caseId, { clientId, labels, words });
    holder.replaceChildren(...views.map((v) => el('div', { class: 'ds_inset-text tb-field__conflict', 'data-tb-field-conflict': v.field },
        el('h3', { text: v.label }),
        el('p', { text: v.message }),
        el('dl', {}, v.rows.flatMap((row) => [el('dt', { text: row.label }), el('dd', { dir: 'auto', text: row.value })])))));
}

function itemText(row, words) {
    const d = row.data;
    if (row.kind === 'event') return d.text;
    if (row.kind === 'note') return d.text;
    if (row.kind === 'visit') return d.summary;
    return '';
}

/** The case's timeline, newest first: events, notes, visits, with photos' thumbnails
 *  under the note or visit they belong to. */
export function renderTimeline(list, rows, caseId, { words, lang }) {
    const mine = rows.filter((r) => r.case_id === caseId);
    const photos = mine.filter((r) => r.kind === 'photo');
    const entries = mine.filter((r) => ['event', 'note', 'visit'].includes(r.kind))
        .sort((a, b) => String(b.data.at || b.data.started_at || '').localeCompare(String(a.data.at || a.data.started_at || '')));
    if (!entries.length) {
        list.replaceChildren(el('li', { text: words.timeline_empty }));
        return;
    }
    list.replaceChildren(...entries.map((row) => {
        const kind = row.kind === 'event' ? '' : words[row.kind];
        const thumbs = photos.filter((p) => p.data.parent && p.data.parent.id === row.id);
        const by = row.data.by ? fill(words.by, { name: row.data.by }) : '';
        return el('li', { class: 'tb-field__entry', 'data-tb-field-entry': row.kind },
            el('p', { class: 'tb-field__meta', text: [when(row.data.at || row.data.started_at, lang), kind, by].filter(Boolean).join(' · ') }),
            el('p', { class: 'tb-field__text', dir: 'auto', text: itemText(row, words) }),
            row.data.late ? el('p', { class: 'tb-field__late', text: words.late }) : null,
            thumbs.length ? el('ul', { class: 'ds_no-bullets tb-field__thumbs' }, thumbs.map((p) => el('li', {},
                el('img', { src: `data:${p.data.media_type || 'image/jpeg'};base64,${p.data.thumbnail}`, alt: words.photo,
                    width: p.data.width || null, height: p.data.height || null })))) : null);
    }));
}

export function renderOutbox(waitingList, quarantinedList, items, { words }) {
    const line = (item) => `${words[item.entity === 'case' ? 'update' : item.entity] || item.entity}: ${item.label || ''}`;
    const waiting = items.filter((i) => i.state !== 'quarantined');
    const held = items.filter((i) => i.state === 'quarantined');
    waitingList.replaceChildren(...(waiting.length ? waiting.map((i) => el('li', { 'data-tb-field-item': i.id, text: line(i) }))
        : [el('li', { text: words.nothing_waiting })]));
    quarantinedList.replaceChildren(...(held.length ? held.map((i) => {
        const reason = words[`reason_${i.reason}`] || words.reason_rejected;
        const details = (i.errors || []).map((e) => e.message).filter(Boolean).join(' ');
        return el('li', { class: 'tb-field__held', 'data-tb-field-item': i.id },
            el('p', { text: line(i) }),
            el('p', { text: fill(words.reason, { reason: [reason, details].filter(Boolean).join(' ') }) }),
            el('button', { type: 'button', class: 'ds_button ds_button--secondary ds_button--small', 'data-tb-field-requeue': i.id,
                'aria-label': `${words.requeue}: ${line(i)}`, text: words.requeue }));
    }) : [el('li', { text: words.nothing_quarantined })]));
}
