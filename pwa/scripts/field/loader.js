// Always-loaded part of the field app (in tolbooth.js): on the field page only, loads
// static/build/field.js with a plain <script> (CSP-safe), so no other page pays for it.
export function initField() {
    const root = document.querySelector('[data-tb-field]');
    if (!root || !root.dataset.tbFieldScript) return;
    const script = document.createElement('script');
    script.src = root.dataset.tbFieldScript;
    document.head.appendChild(script);
}
