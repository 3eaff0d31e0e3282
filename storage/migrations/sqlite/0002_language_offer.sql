-- When the bot offered a resident to switch to the language they write in (it offers once).
ALTER TABLE residents ADD COLUMN language_offered_at TEXT;
