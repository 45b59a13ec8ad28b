-- The invoker's store on PostgreSQL, shared by replicas. Times are Unix milliseconds (bigint) on the invoker's
-- clock, as in SQLite, so both providers share their SQL; seq gives PostgreSQL the insertion order SQLite's rowid has.
CREATE TABLE actions (
    name text PRIMARY KEY,
    definition text NOT NULL,
    updated bigint NOT NULL);
CREATE TABLE activations (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    action text NOT NULL,
    start bigint NOT NULL,
    status text NOT NULL,
    record text NOT NULL);
CREATE INDEX activations_by_action ON activations (action, start);
CREATE INDEX activations_by_start ON activations (start);
CREATE TABLE accepted_activations (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    target text NOT NULL,
    params text NOT NULL,
    platform text,
    state text NOT NULL,
    accepted bigint NOT NULL,
    started bigint,
    lease_owner text,
    lease_expires bigint);
CREATE TABLE rules (
    name text PRIMARY KEY,
    definition text NOT NULL,
    updated bigint NOT NULL);
CREATE TABLE pushes (
    id bigserial PRIMARY KEY,
    registry text NOT NULL,
    repository text NOT NULL,
    tag text NOT NULL,
    digest text NOT NULL,
    media_type text NOT NULL,
    source text NOT NULL,
    received bigint NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    state text NOT NULL DEFAULT 'pending',
    error text,
    lease_owner text,
    lease_expires bigint);
CREATE INDEX pushes_by_state ON pushes (state, id);
-- Every replica receives the registry's notifications: the same push is stored (pending) once.
CREATE UNIQUE INDEX pushes_one_pending ON pushes (registry, repository, tag, digest) WHERE state = 'pending';
CREATE TABLE seen_tags (
    registry text NOT NULL,
    repository text NOT NULL,
    tag text NOT NULL,
    digest text NOT NULL,
    PRIMARY KEY (registry, repository, tag));
CREATE TABLE firings (
    rule text NOT NULL,
    repository text NOT NULL,
    digest text NOT NULL,
    push_id bigint NOT NULL,
    target text NOT NULL,
    params text NOT NULL,
    activations text NOT NULL,
    state text NOT NULL,
    created bigint NOT NULL,
    lease_owner text,
    lease_expires bigint,
    PRIMARY KEY (rule, repository, digest));
CREATE INDEX firings_by_state ON firings (state, created);
