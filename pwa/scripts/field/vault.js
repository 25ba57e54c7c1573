// Encryption at rest for what the field device holds: every case, item, queued payload
// and photo is AES-GCM ciphertext under one key made here with extractable: false, so
// the key itself can be used by this origin's code but never read out of the browser
// (IndexedDB keeps the CryptoKey object, not its bytes).
import { getMeta, setMeta } from './db.js';

let keyPromise = null;

async function makeOrLoadKey() {
    const kept = await getMeta('vault_key');
    if (kept) return kept;
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    await setMeta('vault_key', key);
    return key;
}

export function vaultKey() {
    if (!keyPromise) keyPromise = makeOrLoadKey().catch((error) => { keyPromise = null; throw error; });
    return keyPromise;
}

export async function sealBytes(bytes) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await vaultKey(), bytes);
    return { iv, ct };
}

export async function openBytes(sealed) {
    return crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, await vaultKey(), sealed.ct);
}

export function seal(value) {
    return sealBytes(new TextEncoder().encode(JSON.stringify(value)));
}

export async function unseal(sealed) {
    return JSON.parse(new TextDecoder().decode(await openBytes(sealed)));
}
