// The "new version is ready" banner. A new service worker installs and then waits
// (pwa/sw/update.js); this offers it to the person and never forces it: nothing reloads
// until they press the button. It is not offered while a form on the page has input they
// have not sent yet (the next page they reach offers it instead).
//
// base.html holds the banner's translated words in a <template> inside an empty
// role="status" region (#tb-update-banner): filling the region is what screen readers
// announce.
const SKIP_WAITING = 'SKIP_WAITING';

let unsavedInput = false;
let chosen = false;

function trackUnsavedInput() {
    const mark = (event) => {
        const form = event.target && event.target.form;
        if (form && (form.method || '').toLowerCase() === 'post') {
            unsavedInput = true;
        }
    };
    // A page shown with an error summary holds answers the server did not keep.
    const refused = () => Boolean(document.querySelector('#main-content .ds_error-summary'));
    unsavedInput = refused();
    document.addEventListener('input', mark);
    document.addEventListener('change', mark);
    document.addEventListener('submit', () => { unsavedInput = false; });
    // htmx swapped in the next page (nothing unsent), or the same one with errors.
    document.addEventListener('htmx:afterSettle', () => { unsavedInput = refused(); });
}

export function hasUnsavedInput() {
    return unsavedInput;
}

function show(region, registration) {
    const template = document.getElementById('tb-update-banner-content');
    if (!template || region.childElementCount) {
        return;
    }
    region.appendChild(template.content.cloneNode(true));
    const button = region.querySelector('[data-tb-update-button]');
    button.addEventListener('click', () => {
        const waiting = registration.waiting;
        if (!waiting) {
            window.location.reload(); // someone already switched in another tab
            return;
        }
        chosen = true;
        button.disabled = true;
        waiting.postMessage({ type: SKIP_WAITING });
    });
}

export function initUpdateBanner(registration) {
    const region = document.getElementById('tb-update-banner');
    if (!region) {
        return;
    }
    trackUnsavedInput();
    navigator.serviceWorker.addEventListener('controllerchange', () => {
        // Also fires when the very first worker claims the page: reload only when asked.
        if (chosen) {
            chosen = false;
            window.location.reload();
        }
    });
    const offer = () => {
        // Only an update: with no controller, the new worker is the first one, not news.
        if (!registration.waiting || !navigator.serviceWorker.controller) {
            return;
        }
        if (hasUnsavedInput()) {
            return;
        }
        show(region, registration);
    };
    offer();
    registration.addEventListener('updatefound', () => {
        const worker = registration.installing;
        if (worker) {
            worker.addEventListener('statechange', () => {
                if (worker.state === 'installed') {
                    offer();
                }
            });
        }
    });
    document.addEventListener('htmx:afterSettle', offer);
}
