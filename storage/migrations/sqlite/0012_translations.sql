-- Machine translations of quoted words, one per contribution and report language, so a text is
-- sent to the translation service once; `/forget` deletes them with the contribution.
CREATE TABLE translations (
    contribution_id INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    translation TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (contribution_id, target)
);
