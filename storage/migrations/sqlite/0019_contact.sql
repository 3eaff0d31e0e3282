-- The first name a worker chose to be shown by to the residents they write to.
ALTER TABLE residents ADD COLUMN signs_as TEXT;

-- A worker and the author of a contribution who asked to be contacted (or to help) write to
-- each other: one conversation per contribution, open until either side ends it.
CREATE TABLE contact_threads (
    id INTEGER PRIMARY KEY,
    contribution_id INTEGER NOT NULL UNIQUE REFERENCES contributions (id) ON DELETE CASCADE,
    worker_id INTEGER REFERENCES residents (id) ON DELETE SET NULL,
    opened_at TEXT NOT NULL,
    ended_at TEXT,
    ended_by TEXT CHECK (ended_by IN ('worker', 'resident'))
);
CREATE INDEX contact_threads_by_worker ON contact_threads (worker_id);
-- The requests workers see: those whose author asked for contact, oldest first.
CREATE INDEX contributions_wanting_contact ON contributions (created_at)
WHERE wants_contact = 1 AND hidden_at IS NULL;
-- What each side wrote, and who ended it; deleted with the contribution (/forget).
CREATE TABLE contact_messages (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES contact_threads (id) ON DELETE CASCADE,
    sender TEXT NOT NULL CHECK (sender IN ('worker', 'resident')),
    kind TEXT NOT NULL CHECK (kind IN ('words', 'end')),
    text TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX contact_messages_by_thread ON contact_messages (thread_id);

-- Each of those messages goes to the other side through the outbox: rebuilt (SQLite's way) with
-- the message it carries and a purpose for it.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES events (id) ON DELETE CASCADE,
    contribution_id INTEGER REFERENCES contributions (id) ON DELETE CASCADE,
    contact_message_id INTEGER UNIQUE REFERENCES contact_messages (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (
        purpose IN (
            'invitation', 'announcement', 'reminder', 'cancellation', 'linked', 'outcome',
            'contact'
        )
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
    CHECK (
        event_id IS NOT NULL OR contribution_id IS NOT NULL OR contact_message_id IS NOT NULL
    ),
    UNIQUE (event_id, resident_id, purpose),
    UNIQUE (contribution_id, purpose)
);
INSERT INTO outbox_new (
    id, resident_id, event_id, contribution_id, purpose, text, buttons, status, attempts, due_at,
    sent_at, error, created_at, message_id, delivered_at, read_at, teased_at
)
SELECT
    id, resident_id, event_id, contribution_id, purpose, text, buttons, status, attempts, due_at,
    sent_at, error, created_at, message_id, delivered_at, read_at, teased_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, due_at);
CREATE INDEX outbox_by_resident ON outbox (resident_id);
CREATE INDEX outbox_by_message_id ON outbox (message_id);
