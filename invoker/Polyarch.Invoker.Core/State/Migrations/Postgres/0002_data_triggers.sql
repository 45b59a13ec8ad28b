-- Data triggers (issue 14): a push may be an OCI artifact (its config's media type; NULL for an image), a firing may
-- start a workflow (its name and the trigger it passes, JSON) instead of activations, and each scheduled rule keeps
-- the last occurrence it fired (Unix ms) so a restart neither misses nor repeats one.
ALTER TABLE pushes ADD COLUMN config_media_type text;
ALTER TABLE firings ADD COLUMN workflow text;
ALTER TABLE firings ADD COLUMN workflow_trigger text;
CREATE TABLE schedules (
    rule text PRIMARY KEY,
    cron text NOT NULL,
    last_occurrence bigint NOT NULL);
