// Tolbooth front-end entry point, bundled by build.mjs (esbuild: iife, minified, es2019)
// into static/build/tolbooth.js. Loaded as an external script only: the CSP is
// `script-src 'self'`, so no inline scripts anywhere.
//
// Every page works without this file; it only enhances. It initialises the SGDS
// (Scottish Government Design System 4.2.0) components we use, the way SGDS's own
// src/all/all.ts does, but imports each component's TypeScript source directly so the
// rest of SGDS (and its tracking module) stays out of the bundle. build.mjs fails if
// any tracking code ends up in the bundle.
//
// Not included, on purpose:
// - details: SGDS 4.2 uses the native <details> element; its JS only converts legacy
//   non-<details> markup.
// - file-upload: its JS rewrites the markup with English-only strings; the native
//   <input type="file"> styled by SGDS works in every language.

import CharacterCount from '@scottish-government/design-system/src/components/character-count/character-count';
import Checkboxes from '@scottish-government/design-system/src/components/checkbox/checkboxes';
import HidePage from '@scottish-government/design-system/src/components/hide-this-page/hide-this-page';
import NotificationBanner from '@scottish-government/design-system/src/components/notification-banner/notification-banner';
import SiteNavigation from '@scottish-government/design-system/src/components/site-navigation/site-navigation';
import skipLinks from '@scottish-government/design-system/src/components/skip-links/skip-links';
import { initHubAlerts } from './hub_alerts.js';
import { keepEnrolment } from './kiosk/enrol.js';
import { startHeartbeat } from './kiosk/heartbeat.js';
import { initField } from './field/loader.js';
import { guardSignOut } from './field/sign_out_guard.js';
import { initLocation } from './location.js';
import { initOutbox } from './outbox/loader.js';
import { forgetSentDraft, mirrorDraft } from './outbox/mirror.js';
import { initPasskeys } from './passkeys.js';
import { initPrint } from './print.js';
import { initReplyTemplates } from './reply_templates.js';
import { initTimeout } from './timeout.js';
import { initFinish } from './kiosk/finish.js';
import { initIdle } from './kiosk/idle.js';
import './sw_register.js';
import { keepLanguageLinksCurrent } from './language_switcher.js';

// SGDS CSS shows some things only under .js-enabled (e.g. the hide-this-page
// "press Esc" text). SGDS expects the page to add it; we do it here, not inline.
document.documentElement.classList.add('js-enabled');

/**
 * Elements matching `selector` in `scope`, including `scope` itself (htmx hands us
 * the swapped-in element, which may itself be the component).
 */
function findAll(scope, selector) {
    const found = [].slice.call(scope.querySelectorAll(selector));
    if (scope.matches && scope.matches(selector)) {
        found.unshift(scope);
    }
    return found;
}

/**
 * Character count with translated messages. SGDS builds its messages in English; when
 * the component element carries data-tb-messages (JSON, single-quoted attribute), we
 * replace them, choosing the plural form with Intl.PluralRules for the page language:
 *   data-tb-messages='{"empty": "You can enter up to {count} characters",
 *     "remaining": {"one": "You have {count} character remaining", "other": "..."},
 *     "over": {"one": "You have {count} character too many", "other": "..."}}'
 * Plural keys are CLDR categories (zero, one, two, few, many, other); "other" is the
 * fallback. Without the attribute SGDS's English messages are kept.
 */
class LocalisedCharacterCount extends CharacterCount {
    constructor(field) {
        super(field);
        this.tbField = field;
        this.tbMessages = null;
        try {
            this.tbMessages = field.dataset.tbMessages ? JSON.parse(field.dataset.tbMessages) : null;
        } catch (error) {
            this.tbMessages = null;
        }
        this.tbPlurals = new Intl.PluralRules(document.documentElement.lang || undefined);
    }

    tbFormat(message, count) {
        let text = message;
        if (message && typeof message === 'object') {
            text = message[this.tbPlurals.select(count)] || message.other;
        }
        return String(text || '').replace(/\{count\}/g, String(count));
    }

    init() {
        super.init();
        if (!this.isInitialised) {
            return;
        }
        // The count now says the limit under the box: the sentence above it, for pages
        // without JavaScript, would say it a second time (issue 15).
        const limit = document.getElementById(`${this.inputElement.id}-limit`);
        if (limit) {
            limit.hidden = true;
            const ids = (this.inputElement.getAttribute('aria-describedby') || '').split(/\s+/)
                .filter((id) => id && id !== limit.id);
            this.inputElement.setAttribute('aria-describedby', ids.join(' '));
        }
        if (!this.tbMessages) {
            return;
        }
        this.emptyMessage = this.tbFormat(this.tbMessages.empty, this.maxLength);
        const initial = this.tbField.querySelector('.ds_character-count__initial');
        if (initial) {
            initial.textContent = this.emptyMessage;
        }
        this.updateCountMessage();
    }

    updateCountMessage() {
        super.updateCountMessage();
        if (!this.tbMessages) {
            return;
        }
        const length = this.inputElement.value.length;
        const count = this.maxLength - length;
        let text;
        if (count < 0) {
            text = this.tbFormat(this.tbMessages.over, -count);
        } else if (length === 0) {
            text = this.emptyMessage;
        } else {
            text = this.tbFormat(this.tbMessages.remaining, count);
        }
        // SGDS copies this text to its screen reader live region after a delay.
        this.messageElement.textContent = text;
    }
}

/**
 * Conditional reveal for radios and checkboxes (SGDS 4 dropped its own):
 *   <input ... data-tb-reveal="ID [ID...]"> ... <div class="ds_question__sub" id="ID">
 * A revealed block is shown while any input that names it is checked (a question that
 * several options need, such as the contact page's email address, is shown once).
 * Without JS every block stays visible.
 */
function syncReveals(root) {
    const shown = new Map();
    findAll(root || document, 'input[data-tb-reveal]').forEach((input) => {
        const ids = input.getAttribute('data-tb-reveal').split(/\s+/).filter(Boolean);
        input.setAttribute('aria-controls', ids.join(' '));
        ids.forEach((id) => shown.set(id, Boolean(shown.get(id)) || input.checked));
    });
    shown.forEach((visible, id) => {
        const target = document.getElementById(id);
        if (target) target.classList.toggle('tb-reveal--hidden', !visible);
    });
}

/**
 * Error summary: the element (tabindex="-1") gets focus when it appears, so screen
 * readers announce it; each link moves focus to its field and scrolls so that the
 * field's legend or label is visible, as GOV.UK Frontend does.
 */
function focusErrorSummary(scope) {
    const summary = findAll(scope, '.ds_error-summary')[0];
    if (summary && !summary.hasAttribute('data-tb-focused')) {
        summary.setAttribute('data-tb-focused', '');
        if (!summary.hasAttribute('tabindex')) {
            summary.setAttribute('tabindex', '-1');
        }
        summary.focus();
    }
}

function labelOrLegendFor(field) {
    const fieldset = field.closest('fieldset');
    if (fieldset) {
        const legend = fieldset.querySelector('legend');
        if (legend) {
            // Radios and checkboxes are answered in context: show the question.
            if (field.type === 'checkbox' || field.type === 'radio') {
                return legend;
            }
            // Show the legend too when it fits on screen together with the field
            // (e.g. the day/month/year fields of a date).
            const legendTop = legend.getBoundingClientRect().top;
            const fieldRect = field.getBoundingClientRect();
            if (fieldRect.height && window.innerHeight &&
                fieldRect.top + fieldRect.height - legendTop < window.innerHeight / 2) {
                return legend;
            }
        }
    }
    if (field.id) {
        const label = document.querySelector('label[for="' + field.id.replace(/["\\]/g, '\\$&') + '"]');
        if (label) {
            return label;
        }
    }
    return field.closest('label');
}

function onErrorSummaryClick(event) {
    const link = event.target.closest && event.target.closest('.ds_error-summary a[href^="#"]');
    if (!link) {
        return;
    }
    let id;
    try {
        id = decodeURIComponent(link.getAttribute('href').slice(1));
    } catch (error) {
        return;
    }
    const field = id && document.getElementById(id);
    if (!field) {
        return;
    }
    event.preventDefault();
    const anchor = labelOrLegendFor(field) || field;
    anchor.scrollIntoView();
    if (!field.matches('input, select, textarea, button, a[href], [tabindex]')) {
        field.setAttribute('tabindex', '-1');
    }
    field.focus({ preventScroll: true });
}

let chromeInitialised = false;

/** Initialise everything inside `scope` (the document, or content htmx swapped in). */
export function initAll(scope) {
    const root = scope || document;

    findAll(root, '[data-module="ds-character-count"]:not(.js-instantiated)')
        .forEach((element) => new LocalisedCharacterCount(element).init());

    findAll(root, '[data-module="ds-checkboxes"]:not(.js-instantiated)')
        .forEach((element) => new Checkboxes(element).init());

    // SGDS marks the button, not the container, and listens for Esc on the whole
    // document: initialise each hide-this-page once.
    findAll(root, '.ds_hide-page').forEach((element) => {
        const button = element.querySelector('.js-hide-page');
        if (button && !button.classList.contains('js-instantiated')) {
            new HidePage(element).init();
        }
    });

    findAll(root, '[data-module="ds-mobile-navigation-menu"]:not(.js-instantiated)')
        .forEach((element) => new SiteNavigation(element).init());

    findAll(root, '[data-module="ds-notification"]:not(.js-instantiated)')
        .forEach((element) => new NotificationBanner(element).init());

    if (!chromeInitialised) {
        // Skip links always work on the whole document: once per page.
        skipLinks.init();
        document.addEventListener('click', onErrorSummaryClick);
        document.addEventListener('change', (event) => {
            const target = event.target;
            if (target && target.matches && target.matches('input[type="radio"], input[type="checkbox"]')) {
                syncReveals(target.form || document);
            }
        });
        // Back/forward cache restores checked states without change events.
        window.addEventListener('pageshow', () => syncReveals(document));
        chromeInitialised = true;
    }

    initLocation(root);
    if (navigator.onLine) {
        mirrorDraft(root);
    }
    forgetSentDraft(root);
    initPasskeys(root);
    initPrint(root);
    initReplyTemplates(root);
    initTimeout();
    initFinish();
    initIdle();
    syncReveals(root);
    focusErrorSummary(root);
}

/**
 * After htmx swaps a new page into <main>, move focus to where a person would start
 * reading (the error summary is focused by initAll), so screen readers announce the
 * change and keyboard users carry on from the top of the new content.
 */
function focusNewContent(event) {
    const target = event.detail && event.detail.target;
    if (!target || target.id !== 'main-content' || target.querySelector('.ds_error-summary')) {
        return;
    }
    const heading = target.querySelector('h1');
    if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: true });
    }
}

function start() {
    initAll(document);
    keepEnrolment(document);
    startHeartbeat();
    initHubAlerts();
    initOutbox();
    initField();
    guardSignOut();
    document.addEventListener('htmx:afterSettle', focusNewContent);
    keepLanguageLinksCurrent();
    // htmx fires htmx:load for every piece of content it swaps in.
    document.addEventListener('htmx:load', (event) => {
        if (event.target && event.target !== document.body) {
            initAll(event.target);
        }
    });
}

if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
} else {
    start();
}
