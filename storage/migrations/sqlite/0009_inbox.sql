-- The inbox: every update is written here before the platform is told it arrived, and handled
-- from here, so a crash, a locked database or a full disk loses nothing a resident sent.
-- received → handled (the conversation's state and the replies in one transaction) → answered
-- (the replies went out; the update and the replies are erased, the id stays a week so a
-- redelivered update is recognised).
CREATE TABLE inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    update_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    payload TEXT,
    replies TEXT,
    status TEXT NOT NULL DEFAULT 'received'
        CHECK (status IN ('received', 'handled', 'answered')),
    received_at TEXT NOT NULL,
    UNIQUE (channel, update_id)
);
CREATE INDEX inbox_by_status ON inbox (channel, status, id);
CREATE INDEX inbox_by_sender ON inbox (channel, sender, id);
-- Replaced by the inbox, which deduplicates as it receives.
DROP TABLE processed_updates;
