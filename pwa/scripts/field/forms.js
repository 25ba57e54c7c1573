// The visit form drawn from its definition, and error summaries for the field forms
// (the design system's pattern: a summary that takes focus, linked to each field, and
// the message by the field itself).
const FIELD_IDS = { text: 'field-note-text', photos: null };

function fieldId(form, name) {
    const input = form.elements[name];
    const node = input && (input.id ? input : input[0]);
    return node ? node.id : null;
}

export function visitQuestions(definition, el) {
    return definition.questions.map((q) => {
        const id = `field-visit-${q.id}`;
        const hint = q.hint ? el('p', { class: 'ds_hint-text', id: `${id}-hint`, text: q.hint }) : null;
        const described = q.hint ? `${id}-hint` : null;
        if (q.type === 'choice') {
            return el('fieldset', { class: 'ds_question', 'data-tb-field-question': q.id },
                el('legend', { class: 'ds_label', text: q.label }), hint,
                el('div', { class: 'ds_radios' }, q.options.map((option, i) => el('div', { class: 'ds_radio ds_radio--small' },
                    el('input', { class: 'ds_radio__input', type: 'radio', name: q.id, value: option.value, id: i ? `${id}-${option.value}` : id }),
                    el('label', { class: 'ds_radio__label', for: i ? `${id}-${option.value}` : id, text: option.label })))));
        }
        const control = q.type === 'textarea'
            ? el('textarea', { class: 'ds_input', id, name: q.id, rows: 4, maxlength: 4000, dir: 'auto', 'aria-describedby': described })
            : el('input', { class: 'ds_input ds_input--fixed-20', id, name: q.id,
                type: q.type === 'datetime' ? 'datetime-local' : 'text', dir: q.type === 'datetime' ? null : 'auto',
                'aria-describedby': described });
        return el('div', { class: 'ds_question', 'data-tb-field-question': q.id },
            el('label', { class: 'ds_label', for: id, text: q.label }), hint, control);
    });
}

export function clearErrors(form) {
    form.querySelectorAll('[data-tb-field-error]').forEach((node) => node.remove());
    form.querySelectorAll('.ds_question--error').forEach((node) => node.classList.remove('ds_question--error'));
    form.querySelectorAll('[aria-invalid]').forEach((node) => node.removeAttribute('aria-invalid'));
}

export function showErrors(form, errors, words) {
    clearErrors(form);
    const el = (tag, attrs, text) => {
        const node = document.createElement(tag);
        Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
        if (text) node.textContent = text;
        return node;
    };
    const summary = el('div', { class: 'ds_error-summary', role: 'alert', tabindex: '-1', 'data-tb-field-error': '' });
    summary.append(el('h2', { class: 'ds_error-summary__title' }, words.error_title));
    const list = el('ul', { class: 'ds_error-summary__list' });
    for (const error of errors) {
        const id = FIELD_IDS[error.field] || fieldId(form, error.field);
        const item = el('li', {});
        item.append(id ? el('a', { href: `#${id}` }, error.message) : document.createTextNode(error.message));
        list.append(item);
        const input = id && form.querySelector(`#${CSS.escape(id)}`);
        const question = input && input.closest('.ds_question');
        if (question) {
            question.classList.add('ds_question--error');
            const message = el('p', { class: 'ds_question__error-message', 'data-tb-field-error': '' }, error.message);
            const label = question.querySelector('.ds_label');
            label.after(message);
            input.setAttribute('aria-invalid', 'true');
        }
    }
    summary.append(list);
    form.prepend(summary);
    summary.focus();
}
