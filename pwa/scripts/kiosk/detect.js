// Is this browser a kiosk? The server says so on its own pages (<body data-kiosk>); an
// offline copy of a page is the same for everyone, so there the device record decides
// (db.js isKiosk). The kiosk database is looked for first, so a person's own phone never
// gets an empty one made by asking.
import { isKiosk, KIOSK_DB_NAME } from './db.js';

let answer = null;

async function kioskDatabaseExists() {
    if (!indexedDB.databases) return true; // cannot tell without opening it
    return (await indexedDB.databases()).some((d) => d.name === KIOSK_DB_NAME);
}

export function onKiosk() {
    if (!answer) {
        answer = (async () => {
            if (typeof document !== 'undefined' && document.body && document.body.dataset.kiosk === 'true') return true;
            if (typeof indexedDB === 'undefined' || !(await kioskDatabaseExists())) return false;
            return isKiosk();
        })().catch(() => false);
    }
    return answer;
}
