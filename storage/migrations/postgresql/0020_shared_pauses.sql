-- A 429 pauses every process sending on that channel (one bot token), until this moment.
CREATE TABLE pauses (channel TEXT PRIMARY KEY, until TEXT NOT NULL);
