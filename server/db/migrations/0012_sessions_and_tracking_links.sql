-- Signed-in sessions are now keyed by the SHA-256 of the cookie's id (db/people.py).
-- Rows from before hold the cookie's id itself: drop them (everyone signs in again once)
-- rather than keep ids that would sign someone in from a copy of the database.
DELETE FROM auth_sessions;

-- Tracking links (issue 10): the link was the request id, signed: it never expired and
-- could not be stopped. Now a link is `<public_id>.<mac>`: public_id is random (no request
-- id inside), the MAC (over public_id and generation, with the server's secret key) is
-- never stored. Stopping the links bumps the generation, so every link made before
-- fails; a closed request's links expire (server/auth/tracking.py).
CREATE TABLE tracking_links (
    request_id TEXT PRIMARY KEY REFERENCES requests(id),
    public_id TEXT NOT NULL UNIQUE,
    generation INTEGER NOT NULL DEFAULT 0,
    stopped_at TEXT,
    stopped_by TEXT
);

INSERT INTO tracking_links (request_id, public_id)
    SELECT id, lower(hex(randomblob(16))) FROM requests;

-- Every request gets its row as it is made, whichever way (web, app queue, kiosk, API).
CREATE TRIGGER requests_tracking_link AFTER INSERT ON requests
BEGIN
    INSERT INTO tracking_links (request_id, public_id)
        VALUES (NEW.id, lower(hex(randomblob(16))));
END;
