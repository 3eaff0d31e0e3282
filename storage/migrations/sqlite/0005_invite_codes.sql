-- One-time codes a team member hands to a new community worker or team member (/join CODE).
CREATE TABLE invite_codes (
    code TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('worker', 'team')),
    created_by INTEGER REFERENCES residents (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_by INTEGER REFERENCES residents (id) ON DELETE SET NULL,
    used_at TEXT
);
