// After enrolment (pwa/templates/kiosk/enrolled.html): keep the device record in the
// kiosk's IndexedDB, so the kiosk knows itself offline, then open its start screen.
import { writeDevice } from './db.js';

export async function keepEnrolment(root) {
    const found = (root || document).querySelector('[data-tb-kiosk-enrolled]');
    if (!found || found.hasAttribute('data-tb-kept')) return;
    found.setAttribute('data-tb-kept', '');
    const { clientId, clientToken, hubId, hubName } = found.dataset;
    try {
        await writeDevice({ client_id: clientId, client_token: clientToken, hub_id: hubId, hub_name: hubName });
    } catch (error) {
        const message = found.querySelector('[data-tb-kiosk-enrol-message]');
        if (message) message.textContent = found.dataset.messageFailed;
        return;
    }
    window.location.replace('/kiosk');
}
