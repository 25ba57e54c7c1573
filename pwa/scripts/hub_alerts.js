// /staff/hub (issue 13): htmx asks for the live part every few seconds; when a new help
// request appears, say so in a live region that stays in the page (the swapped part is
// replaced whole, which screen readers do not announce), and, only if the member of
// staff switched it on, play a short chime. The words come from the page (data-*).

let known = null;
let audio = null;

function chimeOn() {
    const box = document.getElementById('tb-hub-chime');
    return Boolean(box && box.checked);
}

function chime() {
    try {
        const Context = window.AudioContext || window.webkitAudioContext;
        if (!Context) return;
        audio = audio || new Context();
        const tone = audio.createOscillator();
        const gain = audio.createGain();
        tone.frequency.value = 660;
        gain.gain.setValueAtTime(0.15, audio.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
        tone.connect(gain).connect(audio.destination);
        tone.start();
        tone.stop(audio.currentTime + 0.6);
    } catch (error) {
        // No sound is no loss: the page shows and announces the request.
    }
}

function helpItems() {
    return [].slice.call(document.querySelectorAll('#tb-hub-live [data-help-id]'));
}

function check() {
    const alert = document.getElementById('tb-hub-alert');
    if (!alert) return;
    const items = helpItems();
    const ids = new Set(items.map((item) => item.getAttribute('data-help-id')));
    if (known !== null) {
        const fresh = items.filter((item) => !known.has(item.getAttribute('data-help-id')));
        if (fresh.length) {
            const names = fresh.map((item) => item.getAttribute('data-help-kiosk')).join(', ');
            alert.textContent = (alert.dataset.newHelp || '').replace('{kiosk}', names);
            if (chimeOn()) chime();
        }
    }
    known = ids;
}

export function initHubAlerts() {
    if (!document.getElementById('tb-hub-alert')) return;
    const box = document.getElementById('tb-hub-chime');
    const wrap = box && box.closest('[hidden]');
    if (wrap) wrap.removeAttribute('hidden');
    check();
    document.addEventListener('htmx:afterSettle', check);
}
