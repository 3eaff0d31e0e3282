-- A worker's review: when its pillars were accepted or set, and whether it was hidden
-- (abuse, spam, personal attacks).
ALTER TABLE contributions ADD COLUMN reviewed_at TEXT;
ALTER TABLE contributions ADD COLUMN hidden_at TEXT;

-- Who did what to which contribution, for the programme team; the actor is a resident row
-- with the worker or team role. Deleting either keeps the entry, without the link.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES residents (id) ON DELETE SET NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    contribution_id INTEGER REFERENCES contributions (id) ON DELETE SET NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_contribution ON audit_log (contribution_id);
