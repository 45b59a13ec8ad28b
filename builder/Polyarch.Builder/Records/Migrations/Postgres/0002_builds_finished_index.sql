-- Retention and listings look builds up by when they finished.
CREATE INDEX builds_finished ON builds (finished_at);
