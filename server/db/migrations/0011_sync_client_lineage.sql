-- A client signed up again by the same app (after a 401) names the one it replaces, so
-- the entities it sent before are still its own (entity look-ups are scoped to a client
-- and the clients it replaced, issue 10).
ALTER TABLE sync_clients ADD COLUMN replaces TEXT REFERENCES sync_clients(id);
