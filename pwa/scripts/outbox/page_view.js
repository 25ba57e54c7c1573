// Filling a clean (offline) question page from the draft, and the error summary pattern
// of pwa/templates/journeys/error_summary.html and forms/questions.html, built in the DOM.
import { fieldsFromAnswer } from '../forms/answers_display.js';
import { formatMessage } from '../forms/validate.js';

export function readText() {
    const holder = document.getElementById('tb-outbox-status');
    try {
        return JSON.parse((holder && holder.dataset.tbText) || '{}');
    } catch (error) {
        return {};
    }
}

export function fill(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export function fillForm(form, questions, answers) {
    for (const question of questions) {
        const fields = fieldsFromAnswer(question, answers[question.id]);
        for (const [name, value] of Object.entries(fields)) {
            for (const input of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
                if (input.type === 'radio' || input.type === 'checkbox') {
                    input.checked = Array.isArray(value) && value.includes(input.value);
                    if (input.checked) input.dispatchEvent(new Event('change', { bubbles: true }));
                } else if (input.type !== 'file') {
                    input.value = value;
                }
            }
        }
    }
}

function clearErrors(root) {
    const old = document.getElementById('error-summary');
    if (old) old.remove();
    for (const message of root.querySelectorAll('.ds_question__error-message')) message.remove();
    for (const question of root.querySelectorAll('.ds_question--error')) question.classList.remove('ds_question--error');
    for (const input of root.querySelectorAll('.ds_input--error')) input.classList.remove('ds_input--error');
    for (const input of root.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    for (const node of root.querySelectorAll('[data-tb-described]')) {
        node.setAttribute('aria-describedby', node.dataset.tbDescribed);
        if (!node.dataset.tbDescribed) node.removeAttribute('aria-describedby');
        node.removeAttribute('data-tb-described');
    }
}

function describe(node, id) {
    if (!node.hasAttribute('data-tb-described')) node.dataset.tbDescribed = node.getAttribute('aria-describedby') || '';
    const ids = (node.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    if (!ids.includes(id)) ids.push(id);
    node.setAttribute('aria-describedby', ids.join(' '));
}

function markQuestion(questionId, error, text) {
    const field = document.getElementById(error.field);
    const question = field && field.closest('.ds_question');
    if (!question) return;
    question.classList.add('ds_question--error');
    const container = question.querySelector('fieldset') || question;
    const message = document.createElement('p');
    message.className = 'ds_question__error-message';
    message.id = `${questionId}-error`;
    const hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = text.error_prefix || '';
    message.append(hidden, ` ${formatMessage(error.message || '', error.params || {})}`);
    const before = Array.from(container.children).find((child) => !child.matches('label, legend, .ds_hint-text, .ds_question__label'));
    container.insertBefore(message, before || null);
    for (const input of inputsInError(field, error)) {
        input.setAttribute('aria-invalid', 'true');
        if (input.classList.contains('ds_input') || input.classList.contains('ds_file-upload')) input.classList.add('ds_input--error');
    }
    describe(container.tagName === 'FIELDSET' ? container : field, message.id);
}

// forms/questions.html's rule for a date: the part that is not real, the parts left
// blank, or all three when the date itself is wrong (in the future, say).
export function inputsInError(field, error) {
    const group = field.closest('[data-tb-date]');
    if (!group) return [field];
    const parts = Array.from(group.querySelectorAll('input'));
    if (error.key === 'real') return [field];
    if (error.key === 'incomplete') return parts.filter((input) => input === field || !input.value.trim());
    return parts;
}

/** Shows `errors` ({questionId: {field, message, params}}) as the server would. */
export function showErrors(form, errors, text) {
    const root = form.closest('main') || document;
    clearErrors(root);
    const summary = document.createElement('div');
    summary.className = 'ds_error-summary';
    summary.id = 'error-summary';
    summary.setAttribute('aria-labelledby', 'error-summary-title');
    summary.setAttribute('role', 'alert');
    summary.tabIndex = -1;
    const title = document.createElement('h2');
    title.className = 'ds_error-summary__title';
    title.id = 'error-summary-title';
    title.textContent = text.error_title || '';
    const list = document.createElement('ul');
    list.className = 'ds_error-summary__list';
    for (const [questionId, error] of Object.entries(errors)) {
        const link = document.createElement('a');
        link.href = `#${error.field}`;
        link.textContent = formatMessage(error.message || '', error.params || {});
        const item = document.createElement('li');
        item.append(link);
        list.append(item);
        markQuestion(questionId, error, text);
    }
    summary.append(title, list);
    const header = root.querySelector('.ds_layout__header') || form.parentNode;
    const back = header.querySelector('.ds_back-link');
    header.insertBefore(summary, back ? back.nextSibling : header.firstChild);
    const prefix = text.error_prefix || '';
    if (prefix && !document.title.startsWith(prefix)) document.title = `${prefix} ${document.title}`;
    summary.setAttribute('data-tb-focused', '');
    summary.focus();
}
