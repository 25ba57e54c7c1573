-- Issue 12 (back office): teams per service and who belongs to them; a request's team,
-- officer, priority, area and version; full-text search over requests; saved views.
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    service TEXT NOT NULL REFERENCES services(slug),
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    PRIMARY KEY (team_id, staff_id)
);

CREATE INDEX team_members_staff ON team_members (staff_id);

ALTER TABLE requests ADD COLUMN team_id TEXT REFERENCES teams(id);

ALTER TABLE requests ADD COLUMN assignee TEXT REFERENCES staff(id);

ALTER TABLE requests ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal'
    CHECK (priority IN ('urgent', 'high', 'normal', 'low'));

-- The postcode district of the first postcode in the answers (EH22 of EH22 1AE), kept
-- by the triggers below, for the queue's area filter.
ALTER TABLE requests ADD COLUMN area TEXT;

-- Bumped by a trigger whenever what an officer changes changes, so a form rendered at
-- one version and posted after another officer's change is refused, never applied over it.
ALTER TABLE requests ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE INDEX requests_service_status ON requests (service, status, created_at);

CREATE INDEX requests_assignee ON requests (assignee);

CREATE INDEX requests_team ON requests (team_id);

CREATE TRIGGER requests_version AFTER UPDATE OF status, outcome, team_id, assignee, priority
ON requests BEGIN
    UPDATE requests SET version = OLD.version + 1 WHERE id = NEW.id;
END;

-- Full-text search: reference, the address parts and every text answer. Written by
-- triggers, so it commits with the request's insert or update, whoever writes it.
CREATE VIRTUAL TABLE requests_search USING fts5(
    request_id UNINDEXED, reference, address, answers, tokenize = 'unicode61'
);

CREATE TRIGGER requests_search_insert AFTER INSERT ON requests BEGIN
    INSERT INTO requests_search (request_id, reference, address, answers) VALUES (
        NEW.id, NEW.reference,
        (SELECT group_concat(value, ' ') FROM json_tree(NEW.answers)
         WHERE key IN ('line1', 'line2', 'town', 'postcode') AND type = 'text'),
        (SELECT group_concat(value, ' ') FROM json_tree(NEW.answers) WHERE type = 'text'));
    UPDATE requests SET area = (
        SELECT upper(CASE WHEN instr(trim(value), ' ') > 0
                          THEN substr(trim(value), 1, instr(trim(value), ' ') - 1)
                          ELSE substr(trim(value), 1, length(trim(value)) - 3) END)
        FROM json_tree(NEW.answers) WHERE key = 'postcode' AND type = 'text' LIMIT 1)
    WHERE id = NEW.id;
END;

CREATE TRIGGER requests_search_update AFTER UPDATE OF reference, answers ON requests BEGIN
    DELETE FROM requests_search WHERE request_id = OLD.id;
    INSERT INTO requests_search (request_id, reference, address, answers) VALUES (
        NEW.id, NEW.reference,
        (SELECT group_concat(value, ' ') FROM json_tree(NEW.answers)
         WHERE key IN ('line1', 'line2', 'town', 'postcode') AND type = 'text'),
        (SELECT group_concat(value, ' ') FROM json_tree(NEW.answers) WHERE type = 'text'));
    UPDATE requests SET area = (
        SELECT upper(CASE WHEN instr(trim(value), ' ') > 0
                          THEN substr(trim(value), 1, instr(trim(value), ' ') - 1)
                          ELSE substr(trim(value), 1, length(trim(value)) - 3) END)
        FROM json_tree(NEW.answers) WHERE key = 'postcode' AND type = 'text' LIMIT 1)
    WHERE id = NEW.id;
END;

CREATE TRIGGER requests_search_delete AFTER DELETE ON requests BEGIN
    DELETE FROM requests_search WHERE request_id = OLD.id;
END;

INSERT INTO requests_search (request_id, reference, address, answers)
SELECT id, reference,
    (SELECT group_concat(value, ' ') FROM json_tree(requests.answers)
     WHERE key IN ('line1', 'line2', 'town', 'postcode') AND type = 'text'),
    (SELECT group_concat(value, ' ') FROM json_tree(requests.answers) WHERE type = 'text')
FROM requests;

UPDATE requests SET area = (
    SELECT upper(CASE WHEN instr(trim(value), ' ') > 0
                      THEN substr(trim(value), 1, instr(trim(value), ' ') - 1)
                      ELSE substr(trim(value), 1, length(trim(value)) - 3) END)
    FROM json_tree(requests.answers) WHERE key = 'postcode' AND type = 'text' LIMIT 1);

CREATE INDEX requests_area ON requests (area);

-- An officer's named filter sets for the inbox: `query` is the inbox's query string.
CREATE TABLE saved_views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (staff_id, name)
);
