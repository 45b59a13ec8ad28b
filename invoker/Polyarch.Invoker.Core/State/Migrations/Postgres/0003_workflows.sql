-- Workflows (issue 14): definitions as named documents, and runs with their record (the JSON the CLI and REST answer),
-- the definition they started with, a cancel flag any replica may set, and the lease of the replica driving them.
CREATE TABLE workflows (
    name text PRIMARY KEY,
    definition text NOT NULL,
    updated bigint NOT NULL);
CREATE TABLE workflow_runs (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    workflow text NOT NULL,
    status text NOT NULL,
    idempotency_key text UNIQUE,
    created bigint NOT NULL,
    definition text NOT NULL,
    record text NOT NULL,
    cancel_requested integer NOT NULL DEFAULT 0,
    lease_owner text,
    lease_expires bigint);
CREATE INDEX workflow_runs_by_workflow ON workflow_runs (workflow, created);
CREATE INDEX workflow_runs_by_status ON workflow_runs (status, created);
