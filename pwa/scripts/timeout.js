// Staff idle timeout, WCAG 2.2.1: the server signs staff out after a period without a
// request; this warns them in a dialog data-warn-seconds before, with the time left,
// and "Stay signed in" tells the server they are still here (as often as they like).
// Markup: templates/auth/timeout_warning.html. Page loads reset the server's clock,
// so the timer starts again with each page.

function minutesText(dialog, seconds) {
    if (seconds < 60) {
        return dialog.dataset.messageSeconds;
    }
    return dialog.dataset.messageMinutes.replace('{minutes}', String(Math.ceil(seconds / 60)));
}

export function initTimeout() {
    const dialog = document.getElementById('tb-timeout');
    if (!dialog || dialog.hasAttribute('data-tb-ready') || typeof dialog.showModal !== 'function') {
        return;
    }
    dialog.setAttribute('data-tb-ready', '');
    const status = document.getElementById('tb-timeout-status');
    const text = dialog.querySelector('.tb-timeout__text');
    const idle = Number(dialog.dataset.idleSeconds) * 1000;
    const warn = Number(dialog.dataset.warnSeconds) * 1000;
    let deadline = Date.now() + idle;
    let ticker = null;
    const form = dialog.querySelector('form');

    // The server may not have timed the session out yet (it counts from the last
    // request it saw): sign out for real, so what the person was told is true.
    function signOut() {
        form.querySelector('[name="reason"]').value = 'timed-out';
        form.submit();
    }

    function tick() {
        const left = deadline - Date.now();
        if (left <= 0) {
            window.clearInterval(ticker);
            ticker = null;
            text.textContent = dialog.dataset.messageEnded;
            signOut();
            return;
        }
        if (left <= warn) {
            const message = minutesText(dialog, Math.round(left / 1000));
            if (!dialog.open) {
                text.textContent = message;
                dialog.showModal(); // focus moves into the dialog, which is announced
            } else if (text.textContent !== message) {
                text.textContent = message;
            }
        }
    }

    dialog.querySelector('[data-tb-stay]').addEventListener('click', async () => {
        const response = await fetch('/auth/session/keepalive', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { Accept: 'application/json', 'X-CSRF-Token': dialog.dataset.csrf },
        }).catch(() => null);
        if (response && response.ok) {
            const data = await response.json();
            deadline = Date.now() + Number(data.idle_seconds) * 1000;
            dialog.close();
            if (status) {
                status.textContent = dialog.dataset.messageExtended;
            }
        } else {
            signOut();
        }
    });
    ticker = window.setInterval(tick, 1000);
}
