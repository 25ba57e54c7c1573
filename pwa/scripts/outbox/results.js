// What one push answer means for the outbox (pure: tests/outbox_examples.mjs runs it
// over sync/examples/*.json). applied/duplicate: acknowledged, with the reference;
// rejected/conflict: kept as "needs attention" with the server's reasons.
export function outcome(result) {
    if (result.status === 'applied' || result.status === 'duplicate') {
        return { state: 'acked', reference: result.reference,
            attachmentsPending: result.attachments_pending || [] };
    }
    if (result.status === 'rejected' || result.status === 'conflict') {
        return { state: 'attention', reason: result.status, errors: result.errors || [] };
    }
    return { state: 'pending' };
}

/** The mutation id the server wants next, when it stopped the batch; else null. */
export function resumeFrom(body) {
    const stopped = body && body.stopped;
    return stopped && stopped.reason === 'out_of_order' && Number.isInteger(stopped.expected)
        ? stopped.expected : null;
}
