-- References such as P-0042 are never given twice: AUTOINCREMENT keeps SQLite from reusing the
-- id of the newest contribution after a /forget. SQLite cannot add it to a column, so the table
-- is rebuilt (foreign keys are off while migrations run, so nothing cascades).
CREATE TABLE contributions_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('concern', 'idea', 'initiative')),
    text TEXT NOT NULL DEFAULT '',
    media_kind TEXT CHECK (media_kind IN ('photo', 'voice')),
    media_ref TEXT,
    language TEXT,
    neighbourhood TEXT,
    may_quote INTEGER,
    wants_contact INTEGER,
    confirmed_at TEXT,
    created_at TEXT NOT NULL,
    channel_message_id TEXT,
    reviewed_at TEXT,
    hidden_at TEXT,
    concepts TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO contributions_new (id, resident_id, kind, text, media_kind, media_ref, language,
    neighbourhood, may_quote, wants_contact, confirmed_at, created_at, channel_message_id,
    reviewed_at, hidden_at, concepts)
SELECT id, resident_id, kind, text, media_kind, media_ref, language, neighbourhood, may_quote,
    wants_contact, confirmed_at, created_at, channel_message_id, reviewed_at, hidden_at, concepts
FROM contributions;
DROP TABLE contributions;
ALTER TABLE contributions_new RENAME TO contributions;
-- Copying the rows set the table's sequence to the newest id; from here on none is reused.
CREATE INDEX contributions_by_resident ON contributions (resident_id, created_at);
CREATE INDEX contributions_by_created ON contributions (created_at);

-- The foreign keys /forget cascades over, so deleting a resident reads no whole table.
CREATE INDEX outbox_by_resident ON outbox (resident_id);
CREATE INDEX rsvps_by_resident ON rsvps (resident_id);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id);
CREATE INDEX event_links_by_contribution ON event_links (contribution_id);
