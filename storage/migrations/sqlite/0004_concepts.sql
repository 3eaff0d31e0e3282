-- The lexicon concepts found in a contribution (JSON list, strongest first), so themes can be
-- counted across languages without tagging every text again.
ALTER TABLE contributions ADD COLUMN concepts TEXT NOT NULL DEFAULT '[]';

CREATE INDEX contributions_by_created ON contributions (created_at);
