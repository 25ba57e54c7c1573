// What one protocol 2 push result means for the field app's outbox (pure; run over
// sync/examples/push-v2-*.json by tests/field_examples.mjs). Visits, notes and case
// updates are done once the server has them: `applied`, `duplicate`, and `conflict` (the
// worker's values are kept on the server for a person; the next pull shows the conflict)
// are all acknowledged. `rejected` needs the worker: the item stays, with its errors.
// A request made on a field device is a v1 mutation: ../outbox/results.js handles it.

export function fieldOutcome(result) {
    if (['applied', 'duplicate', 'conflict'].includes(result.status)) {
        return {
            state: 'acked',
            late: Boolean(result.late),
            version: Number.isSafeInteger(result.version) ? result.version : null,
            conflicts: result.conflicts || [],
            attachmentsPending: result.attachments_pending || [],
        };
    }
    if (result.status === 'rejected') {
        return { state: 'attention', reason: result.reason, errors: result.errors || [] };
    }
    return { state: 'pending' };
}
