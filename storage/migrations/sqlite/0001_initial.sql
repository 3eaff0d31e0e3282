-- Residents who agreed to the privacy terms; nobody is stored before that.
CREATE TABLE residents (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    channel_user_id TEXT NOT NULL,
    language TEXT NOT NULL,
    neighbourhood TEXT,
    consented_at TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'resident' CHECK (role IN ('resident', 'worker', 'team')),
    state TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    UNIQUE (channel, channel_user_id)
);

CREATE TABLE contributions (
    id INTEGER PRIMARY KEY,
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
    channel_message_id TEXT
);
CREATE INDEX contributions_by_resident ON contributions (resident_id);

-- One row per pillar a source gave. The resident's judgement counts once confirmed_at is set,
-- so confirming "none of these" is kept too.
CREATE TABLE contribution_pillars (
    contribution_id INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('auto', 'resident', 'worker')),
    pillar TEXT NOT NULL,
    score REAL NOT NULL DEFAULT 1.0,
    terms TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (contribution_id, source, pillar)
);

-- Update ids already handled, so a redelivered update is handled once.
CREATE TABLE processed_updates (
    channel TEXT NOT NULL,
    update_id TEXT NOT NULL,
    handled_at TEXT NOT NULL,
    PRIMARY KEY (channel, update_id)
);
