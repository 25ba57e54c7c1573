-- Issue 14: the request page says who resolved each conflict from the field, read from
-- the audit entry of the resolution (server/db/field_office.py); without this index that
-- read scanned the whole audit log once per resolved conflict.
CREATE INDEX audit_log_subject ON audit_log (subject, action);
