-- Issue 14: a field worker may change a case's status on the device (in progress,
-- waiting for the resident, waiting for another body), merged like the case's other
-- fields (sync/merge.py). The merge needs what case_fields keeps for those: the case
-- version the status last changed at, who changed it (a device's client id, or the
-- office), and its value before each change. server/db/requests.add_event writes a row
-- whenever a request's status changes (the case version is already moved on by
-- requests_case_status, migration 0018).
CREATE TABLE case_status_history (
    case_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    before TEXT,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (case_id, version)
) WITHOUT ROWID;
