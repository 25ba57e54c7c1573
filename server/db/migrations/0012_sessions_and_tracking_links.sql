-- Signed-in sessions are now keyed by the SHA-256 of the cookie's id (db/people.py).
-- Rows from before hold the cookie's id itself: drop them (everyone signs in again once)
-- rather than keep ids that would sign someone in from a copy of the database.
DELETE FROM auth_sessions;
