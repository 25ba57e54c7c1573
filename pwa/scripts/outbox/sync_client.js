// HTTP calls of sync protocol v1 (sync/PROTOCOL.md): register a client, push a batch.
// Every answer comes back as {status, body, retryAfter}; status 0 is a network failure.
// Sync calls carry the client token, never the session cookie (credentials: "omit").
export const PROTOCOL = 1;

function retryAfterSeconds(response) {
    const header = response.headers.get('Retry-After');
    if (!header) return null;
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds);
    const date = Date.parse(header);
    return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : null;
}

async function call(url, options) {
    let response;
    try {
        response = await fetch(url, { ...options, credentials: 'omit', cache: 'no-store' });
    } catch (error) {
        return { status: 0, body: null, retryAfter: null };
    }
    let body = null;
    try {
        body = await response.json();
    } catch (error) {
        body = null;
    }
    return { status: response.status, body, retryAfter: retryAfterSeconds(response) };
}

// `replaces`: the token of the client this app had before a 401, so what it sent with
// that one is still its own (sync/PROTOCOL.md, signing up).
export function registerClient(origin, appVersion, replaces = null) {
    const body = { protocol: PROTOCOL, kind: 'personal', app_version: appVersion };
    if (replaces) body.replaces = replaces;
    return call(`${origin}/sync/v1/clients`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
    });
}

export function toMutation(item) {
    return {
        mutation_id: item.mutation_id, id: item.id, op: item.op || 'create',
        entity: item.entity || 'request', base_version: null, form_version: item.form_version,
        payload: item.payload, payload_sha256: item.payload_sha256,
        attachments: (item.attachments || []).map((a) => ({
            id: a.id, question_id: a.question_id, sha256: a.sha256, size: a.size,
            filename: a.filename, media_type: a.media_type,
        })),
    };
}

export function push(origin, client, appVersion, items) {
    return call(`${origin}/sync/v1/push`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${client.client_token}` },
        body: JSON.stringify({
            protocol: PROTOCOL, client_id: client.client_id, app_version: appVersion,
            mutations: items.map(toMutation),
        }),
    });
}
