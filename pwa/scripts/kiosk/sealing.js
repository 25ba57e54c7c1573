// Sealing a kiosk submission to the server's public key before it touches IndexedDB
// (issue 13): ECDH P-256 with a one-off key, HKDF-SHA256 to an AES-256-GCM key, a random
// 96-bit IV, and additional data binding the key id, the kiosk's client id and the item
// id. server/kiosk/sealing.py opens it; sync/PROTOCOL.md "Sealed kiosk submissions".
// Pure WebCrypto: runs in the page, the service worker and node (tests/kiosk_sealing.mjs).
import { canonicalJson } from '../outbox/canonical.js';

const INFO = 'tolbooth kiosk seal v1';

export function toBase64Url(bytes) {
    let text = '';
    new Uint8Array(bytes).forEach((b) => { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function additionalData(kid, clientId, itemId) {
    return new TextEncoder().encode(canonicalJson({ client_id: clientId, id: itemId, kid }));
}

/**
 * `serverKey`: {kid, jwk} as /kiosk/seal-key.json gives it. Resolves with the sealed
 * payload {kid, epk, iv, ciphertext} (base64url, no padding).
 */
export async function seal(serverKey, clientId, itemId, payload) {
    const subtle = crypto.subtle;
    const curve = { name: 'ECDH', namedCurve: 'P-256' };
    const theirs = await subtle.importKey('jwk', { ...serverKey.jwk, ext: true }, curve, false, []);
    const mine = await subtle.generateKey(curve, true, ['deriveBits']);
    const epk = new Uint8Array(await subtle.exportKey('raw', mine.publicKey));
    const shared = await subtle.deriveBits({ name: 'ECDH', public: theirs }, mine.privateKey, 256);
    const hkdf = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
    const key = await subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: epk, info: new TextEncoder().encode(INFO) },
        hkdf, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(canonicalJson(payload));
    const sealed = await subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: additionalData(serverKey.kid, clientId, itemId) },
        key, plain);
    return { kid: serverKey.kid, epk: toBase64Url(epk), iv: toBase64Url(iv), ciphertext: toBase64Url(sealed) };
}
