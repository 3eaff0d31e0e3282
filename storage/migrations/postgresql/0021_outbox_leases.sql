-- A row being sent is leased to its sender until this moment; only an expired lease is taken back.
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
