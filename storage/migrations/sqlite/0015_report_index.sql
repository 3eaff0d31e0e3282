-- Everything a report counts, in one index by date: its figures are read from the index alone,
-- without visiting the contributions' rows (and their words). It replaces the index on the date.
CREATE INDEX contributions_for_reports ON contributions (
    created_at, hidden_at, neighbourhood, kind, language, resident_id, may_quote, wants_contact,
    reviewed_at, confirmed_at
);
DROP INDEX contributions_by_created;
