// Registers the service worker (/sw.js, scope "/") once the page has loaded, so it never
// competes with the page's own requests on a first visit, then tells it the page's
// language: the worker keeps every service's form pages in that language, and a new
// language makes it fetch them again (pwa/sw/forms_precache.js).
import { initUpdateBanner } from './update_banner.js';

const PRECACHE_MESSAGE = 'tolbooth-precache-pages';

function askForPages() {
    navigator.serviceWorker.ready.then((registration) => {
        if (registration.active) {
            registration.active.postMessage({
                type: PRECACHE_MESSAGE, lang: document.documentElement.lang || 'en',
            });
        }
    });
}

function register() {
    navigator.serviceWorker.register('/sw.js', { scope: '/' })
        .then((registration) => initUpdateBanner(registration))
        .catch((error) => console.warn('service worker not registered:', error));
    askForPages();
}

// Imported for this side effect by main.js (`import './sw_register.js'`).
function registerServiceWorker() {
    if (!('serviceWorker' in navigator)) {
        return;
    }
    if (document.readyState === 'complete') {
        register();
    } else {
        window.addEventListener('load', register);
    }
}

registerServiceWorker();
