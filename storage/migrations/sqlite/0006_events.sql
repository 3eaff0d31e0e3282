-- Invitations: NULL not asked yet, 0 no (the default), 1 yes. unreachable_at: the resident
-- blocked the bot, so nothing more is sent to them.
ALTER TABLE residents ADD COLUMN invitations INTEGER;
ALTER TABLE residents ADD COLUMN unreachable_at TEXT;

-- Events workers invite residents to, and announcements (/broadcast) sent the same way.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('event', 'announcement')),
    created_by INTEGER REFERENCES residents (id) ON DELETE SET NULL,
    starts_at TEXT,
    place TEXT NOT NULL DEFAULT '',
    neighbourhoods TEXT NOT NULL DEFAULT '[]',
    pillars TEXT NOT NULL DEFAULT '[]',
    capacity INTEGER,
    audience TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'cancelled')),
    created_at TEXT NOT NULL,
    sent_at TEXT,
    cancelled_at TEXT,
    reminded_at TEXT,
    attended INTEGER
);
CREATE INDEX events_by_start ON events (status, starts_at);

-- The title and description in Dutch and in any other language a worker wrote them in.
CREATE TABLE event_texts (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, language)
);

-- A resident's answer to an invitation; the latest answer counts.
CREATE TABLE rsvps (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    resident_id INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    answer TEXT NOT NULL CHECK (answer IN ('going', 'maybe', 'no')),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (event_id, resident_id)
);

-- "You said, we did": contributions an event or announcement answers.
CREATE TABLE event_links (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    contribution_id INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (event_id, contribution_id)
);

-- One row per message to one resident, worked by the sender. The unique key makes queueing
-- the same message twice a no-op; a row is only ever sent while it is pending or sending.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL
        CHECK (purpose IN ('invitation', 'announcement', 'reminder', 'cancellation', 'linked')),
    text TEXT NOT NULL,
    buttons TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unreachable')),
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at TEXT NOT NULL,
    sent_at TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (event_id, resident_id, purpose)
);
CREATE INDEX outbox_due ON outbox (status, due_at);
