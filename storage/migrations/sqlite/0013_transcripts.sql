-- A voice note's words, when a transcription service wrote them down: kept as its text, marked.
ALTER TABLE contributions ADD COLUMN transcribed INTEGER NOT NULL DEFAULT 0;
