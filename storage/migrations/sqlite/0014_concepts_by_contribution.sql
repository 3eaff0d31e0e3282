-- Each contribution's concepts one to a row (position 0: its main topic), so a report counts
-- themes and picks quotes in SQL instead of reading every contribution into memory.
CREATE TABLE contribution_concepts (
    contribution_id INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    concept TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (contribution_id, concept)
) WITHOUT ROWID;
CREATE INDEX contribution_concepts_by_concept ON contribution_concepts (concept, position);

INSERT OR IGNORE INTO contribution_concepts (contribution_id, concept, position)
SELECT c.id, found.value, found.key FROM contributions c, json_each(c.concepts) found
ORDER BY c.id, found.key;
