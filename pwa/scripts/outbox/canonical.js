// Canonical JSON and SHA-256 for payload hashes, byte for byte what Python's
// json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False) gives
// (sync/examples/*.json hold the two to the same hashes: tests/outbox_canonical.mjs).
// Keys sort by UTF-16 code unit; question ids and payload keys are ASCII, where that is
// the same order as Python's code point sort.

export function canonicalJson(value) {
    if (value === null || typeof value !== 'object') {
        if (typeof value === 'number' && !Number.isFinite(value)) {
            throw new TypeError('canonical JSON has no NaN or Infinity');
        }
        return JSON.stringify(value);
    }
    if (Array.isArray(value)) {
        return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
    }
    const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}

export function toHex(buffer) {
    return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(data) {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    return toHex(await crypto.subtle.digest('SHA-256', bytes));
}

export function payloadSha256(payload) {
    return sha256Hex(canonicalJson(payload));
}
