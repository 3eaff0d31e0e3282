-- The path of a contribution, as its author sees it in /mine: received (when it was made), read
-- by the team, on the table at a dialogue session, then what happened or closed with a reason.
-- One row per step reached, with its date; each step is reached once.
CREATE TABLE contribution_path (
    contribution_id INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    step TEXT NOT NULL CHECK (step IN ('read', 'on_table', 'outcome', 'closed')),
    at TEXT NOT NULL,
    event_id INTEGER REFERENCES events (id) ON DELETE SET NULL,
    PRIMARY KEY (contribution_id, step)
) WITHOUT ROWID;
-- What happened (or why it was closed), written by a worker: in Dutch, and in other languages.
CREATE TABLE contribution_outcomes (
    contribution_id INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (contribution_id, language)
) WITHOUT ROWID;

-- What already happened: a worker's review read it, a link put it on the table.
INSERT INTO contribution_path (contribution_id, step, at)
SELECT id, 'read', reviewed_at FROM contributions WHERE reviewed_at IS NOT NULL;
INSERT INTO contribution_path (contribution_id, step, at, event_id)
SELECT contribution_id, 'on_table', MIN(linked_at), event_id FROM event_links
GROUP BY contribution_id;

-- News about a resident's own contribution goes through the outbox too, without an event: the
-- table is rebuilt (SQLite's way) with an optional event, a contribution, and one news per step.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES events (id) ON DELETE CASCADE,
    contribution_id INTEGER REFERENCES contributions (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (
        purpose IN ('invitation', 'announcement', 'reminder', 'cancellation', 'linked', 'outcome')
    ),
    text TEXT NOT NULL,
    buttons TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unreachable')),
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at TEXT NOT NULL,
    sent_at TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    message_id TEXT,
    delivered_at TEXT,
    read_at TEXT,
    teased_at TEXT,
    CHECK (event_id IS NOT NULL OR contribution_id IS NOT NULL),
    UNIQUE (event_id, resident_id, purpose),
    UNIQUE (contribution_id, purpose)
);
INSERT INTO outbox_new (
    id, resident_id, event_id, purpose, text, buttons, status, attempts, due_at, sent_at, error,
    created_at, message_id, delivered_at, read_at, teased_at
)
SELECT
    id, resident_id, event_id, purpose, text, buttons, status, attempts, due_at, sent_at, error,
    created_at, message_id, delivered_at, read_at, teased_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, due_at);
CREATE INDEX outbox_by_resident ON outbox (resident_id);
CREATE INDEX outbox_by_message_id ON outbox (message_id);
