// Always-loaded (tolbooth.js): "Sign out" on any page other than the field page, on a
// device set up for field work by the person signing out. Signing out deletes the
// device's cases and is refused while work waits to send (issue 14), which only the field
// page can check (its store is sealed, its code loaded there only), so the press takes
// the person there, to its "Sign out" section, which explains and checks. The field page
// marks the device (markFieldDevice); a stale mark only costs a visit to that section.
const MARK = 'tolbooth-field-device';
export const SIGN_OUT_HASH = '#sign-out';

export function markFieldDevice(personId) {
    try {
        if (personId) localStorage.setItem(MARK, personId);
        else localStorage.removeItem(MARK);
    } catch (error) { /* storage refused: the field page still checks its own sign-out */ }
}

function markedFor() {
    try { return localStorage.getItem(MARK); } catch (error) { return null; }
}

export function guardSignOut() {
    if (document.querySelector('[data-tb-field]')) return; // the field page checks itself
    document.addEventListener('submit', (event) => {
        const form = event.target;
        if (!(form instanceof HTMLFormElement) || form.getAttribute('action') !== '/sign-out') return;
        const person = form.dataset.tbPerson;
        if (!person || markedFor() !== person) return;
        event.preventDefault();
        location.assign(`/field${SIGN_OUT_HASH}`);
    });
}
