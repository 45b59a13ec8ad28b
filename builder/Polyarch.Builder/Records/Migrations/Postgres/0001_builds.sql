-- The build store on PostgreSQL. Times the records carry are ISO-8601 text like SQLite's (one row reader for both);
-- the lease is a real timestamptz because claims compare it.
CREATE TABLE builds (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    source_url text NOT NULL,
    registry text NOT NULL,
    repository text NOT NULL,
    commit_sha text NOT NULL,
    branch text,
    is_default integer NOT NULL,
    platforms text NOT NULL,
    trigger text NOT NULL,
    status text NOT NULL,
    created_at text NOT NULL,
    started_at text,
    finished_at text,
    attempts integer NOT NULL DEFAULT 0,
    reuse_of text,
    superseded_by text,
    images text,
    timings text,
    retries text,
    error text,
    warnings text,
    lease_owner text,
    lease_expires timestamptz);
CREATE INDEX builds_key ON builds (registry, repository, commit_sha, platforms);
CREATE INDEX builds_status ON builds (status, seq);
CREATE TABLE deliveries (
    delivery_id text PRIMARY KEY,
    build_id text NOT NULL,
    received_at text NOT NULL);
CREATE TABLE build_logs (
    build_id text NOT NULL,
    platform text NOT NULL,
    text text NOT NULL,
    PRIMARY KEY (build_id, platform));
