-- Why a request was closed (server/casework/status.py OUTCOMES): set with the status
-- "closed", cleared when it is opened again. The event keeps the outcome it was closed
-- with, so the timeline says it however often the request is reopened.
ALTER TABLE requests ADD COLUMN outcome TEXT;

ALTER TABLE request_events ADD COLUMN outcome TEXT;

-- Something a resident did that their officer must see (they withdrew the request, or
-- added information): set by casework.actions.tell_officer, cleared when an officer
-- marks it seen. Shown in the inbox and on the request page.
ALTER TABLE requests ADD COLUMN officer_flag TEXT;

-- Files a resident added to a request after sending it: the timeline event they came
-- with (NULL for files sent with the request).
ALTER TABLE attachments ADD COLUMN event_id INTEGER REFERENCES request_events(id);

-- Small previews of images, made once on first view and kept beside the file.
CREATE TABLE attachment_thumbnails (
    attachment_id TEXT PRIMARY KEY REFERENCES attachments(id) ON DELETE CASCADE,
    media_type TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
);
