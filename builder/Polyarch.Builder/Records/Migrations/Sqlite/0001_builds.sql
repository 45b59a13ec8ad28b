-- The schema of the first releases (created with CREATE TABLE IF NOT EXISTS before migrations existed): a database
-- made by them already has these tables, and this script only records that it is at version 1.
CREATE TABLE IF NOT EXISTS builds (
    id TEXT PRIMARY KEY,
    source_url TEXT NOT NULL,
    registry TEXT NOT NULL,
    repository TEXT NOT NULL,
    commit_sha TEXT NOT NULL,
    branch TEXT,
    is_default INTEGER NOT NULL,
    platforms TEXT NOT NULL,
    trigger TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    reuse_of TEXT,
    superseded_by TEXT,
    images TEXT,
    timings TEXT,
    retries TEXT,
    error TEXT);
CREATE INDEX IF NOT EXISTS builds_key ON builds (registry, repository, commit_sha, platforms);
CREATE INDEX IF NOT EXISTS builds_status ON builds (status);
CREATE TABLE IF NOT EXISTS deliveries (
    delivery_id TEXT PRIMARY KEY,
    build_id TEXT NOT NULL,
    received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS build_logs (
    build_id TEXT NOT NULL,
    platform TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (build_id, platform));
