// Templated replies on a staff request page (templates/staff/request.html): choosing a
// template puts its words into the message and chooses its status at once. Without
// this script the "Use this template" button asks the server to do the same; with it,
// the button is removed. A message the officer has already typed is never replaced
// without asking them first (the browser's confirm, in the page's language).

export function initReplyTemplates(root) {
    root.querySelectorAll('[data-tb-reply-templates]').forEach((question) => {
        const form = question.closest('form');
        const select = question.querySelector('select');
        const message = form && form.querySelector('textarea[name="message"]');
        const status = form && form.querySelector('select[name="status"]');
        const button = question.querySelector('[data-tb-use-template]');
        if (!select || !message || question.dataset.tbReady) {
            return;
        }
        question.dataset.tbReady = '1';
        if (button) {
            button.remove(); // SGDS buttons set display, which outranks [hidden]
        }
        let filled = message.value;
        select.addEventListener('change', () => {
            const option = select.selectedOptions[0];
            if (!option || !option.value) {
                return;
            }
            const edited = message.value.trim() && message.value !== filled;
            if (edited && !window.confirm(question.dataset.tbReplace || '')) {
                return;
            }
            message.value = option.dataset.tbText || '';
            filled = message.value;
            if (status && option.dataset.tbStatus) {
                status.value = option.dataset.tbStatus;
            }
        });
    });
}
