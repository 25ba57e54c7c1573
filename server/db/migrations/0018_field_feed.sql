-- Issue 14 (field workers offline): the change feed a field device pulls, the scope of
-- each person (the cases assigned to them or to their team) with its generations, the
-- named case fields with per-field versions and history for the three-way merge, and
-- what is on a case for the devices (events mirrored, notes, visits, photos, conflicts).
-- sync/PROTOCOL.md "What the server must store".

-- One position per write transaction: the first feed row a transaction writes inserts
-- a row here with the transaction's token (tb_txn(), registered on every connection by
-- server/db/store.py connect and renewed per transaction); later rows find it as the
-- newest. Positions commit in order: SQLite has one writer at a time.
CREATE TABLE feed_positions (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    txn TEXT NOT NULL,
    at TEXT NOT NULL
);

-- The oldest position a cursor may still name (compaction moves it on).
CREATE TABLE feed_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    oldest INTEGER NOT NULL
);

INSERT INTO feed_meta (id, oldest) VALUES (1, 0);

-- One row per changed entity per transaction, in the order written (seq). `data` is the
-- entity as it was then (null when removed). No uniqueness on (position, kind, id): the
-- pull keeps an entity's newest version within a page.
CREATE TABLE feed (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('case', 'event', 'note', 'visit', 'photo', 'conflict')),
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'remove')),
    data TEXT
);

CREATE INDEX feed_position ON feed (position);

CREATE INDEX feed_case ON feed (case_id, position);

-- The case version the field devices' case.update names as base_version (not
-- requests.version, which assignment and priority bump too).
ALTER TABLE requests ADD COLUMN case_version INTEGER NOT NULL DEFAULT 1;

-- Named case fields (sync/merge.py CASE_FIELDS): value as JSON, the case version at
-- which it last changed and who changed it (a sync client id, or "office").
CREATE TABLE case_fields (
    case_id TEXT NOT NULL REFERENCES requests(id),
    name TEXT NOT NULL,
    value TEXT,
    version INTEGER NOT NULL,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (case_id, name)
) WITHOUT ROWID;

-- A field's value before the change that made `version`: the base of a conflict.
CREATE TABLE case_field_history (
    case_id TEXT NOT NULL REFERENCES requests(id),
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    before TEXT,
    PRIMARY KEY (case_id, version, name)
) WITHOUT ROWID;

-- What is on a case for the devices, in the order written (rowid): events (mirrored
-- from request_events by a trigger), notes and visits (pushed, or written in the office),
-- photo thumbnails, conflicts. `data` is the entity as the pull sends it.
CREATE TABLE case_items (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('event', 'note', 'visit', 'photo', 'conflict')),
    case_id TEXT NOT NULL REFERENCES requests(id),
    version INTEGER NOT NULL DEFAULT 1,
    data TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE INDEX case_items_case ON case_items (case_id, kind);

CREATE INDEX case_items_open_conflicts ON case_items (case_id)
    WHERE kind = 'conflict' AND json_extract(data, '$.status') = 'open';

-- A case as the devices see it: its named fields and the read-only ones of the request.
CREATE VIEW field_case_data AS
SELECT r.id AS case_id, r.case_version AS version,
    json_patch(
        (SELECT json_group_object(f.name, json(coalesce(f.value, 'null')))
         FROM case_fields f WHERE f.case_id = r.id),
        json_object('reference', r.reference, 'service', r.service, 'status', r.status)
    ) AS data
FROM requests r;

-- Scope: who has which case now (assigned to them, or to their team with no officer;
-- social work records only to social work roles), kept by the triggers below, with a
-- generation per person bumped by every change of their scope and its log.
CREATE VIEW field_scope_now AS
SELECT r.assignee AS person_id, r.id AS case_id FROM requests r
    JOIN staff s ON s.id = r.assignee
    WHERE r.assignee IS NOT NULL
      AND (r.special_category = 0 OR s.role IN ('social_work_officer', 'social_work_manager'))
UNION ALL
SELECT m.staff_id AS person_id, r.id AS case_id FROM requests r
    JOIN team_members m ON m.team_id = r.team_id
    JOIN staff s ON s.id = m.staff_id
    WHERE r.assignee IS NULL AND r.team_id IS NOT NULL
      AND (r.special_category = 0 OR s.role IN ('social_work_officer', 'social_work_manager'));

CREATE TABLE field_scope (
    person_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    PRIMARY KEY (person_id, case_id)
) WITHOUT ROWID;

CREATE INDEX field_scope_case ON field_scope (case_id);

-- history_from: the oldest generation whose log is kept (older: a full reset).
CREATE TABLE scope_generations (
    person_id TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    history_from INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE scope_log (
    person_id TEXT NOT NULL,
    generation INTEGER NOT NULL,
    case_id TEXT NOT NULL,
    entered INTEGER NOT NULL,
    PRIMARY KEY (person_id, generation, case_id)
) WITHOUT ROWID;

CREATE INDEX scope_log_case ON scope_log (case_id, person_id);

-- Existing assignments are the scopes' start (generation 0, nothing logged).
INSERT INTO field_scope (person_id, case_id) SELECT DISTINCT person_id, case_id FROM field_scope_now;

-- Rescoping one case: bump the generation of everyone whose scope it enters or leaves,
-- log it, then make field_scope what field_scope_now says.
CREATE TRIGGER requests_scope_insert AFTER INSERT ON requests
WHEN NEW.assignee IS NOT NULL OR NEW.team_id IS NOT NULL BEGIN
    INSERT INTO scope_generations (person_id, generation)
        SELECT person_id, 1 FROM (
            SELECT person_id FROM field_scope_now WHERE case_id = NEW.id
            EXCEPT SELECT person_id FROM field_scope WHERE case_id = NEW.id) WHERE true
        ON CONFLICT (person_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO scope_log (person_id, generation, case_id, entered)
        SELECT d.person_id, g.generation, NEW.id, 1 FROM (
            SELECT person_id FROM field_scope_now WHERE case_id = NEW.id
            EXCEPT SELECT person_id FROM field_scope WHERE case_id = NEW.id) d
        JOIN scope_generations g ON g.person_id = d.person_id;
    INSERT OR IGNORE INTO field_scope (person_id, case_id)
        SELECT person_id, NEW.id FROM field_scope_now WHERE case_id = NEW.id;
END;

CREATE TRIGGER requests_scope_update AFTER UPDATE OF assignee, team_id, special_category
ON requests BEGIN
    INSERT INTO scope_generations (person_id, generation)
        SELECT person_id, 1 FROM (
            SELECT person_id FROM (
                SELECT person_id FROM field_scope_now WHERE case_id = NEW.id
                EXCEPT SELECT person_id FROM field_scope WHERE case_id = NEW.id)
            UNION
            SELECT person_id FROM (
                SELECT person_id FROM field_scope WHERE case_id = NEW.id
                EXCEPT SELECT person_id FROM field_scope_now WHERE case_id = NEW.id)) WHERE true
        ON CONFLICT (person_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO scope_log (person_id, generation, case_id, entered)
        SELECT d.person_id, g.generation, NEW.id, 1 FROM (
            SELECT person_id FROM field_scope_now WHERE case_id = NEW.id
            EXCEPT SELECT person_id FROM field_scope WHERE case_id = NEW.id) d
        JOIN scope_generations g ON g.person_id = d.person_id;
    INSERT INTO scope_log (person_id, generation, case_id, entered)
        SELECT d.person_id, g.generation, NEW.id, 0 FROM (
            SELECT person_id FROM field_scope WHERE case_id = NEW.id
            EXCEPT SELECT person_id FROM field_scope_now WHERE case_id = NEW.id) d
        JOIN scope_generations g ON g.person_id = d.person_id;
    DELETE FROM field_scope WHERE case_id = NEW.id AND person_id NOT IN (
        SELECT person_id FROM field_scope_now WHERE case_id = NEW.id);
    INSERT OR IGNORE INTO field_scope (person_id, case_id)
        SELECT person_id, NEW.id FROM field_scope_now WHERE case_id = NEW.id;
END;

-- Rescoping one person (they joined or left a team).
CREATE TRIGGER team_members_scope_insert AFTER INSERT ON team_members BEGIN
    INSERT INTO scope_generations (person_id, generation)
        SELECT NEW.staff_id, 1 WHERE EXISTS (
            SELECT case_id FROM field_scope_now WHERE person_id = NEW.staff_id
            EXCEPT SELECT case_id FROM field_scope WHERE person_id = NEW.staff_id)
        ON CONFLICT (person_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO scope_log (person_id, generation, case_id, entered)
        SELECT NEW.staff_id, g.generation, d.case_id, 1 FROM (
            SELECT case_id FROM field_scope_now WHERE person_id = NEW.staff_id
            EXCEPT SELECT case_id FROM field_scope WHERE person_id = NEW.staff_id) d
        JOIN scope_generations g ON g.person_id = NEW.staff_id;
    INSERT OR IGNORE INTO field_scope (person_id, case_id)
        SELECT NEW.staff_id, case_id FROM field_scope_now WHERE person_id = NEW.staff_id;
END;

CREATE TRIGGER team_members_scope_delete AFTER DELETE ON team_members BEGIN
    INSERT INTO scope_generations (person_id, generation)
        SELECT OLD.staff_id, 1 WHERE EXISTS (
            SELECT case_id FROM field_scope WHERE person_id = OLD.staff_id
            EXCEPT SELECT case_id FROM field_scope_now WHERE person_id = OLD.staff_id)
        ON CONFLICT (person_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO scope_log (person_id, generation, case_id, entered)
        SELECT OLD.staff_id, g.generation, d.case_id, 0 FROM (
            SELECT case_id FROM field_scope WHERE person_id = OLD.staff_id
            EXCEPT SELECT case_id FROM field_scope_now WHERE person_id = OLD.staff_id) d
        JOIN scope_generations g ON g.person_id = OLD.staff_id;
    DELETE FROM field_scope WHERE person_id = OLD.staff_id AND case_id NOT IN (
        SELECT case_id FROM field_scope_now WHERE person_id = OLD.staff_id);
END;

-- New requests get their address and summary (read-only) and the editable fields.
CREATE TRIGGER requests_case_fields AFTER INSERT ON requests BEGIN
    INSERT OR IGNORE INTO case_fields (case_id, name, value, version, changed_by)
    SELECT NEW.id, name, value, NEW.case_version, 'office' FROM (
        SELECT 'address' AS name, json_quote((SELECT group_concat(value, ', ')
            FROM json_tree(NEW.answers) WHERE key IN ('line1', 'line2', 'town', 'postcode')
            AND type = 'text')) AS value
        UNION ALL SELECT 'summary', json_quote((SELECT value FROM json_tree(NEW.answers)
            WHERE key IN ('description', 'details', 'summary', 'what') AND type = 'text'
            LIMIT 1))
        UNION ALL SELECT 'risk_level', 'null'
        UNION ALL SELECT 'access_notes', 'null'
        UNION ALL SELECT 'hazards', 'null'
        UNION ALL SELECT 'contact_phone', json_quote(NEW.contact_phone)
        UNION ALL SELECT 'next_visit_on', 'null'
        UNION ALL SELECT 'follow_up_needed', 'false');
END;

-- A status change is a change of the case (its data holds the status).
CREATE TRIGGER requests_case_status AFTER UPDATE OF status ON requests
WHEN OLD.status IS NOT NEW.status BEGIN
    UPDATE requests SET case_version = case_version + 1 WHERE id = NEW.id;
END;

-- Feed rows: the transaction's position first (allocated once), then the row.
CREATE TRIGGER requests_case_feed AFTER UPDATE OF case_version ON requests BEGIN
    INSERT INTO feed_positions (txn, at) SELECT tb_txn(), tb_now()
        WHERE (SELECT txn FROM feed_positions ORDER BY position DESC LIMIT 1) IS NOT tb_txn();
    INSERT INTO feed (position, kind, id, case_id, version, op, data) VALUES (
        (SELECT max(position) FROM feed_positions), 'case', NEW.id, NEW.id, NEW.case_version,
        'upsert', (SELECT data FROM field_case_data WHERE case_id = NEW.id));
END;

CREATE TRIGGER case_items_feed_insert AFTER INSERT ON case_items BEGIN
    INSERT INTO feed_positions (txn, at) SELECT tb_txn(), tb_now()
        WHERE (SELECT txn FROM feed_positions ORDER BY position DESC LIMIT 1) IS NOT tb_txn();
    INSERT INTO feed (position, kind, id, case_id, version, op, data) VALUES (
        (SELECT max(position) FROM feed_positions), NEW.kind, NEW.id, NEW.case_id, NEW.version,
        CASE NEW.removed WHEN 0 THEN 'upsert' ELSE 'remove' END,
        CASE NEW.removed WHEN 0 THEN NEW.data END);
END;

CREATE TRIGGER case_items_feed_update AFTER UPDATE ON case_items BEGIN
    INSERT INTO feed_positions (txn, at) SELECT tb_txn(), tb_now()
        WHERE (SELECT txn FROM feed_positions ORDER BY position DESC LIMIT 1) IS NOT tb_txn();
    INSERT INTO feed (position, kind, id, case_id, version, op, data) VALUES (
        (SELECT max(position) FROM feed_positions), NEW.kind, NEW.id, NEW.case_id, NEW.version,
        CASE NEW.removed WHEN 0 THEN 'upsert' ELSE 'remove' END,
        CASE NEW.removed WHEN 0 THEN NEW.data END);
END;

-- The timeline, mirrored for the devices as it is written (whoever writes it).
CREATE TRIGGER request_events_case_items AFTER INSERT ON request_events BEGIN
    INSERT INTO case_items (id, kind, case_id, version, data, created_at) VALUES (
        'event-' || NEW.id, 'event', NEW.request_id, 1,
        json_object('at', NEW.at, 'type', NEW.kind, 'text', coalesce(NEW.message, ''),
                    'status', NEW.status, 'public', json(CASE NEW.public WHEN 0 THEN 'false'
                                                          ELSE 'true' END)),
        NEW.at);
END;

-- Existing requests: their fields, as new ones get them.
INSERT OR IGNORE INTO case_fields (case_id, name, value, version, changed_by)
SELECT r.id, f.name, f.value, r.case_version, 'office' FROM requests r JOIN (
    SELECT 'risk_level' AS name, 'null' AS value UNION ALL SELECT 'access_notes', 'null'
    UNION ALL SELECT 'hazards', 'null' UNION ALL SELECT 'next_visit_on', 'null'
    UNION ALL SELECT 'follow_up_needed', 'false') f;
