-- Media a resident sent, kept here: a WhatsApp media URL lasts minutes, so a photo or voice
-- note is downloaded at once and shown again (to a worker) from here. /forget deletes it.
CREATE TABLE media (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX media_by_person ON media (person);
-- What the channel said of a sent message (WhatsApp's statuses), by the id it gave it.
ALTER TABLE outbox ADD COLUMN message_id TEXT;
ALTER TABLE outbox ADD COLUMN delivered_at TEXT;
ALTER TABLE outbox ADD COLUMN read_at TEXT;
CREATE INDEX outbox_by_message_id ON outbox (message_id);
-- A queued message that could not go as it is (WhatsApp's 24 hours since the resident last
-- wrote had passed): a template told them, and the message follows when they answer.
ALTER TABLE outbox ADD COLUMN teased_at TEXT;
