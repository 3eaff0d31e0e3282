-- A row being sent is leased: only a lease that ran out (its sender died) is sent again.
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
