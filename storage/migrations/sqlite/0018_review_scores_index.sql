-- Whether a message waits for review depends on the tagger's best score: read from this index
-- alone, so counting the messages waiting (in /review and in every report) visits no row.
CREATE INDEX contribution_pillars_by_score ON contribution_pillars (contribution_id, source, score);
