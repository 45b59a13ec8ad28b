-- Workflows (issue 14): definitions as named documents, and runs with their record (the JSON the CLI and REST answer),
-- the definition they started with, a cancel flag any process may set, and the lease of the replica driving them.
CREATE TABLE IF NOT EXISTS workflows (
    name TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    updated INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS workflow_runs (
    id TEXT PRIMARY KEY,
    workflow TEXT NOT NULL,
    status TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    created INTEGER NOT NULL,
    definition TEXT NOT NULL,
    record TEXT NOT NULL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_expires INTEGER);
CREATE INDEX IF NOT EXISTS workflow_runs_by_workflow ON workflow_runs (workflow, created);
CREATE INDEX IF NOT EXISTS workflow_runs_by_status ON workflow_runs (status, created);
