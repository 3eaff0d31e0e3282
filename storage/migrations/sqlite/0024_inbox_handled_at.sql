-- When an update was handled: its replies are in its process's hands for a while after, and
-- only then may another process send them (a kept reply), or they would go twice.
ALTER TABLE inbox ADD COLUMN handled_at TEXT;
