// The journey without a network (DESIGN.md, data flow step 4): the question page's form
// is checked here with the same interpreter and definition as the server, the answers
// kept as a draft in IndexedDB, and the next page chosen as server/journeys/steps.py does.
import { findPage, maxBytes } from '../forms/definition.js';
import { validatePage } from '../forms/validate.js';
import { contactDefinition, loadDefinition, loadDraft, newDraft, saveDraft } from './drafts.js';
import { CONTACT_PAGE, nextStep, stepUrl } from './flow.js';
import { fillForm, readText, showErrors } from './page_view.js';
import { newId } from './store.js';

// The journey form of this page, if it is one: data-tb-journey etc. on the <form>.
export function journeyForm(root = document) {
    return root.querySelector('form[data-tb-journey][data-tb-page]');
}

function pageContext(form) {
    const lang = document.documentElement.lang || 'en';
    return {
        journey: form.dataset.tbJourney, version: Number(form.dataset.tbFormVersion),
        page: form.dataset.tbPage, lang, change: new URLSearchParams(location.search).get('change') === '1',
    };
}

export async function currentDraft(context) {
    return (await loadDraft(context.journey)) || newDraft(context.journey, context.version);
}

async function definitions(context, draft) {
    const definition = await loadDefinition(context.journey, draft.version, context.lang);
    if (context.page !== CONTACT_PAGE) return { definition, form: definition };
    return { definition, form: await contactDefinition(definition, context.lang) };
}

function posted(form) {
    const fields = {};
    for (const [name, value] of new FormData(form).entries()) {
        if (typeof value !== 'string') continue;
        (fields[name] = fields[name] || []).push(value);
    }
    return fields;
}

function fileList(form, question, draft) {
    const input = form.querySelector(`input[type="file"][name="${CSS.escape(question.id)}"]`);
    let list = form.querySelector(`[data-tb-offline-files="${CSS.escape(question.id)}"]`);
    if (!list && input) {
        list = document.createElement('ul');
        list.className = 'ds_no-bullets tb-file-list';
        list.dataset.tbOfflineFiles = question.id;
        input.parentNode.insertBefore(list, input);
    }
    if (!list) return;
    list.replaceChildren(...draft.files.filter((f) => f.question_id === question.id).map((f) => {
        const item = document.createElement('li');
        item.textContent = f.filename;
        return item;
    }));
}

// Photos chosen offline are kept as Blobs in the draft; the answer is their ids, as the
// server's answer is the ids of its stored files.
function takeFiles(form, page, draft) {
    for (const question of page.questions.filter((q) => q.type === 'file')) {
        const input = form.querySelector(`input[type="file"][name="${CSS.escape(question.id)}"]`);
        for (const file of (input && input.files) || []) {
            draft.files.push({ id: newId(), question_id: question.id, filename: file.name,
                media_type: file.type || 'application/octet-stream', blob: file });
        }
        if (input) input.value = '';
    }
}

// As the server, which never keeps a file over the limit: the person chooses another.
function dropTooLarge(page, draft, errors) {
    const refused = new Set(page.questions.filter((q) => q.type === 'file' && errors[q.id]
        && errors[q.id].key === 'size').map((q) => q.id));
    draft.files = draft.files.filter((f) => !refused.has(f.question_id)
        || f.blob.size <= maxBytes(page.questions.find((q) => q.id === f.question_id)));
}

function withFiles(fields, page, draft) {
    for (const question of page.questions.filter((q) => q.type === 'file')) {
        fields[question.id] = draft.files.filter((f) => f.question_id === question.id).map((f) => f.id);
    }
    return fields;
}

/** Handles a question or contact page's submit without the network. */
export async function submitOffline(form) {
    const context = pageContext(form);
    const draft = await currentDraft(context);
    const { definition, form: formDefinition } = await definitions(context, draft);
    const page = findPage(formDefinition, context.page);
    if (!page) throw new Error(`no page ${context.page}`);
    const text = readText();
    let result;
    if (context.page === CONTACT_PAGE) {
        result = validatePage(formDefinition, page.id, posted(form), {});
    } else {
        takeFiles(form, page, draft);
        const fileSizes = Object.fromEntries(draft.files.map((f) => [f.id, f.blob.size]));
        result = validatePage(definition, page.id, withFiles(posted(form), page, draft), draft.answers,
            { fileSizes });
    }
    if (Object.keys(result.errors).length) {
        if (context.page !== CONTACT_PAGE) {
            dropTooLarge(page, draft, result.errors);
            await saveDraft(draft);
            page.questions.filter((q) => q.type === 'file').forEach((q) => fileList(form, q, draft));
        }
        showErrors(form, result.errors, text);
        return { errors: result.errors };
    }
    if (context.page === CONTACT_PAGE) {
        draft.contact = result.values;
    } else {
        draft.answers = { ...draft.answers, ...result.values };
        const kept = new Set(page.questions.filter((q) => q.type === 'file').flatMap((q) => result.values[q.id] || []));
        draft.files = draft.files.filter((f) => kept.has(f.id) || !page.questions.some((q) => q.id === f.question_id));
    }
    await saveDraft(draft);
    const step = context.page === CONTACT_PAGE ? 'check' : nextStep(definition, page.id, draft, context.change);
    const url = stepUrl(context.journey, step, context.change);
    location.assign(url);
    return { url };
}

/** Tells the person their connection went and their answers did not (once per page). */
export function showCarriedOver(root, text) {
    const content = root.querySelector('.ds_layout__content');
    if (!content || content.querySelector('[data-tb-carried-over]')) return;
    const banner = document.createElement('div');
    banner.className = 'ds_inset-text';
    banner.dataset.tbCarriedOver = '';
    banner.setAttribute('role', 'status');
    const words = document.createElement('p');
    words.className = 'ds_inset-text__text';
    words.textContent = text.carried_over || '';
    banner.append(words);
    content.prepend(banner);
}

/** On an offline copy of a question page: show what the draft already holds. */
export async function restorePage(form) {
    const context = pageContext(form);
    const draft = await loadDraft(context.journey);
    if (!draft) return;
    if (draft.mirrored) showCarriedOver(form.closest('main') || document, readText());
    const { form: formDefinition } = await definitions(context, draft);
    const page = findPage(formDefinition, context.page);
    if (!page) return;
    fillForm(form, page.questions, context.page === CONTACT_PAGE ? (draft.contact || {}) : draft.answers);
    page.questions.filter((q) => q.type === 'file').forEach((q) => fileList(form, q, draft));
}
