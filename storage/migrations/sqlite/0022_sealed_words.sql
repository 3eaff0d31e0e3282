-- Words are sealed with their author's key (storage/keys.py). An outbox row's text is sealed
-- with this person's key when it carries their words (NULL: not sealed).
ALTER TABLE outbox ADD COLUMN sealed_for TEXT;
-- Quotes prefer short words, which the database can no longer measure once they are sealed.
ALTER TABLE contributions ADD COLUMN text_length INTEGER NOT NULL DEFAULT 0;
UPDATE contributions SET text_length = LENGTH(text);
