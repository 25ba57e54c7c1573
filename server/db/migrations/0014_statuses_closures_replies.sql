-- Issue 12: the statuses with reasons (server/casework/status.py). The old four become
-- the new ones: "waiting" was always waiting for the resident; "closed" takes the status
-- its outcome names (no outcome, withdrawn or duplicate: closed with no action).
UPDATE requests SET status = 'waiting_resident' WHERE status = 'waiting';

UPDATE requests SET status = CASE outcome WHEN 'resolved' THEN 'resolved'
    WHEN 'referred' THEN 'referred' ELSE 'closed_no_action' END
  WHERE status = 'closed';

-- The timeline is append-only; this once, its old status codes are renamed in place so
-- the working-day clock (server/casework/sla.py) reads one set of codes.
DROP TRIGGER request_events_no_update;

UPDATE request_events SET status = 'waiting_resident' WHERE status = 'waiting';

UPDATE request_events SET status = CASE outcome WHEN 'resolved' THEN 'resolved'
    WHEN 'referred' THEN 'referred' ELSE 'closed_no_action' END
  WHERE status = 'closed';

CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events
   BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END;

-- Days the council is closed beyond the Scottish public holidays (local holidays, a
-- closure for the election count): not working days for any service's targets.
CREATE TABLE council_closures (
    day TEXT PRIMARY KEY,  -- YYYY-MM-DD
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

-- Replies an officer starts from, per service (NULL: any) and status; seeded from
-- server/casework/reply_templates.json. `titles` and `bodies` are JSON objects by
-- language code; bodies hold {reference}, {due_date}, {service} placeholders.
CREATE TABLE reply_templates (
    id TEXT PRIMARY KEY,
    service TEXT,
    status TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    titles TEXT NOT NULL,
    bodies TEXT NOT NULL
);

CREATE INDEX reply_templates_status ON reply_templates (status, position);
