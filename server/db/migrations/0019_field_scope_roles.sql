-- Issue 14: the field scopes (migration 0018) follow a change of role too.
-- A change of role can change what a person may hold (social work records).
CREATE TRIGGER staff_scope_role AFTER UPDATE OF role ON staff
WHEN OLD.role IS NOT NEW.role BEGIN
    INSERT INTO scope_generations (person_id, generation)
        SELECT NEW.id, 1 WHERE EXISTS (
            SELECT case_id FROM field_scope_now WHERE person_id = NEW.id
            EXCEPT SELECT case_id FROM field_scope WHERE person_id = NEW.id)
            OR EXISTS (
            SELECT case_id FROM field_scope WHERE person_id = NEW.id
            EXCEPT SELECT case_id FROM field_scope_now WHERE person_id = NEW.id)
        ON CONFLICT (person_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO scope_log (person_id, generation, case_id, entered)
        SELECT NEW.id, g.generation, d.case_id, 1 FROM (
            SELECT case_id FROM field_scope_now WHERE person_id = NEW.id
            EXCEPT SELECT case_id FROM field_scope WHERE person_id = NEW.id) d
        JOIN scope_generations g ON g.person_id = NEW.id;
    INSERT INTO scope_log (person_id, generation, case_id, entered)
        SELECT NEW.id, g.generation, d.case_id, 0 FROM (
            SELECT case_id FROM field_scope WHERE person_id = NEW.id
            EXCEPT SELECT case_id FROM field_scope_now WHERE person_id = NEW.id) d
        JOIN scope_generations g ON g.person_id = NEW.id;
    DELETE FROM field_scope WHERE person_id = NEW.id AND case_id NOT IN (
        SELECT case_id FROM field_scope_now WHERE person_id = NEW.id);
    INSERT OR IGNORE INTO field_scope (person_id, case_id)
        SELECT NEW.id, case_id FROM field_scope_now WHERE person_id = NEW.id;
END;
