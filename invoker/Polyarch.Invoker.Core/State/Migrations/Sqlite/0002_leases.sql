-- Leases (owner, expiry in Unix ms on the invoker's clock) on the work a replica takes up: pushes, firings and
-- accepted non-blocking activations. One SQLite file has one process, but the stores share their SQL with PostgreSQL.
ALTER TABLE pushes ADD COLUMN lease_owner TEXT;
ALTER TABLE pushes ADD COLUMN lease_expires INTEGER;
ALTER TABLE firings ADD COLUMN lease_owner TEXT;
ALTER TABLE firings ADD COLUMN lease_expires INTEGER;
ALTER TABLE accepted_activations ADD COLUMN lease_owner TEXT;
ALTER TABLE accepted_activations ADD COLUMN lease_expires INTEGER;
CREATE INDEX IF NOT EXISTS firings_by_state ON firings (state, created);
