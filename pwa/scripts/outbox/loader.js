// Always-loaded part of the outbox (in tolbooth.js): decides when the outbox code
// (static/build/outbox.js) is needed and loads it with a plain <script> (CSP-safe), and
// holds a journey form's submit while offline so the offline journey can take it.
const FLAG = 'tolbooth-outbox';
let loading = null;

function offlineCopy() {
    return !!document.querySelector('[data-tb-offline-copy]');
}

export function loadOutbox() {
    const holder = document.getElementById('tb-outbox-status');
    if (!holder || !holder.dataset.tbOutboxScript) return Promise.reject(new Error('no outbox script'));
    if (!loading) {
        loading = new Promise((resolve, reject) => {
            const script = document.createElement('script');
            script.src = holder.dataset.tbOutboxScript;
            script.onload = () => resolve(window.TolboothOutbox);
            script.onerror = () => { loading = null; reject(new Error('outbox script did not load')); };
            document.head.appendChild(script);
        }).then((outbox) => outbox.start().then(() => outbox));
    }
    return loading;
}

function queued() {
    try {
        return localStorage.getItem(FLAG) === '1';
    } catch (error) {
        return false;
    }
}

export function initOutbox() {
    if (!document.getElementById('tb-outbox-status')) return;
    if (offlineCopy() || !navigator.onLine || queued() || document.querySelector('[data-tb-outbox-page]')) {
        loadOutbox().catch(() => {});
    }
    window.addEventListener('offline', () => loadOutbox().catch(() => {}));
    document.addEventListener('submit', (event) => {
        const form = event.target;
        if (!form.matches || !form.matches('form[data-tb-journey][data-tb-page]')) return;
        if (navigator.onLine && !offlineCopy()) return;
        // Before htmx (which listens on the form) sees it: offline, this page handles it.
        event.preventDefault();
        event.stopPropagation();
        loadOutbox().then((outbox) => outbox.handleSubmit(form, event.submitter));
    }, true);
}
