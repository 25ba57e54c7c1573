// A field device's pull (sync protocol 2, sync/PROTOCOL.md "Pulling"), pure: the field
// app's IndexedDB store and tests/field_examples.mjs both run it. A page is read strictly
// (a malformed one is never stored), planned against what the device holds, and the plan
// is written with the page's cursor in ONE transaction: a tab killed before it commits
// leaves the old cursor, so the same page comes again, and versions make it harmless.
// Unsent work lives in the outbox, never here: no reset ever touches it.

export const PROTOCOL = 2;
export const DEFAULT_LIMIT = 200;
export const KINDS = ['case', 'event', 'note', 'visit', 'photo', 'conflict'];
const RESETS = ['start', 'scope_changed', 'expired', 'rewound'];
const PAGE_KEYS = ['changes', 'client_id', 'cursor', 'more', 'protocol', 'reset'];
const CHANGE_KEYS = ['case_id', 'data', 'id', 'kind', 'op', 'version'];
const RESET_KEYS = ['drop', 'drop_all', 'reason'];
const MAX_THUMBNAIL_CHARS = 64 * 1024;

export class PageError extends Error {
    constructor(reason, path = '') {
        super(`${reason} at ${path || 'page'}`);
        this.reason = reason;
        this.path = path;
    }
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const isText = (value) => typeof value === 'string' && value.length > 0;

function exactKeys(value, keys, path) {
    if (!isObject(value)) throw new PageError('wrong_type', path);
    const found = Object.keys(value).sort();
    if (found.length !== keys.length || found.some((key, i) => key !== keys[i])) {
        throw new PageError('wrong_fields', path);
    }
}

function readChange(change, path) {
    exactKeys(change, CHANGE_KEYS, path);
    if (!KINDS.includes(change.kind)) throw new PageError('unknown_kind', `${path}.kind`);
    if (!['upsert', 'remove'].includes(change.op)) throw new PageError('unknown_op', `${path}.op`);
    if (!isText(change.id) || !isText(change.case_id)) throw new PageError('wrong_type', `${path}.id`);
    if (change.kind === 'case' && change.id !== change.case_id) throw new PageError('invalid_value', `${path}.case_id`);
    if (!Number.isSafeInteger(change.version) || change.version < 1) throw new PageError('invalid_value', `${path}.version`);
    if (change.op === 'upsert' ? !isObject(change.data) : change.data !== null) {
        throw new PageError('invalid_value', `${path}.data`);
    }
    if (change.kind === 'photo' && change.op === 'upsert'
        && !(isText(change.data.thumbnail) && change.data.thumbnail.length <= MAX_THUMBNAIL_CHARS)) {
        throw new PageError('invalid_value', `${path}.data.thumbnail`);
    }
    return change;
}

/** The page, checked; throws PageError (nothing of it may be stored then). */
export function readPage(body, clientId) {
    exactKeys(body, PAGE_KEYS, '');
    if (body.protocol !== PROTOCOL) throw new PageError('unknown_protocol', 'protocol');
    if (body.client_id !== clientId) throw new PageError('client_mismatch', 'client_id');
    if (!isText(body.cursor)) throw new PageError('wrong_type', 'cursor');
    if (typeof body.more !== 'boolean') throw new PageError('wrong_type', 'more');
    if (!Array.isArray(body.changes)) throw new PageError('wrong_type', 'changes');
    body.changes.forEach((change, i) => readChange(change, `changes[${i}]`));
    if (body.reset !== null) {
        exactKeys(body.reset, RESET_KEYS, 'reset');
        const { reason, drop, drop_all: dropAll } = body.reset;
        if (!RESETS.includes(reason) || typeof dropAll !== 'boolean'
            || !Array.isArray(drop) || !drop.every(isText)) {
            throw new PageError('invalid_value', 'reset');
        }
    }
    return body;
}

export const rowKey = (kind, id) => `${kind}/${id}`;

/** What storing the page means, given `heldVersion(kind, id)` (undefined: not held):
 *  {dropAll, dropCases, puts, removes, cursor}. Upserts older than what is held are left
 *  out (a restore may come before deltas it already contains). */
export function planPage(page, heldVersion) {
    const reset = page.reset;
    const dropAll = Boolean(reset && reset.drop_all);
    const dropCases = reset && !dropAll ? [...reset.drop] : [];
    const dropped = new Set(dropCases);
    const held = (kind, id, caseId) => (dropAll || dropped.has(caseId) ? undefined : heldVersion(kind, id));
    const puts = [];
    const removes = [];
    for (const change of page.changes) {
        if (change.op === 'remove') {
            removes.push({ kind: change.kind, id: change.id });
            continue;
        }
        const version = held(change.kind, change.id, change.case_id);
        if (version === undefined || version <= change.version) puts.push(change);
    }
    return { dropAll, dropCases, puts, removes, cursor: page.cursor };
}

/** Writes a plan to an in-memory store {rows: Map, cursor}, as the IndexedDB store does
 *  in one transaction: drops first, then removes and puts, then the cursor. */
export function applyPlan(store, plan) {
    if (plan.dropAll) store.rows.clear();
    const dropped = new Set(plan.dropCases);
    for (const [key, row] of store.rows) {
        if (dropped.has(row.case_id)) store.rows.delete(key);
    }
    for (const { kind, id } of plan.removes) store.rows.delete(rowKey(kind, id));
    for (const change of plan.puts) {
        store.rows.set(rowKey(change.kind, change.id), {
            kind: change.kind, id: change.id, case_id: change.case_id,
            version: change.version, data: change.data,
        });
    }
    store.cursor = plan.cursor;
    return store;
}

export function newStore() {
    return { rows: new Map(), cursor: null };
}

/** Reads, plans and stores one page; returns whether to pull again at once. */
export function storePage(store, body, clientId) {
    const page = readPage(body, clientId);
    const held = (kind, id) => store.rows.get(rowKey(kind, id))?.version;
    applyPlan(store, planPage(page, held));
    return page.more;
}

/** The next pull's URL: with the stored cursor, or none for a first download. */
export function nextRequest(cursor, limit = DEFAULT_LIMIT) {
    const query = new URLSearchParams({ protocol: String(PROTOCOL), limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    // Cursors are base64url and dots: nothing in them is escaped.
    return `/sync/v1/pull?${query.toString()}`;
}

/** What to do after a refused pull: `start_over` forgets the cursor (the next pull is a
 *  first download, whose reset drops what the device held); `sign_up` registers the
 *  device again (its token was revoked or lost); `later` retries on back-off; `stop`
 *  waits for a new app version or a person (a 4xx that repeating cannot fix). */
export function afterRefusal(status, error) {
    if (status === 400 && error === 'bad_cursor') return 'start_over';
    if (status === 401) return 'sign_up';
    if (status === 429 || status >= 500) return 'later';
    return 'stop';
}

/** The open conflicts the device holds, per case, for the worker to see. */
export function openConflicts(store) {
    return [...store.rows.values()].filter((row) => row.kind === 'conflict' && row.data.status === 'open');
}
