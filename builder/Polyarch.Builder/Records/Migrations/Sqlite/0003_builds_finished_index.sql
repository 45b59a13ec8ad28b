-- Retention and listings look builds up by when they finished.
CREATE INDEX IF NOT EXISTS builds_finished ON builds (finished_at);
