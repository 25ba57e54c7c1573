// The kiosk's idle time-out, WCAG 2.2.1 (issue 13). After the hub's idle seconds without
// input, a modal dialog (templates/kiosk/idle_warning.html) takes focus and says how long
// is left; the live region says it again every WARN_ANNOUNCE_S so a screen reader hears
// the countdown without every second. "I need more time", or Escape (never a silent
// finish), gives the whole time again, as often as needed (each time counted in
// data-tb-extended). When the time runs out: the same Finish as the button.
import { finishVisit } from './finish.js';

const ACTIVITY = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'];
const WARN_ANNOUNCE_S = 20;

function fill(template, seconds) {
    return template.replace('{seconds}', String(seconds));
}

export function initIdle() {
    const dialog = document.getElementById('tb-kiosk-idle');
    if (!dialog || dialog.hasAttribute('data-tb-ready') || typeof dialog.showModal !== 'function') return;
    dialog.setAttribute('data-tb-ready', '');
    dialog.setAttribute('data-tb-extended', '0');
    const idle = Number(dialog.dataset.idleSeconds) * 1000;
    const warn = Number(dialog.dataset.warnSeconds) * 1000;
    const left = document.getElementById('tb-kiosk-idle-left');
    const status = document.getElementById('tb-kiosk-idle-status');
    let warnAt = Date.now() + idle;
    let announced = null;
    // The preview (/kiosk/time-out) shows the warning and never finishes anything.
    const preview = dialog.hasAttribute('data-tb-open-now');

    function open(now) {
        const seconds = Math.ceil((warnAt + warn - now) / 1000);
        left.textContent = fill(dialog.dataset.messageLeft, seconds);
        if (!dialog.open) {
            dialog.showModal(); // focus moves to "I need more time"; the dialog is announced
            announced = seconds;
            status.textContent = fill(dialog.dataset.messageWarning, seconds);
        } else if (announced - seconds >= WARN_ANNOUNCE_S || (seconds <= 10 && announced > 10)) {
            announced = seconds;
            status.textContent = fill(dialog.dataset.messageWarning, seconds);
        }
    }

    function moreTime() {
        warnAt = Date.now() + idle;
        dialog.setAttribute('data-tb-extended', String(Number(dialog.dataset.tbExtended) + 1));
        if (dialog.open) dialog.close();
        status.textContent = dialog.dataset.messageExtended;
    }

    const ticker = window.setInterval(() => {
        const now = Date.now();
        if (now >= warnAt + warn && preview) {
            warnAt = now;
        } else if (now >= warnAt + warn) {
            window.clearInterval(ticker);
            finishVisit();
        } else if (now >= warnAt) {
            open(now);
        }
    }, 250);

    ACTIVITY.forEach((type) => document.addEventListener(type, (event) => {
        // Input on the page (not in the warning: there only its buttons decide).
        if (!dialog.open && !dialog.contains(event.target)) warnAt = Date.now() + idle;
    }, { capture: true, passive: true }));
    dialog.addEventListener('cancel', (event) => {
        event.preventDefault(); // Escape: more time, never a silent finish
        moreTime();
    });
    dialog.querySelector('[data-tb-more-time]').addEventListener('click', moreTime);
    dialog.querySelector('[data-tb-finish-now]').addEventListener('click', () => finishVisit());
    if (preview) {
        warnAt = Date.now();
        open(warnAt);
    }
}
