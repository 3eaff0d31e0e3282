-- Where the personal data in a contribution's words is, found once when they arrive (JSON
-- [[kind, start, end], ...]) and by which version of the detectors: a report replaces it
-- without looking again. NULL, or an older version: looked for when the words are quoted.
ALTER TABLE contributions ADD COLUMN personal_data TEXT;
ALTER TABLE contributions ADD COLUMN anonymised_with INTEGER;
