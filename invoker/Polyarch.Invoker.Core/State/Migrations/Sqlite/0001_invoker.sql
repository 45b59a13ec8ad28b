-- The schema of the releases before migrations (created on first open, CREATE TABLE IF NOT EXISTS): their
-- invoker.db files are adopted as they are and upgraded by the scripts after this one.
CREATE TABLE IF NOT EXISTS actions (
    name TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    updated INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS activations (
    id TEXT PRIMARY KEY,
    action TEXT NOT NULL,
    start INTEGER NOT NULL,
    status TEXT NOT NULL,
    record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS activations_by_action ON activations (action, start);
CREATE INDEX IF NOT EXISTS activations_by_start ON activations (start);
CREATE TABLE IF NOT EXISTS accepted_activations (
    id TEXT PRIMARY KEY,
    target TEXT NOT NULL,
    params TEXT NOT NULL,
    platform TEXT,
    state TEXT NOT NULL,
    accepted INTEGER NOT NULL,
    started INTEGER);
CREATE TABLE IF NOT EXISTS rules (
    name TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    updated INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pushes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    registry TEXT NOT NULL,
    repository TEXT NOT NULL,
    tag TEXT NOT NULL,
    digest TEXT NOT NULL,
    media_type TEXT NOT NULL,
    source TEXT NOT NULL,
    received INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',
    error TEXT);
CREATE INDEX IF NOT EXISTS pushes_by_state ON pushes (state, id);
CREATE TABLE IF NOT EXISTS seen_tags (
    registry TEXT NOT NULL,
    repository TEXT NOT NULL,
    tag TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (registry, repository, tag));
CREATE TABLE IF NOT EXISTS firings (
    rule TEXT NOT NULL,
    repository TEXT NOT NULL,
    digest TEXT NOT NULL,
    push_id INTEGER NOT NULL,
    target TEXT NOT NULL,
    params TEXT NOT NULL,
    activations TEXT NOT NULL,
    state TEXT NOT NULL,
    created INTEGER NOT NULL,
    PRIMARY KEY (rule, repository, digest));
