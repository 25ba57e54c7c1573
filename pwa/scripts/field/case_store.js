// The cases on the device: each pulled page is planned (pull.js) against the versions
// held, sealed, and written with its cursor in ONE transaction, reset first. A tab killed
// before the commit leaves the old cursor, so the same page comes again. Never touches
// the outbox: unsent work outlives any reset or revocation.
import { planPage, readPage, rowKey } from './pull.js';
import { request, transact } from './db.js';
import { seal, unseal } from './vault.js';

async function heldVersions() {
    const held = new Map();
    await transact(['rows'], 'readonly', (s) => new Promise((resolve, reject) => {
        const cursor = s.rows.openCursor();
        cursor.onsuccess = () => {
            const at = cursor.result;
            if (!at) { resolve(); return; }
            held.set(at.value.key, at.value.version);
            at.continue();
        };
        cursor.onerror = () => reject(cursor.error);
    }));
    return held;
}

/** Stores one page (checked strictly first: a bad page stores nothing). Returns
 *  {more, count: cases in the page, bytes} for the progress line. */
export async function storePage(body, clientId, bytes, now) {
    const page = readPage(body, clientId);
    const held = await heldVersions();
    const plan = planPage(page, (kind, id) => held.get(rowKey(kind, id)));
    // Sealing is async: done before the transaction opens, which then only writes.
    const sealed = await Promise.all(plan.puts.map(async (change) => ({
        key: rowKey(change.kind, change.id), kind: change.kind, case_id: change.case_id,
        version: change.version, sealed: await seal({ id: change.id, data: change.data }),
    })));
    const dropped = new Set(plan.dropCases);
    await transact(['rows', 'meta'], 'readwrite', async (s) => {
        if (plan.dropAll) s.rows.clear();
        for (const caseId of dropped) {
            const keys = await request(s.rows.index('case_id').getAllKeys(caseId));
            keys.forEach((key) => s.rows.delete(key));
        }
        plan.removes.forEach(({ kind, id }) => s.rows.delete(rowKey(kind, id)));
        sealed.forEach((row) => s.rows.put(row));
        s.meta.put({ key: 'cursor', value: plan.cursor });
        s.meta.put({ key: 'last_sync', value: now });
    });
    const cases = page.changes.filter((c) => c.kind === 'case' && c.op === 'upsert').length;
    return { more: page.more, cases, bytes };
}

/** Everything held, opened: [{kind, id, case_id, version, data}]. */
export async function readRows() {
    const rows = await transact(['rows'], 'readonly', (s) => request(s.rows.getAll()));
    return Promise.all(rows.map(async (row) => {
        const { id, data } = await unseal(row.sealed);
        return { kind: row.kind, id, case_id: row.case_id, version: row.version, data };
    }));
}

export function caseCount() {
    return transact(['rows'], 'readonly',
        (s) => request(s.rows.count(IDBKeyRange.bound('case/', 'case/\uffff'))));
}

/** Forgets every pulled case and the cursor (revoked, signed out); keeps the outbox. */
export function wipeCases() {
    return transact(['rows', 'meta'], 'readwrite', (s) => {
        s.rows.clear();
        s.meta.delete('cursor');
    });
}
