-- People are named with their channel, `telegram:123`, `whatsapp:…`, `console:local`, so one
-- person model, the settings' roles and the inbox's senders serve every channel alike.
ALTER TABLE residents RENAME COLUMN channel_user_id TO person;
UPDATE residents SET person = channel || ':' || person WHERE person NOT LIKE channel || ':%';
UPDATE inbox SET sender = channel || ':' || sender WHERE sender NOT LIKE channel || ':%';
