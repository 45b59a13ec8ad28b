-- The activations are listed newest first (activations list, REST, the dashboard): ORDER BY start DESC, seq DESC. SQLite's
-- indexes on start carry the rowid, so they already yield that order; PostgreSQL's need seq as their last column, or the
-- planner adds a sort. That sort is cheap with fresh statistics (an incremental sort of the first start), but on a table
-- autovacuum had not analyzed yet — 1,000,000 rows just copied in (bench P9) — the planner expected millions of rows,
-- chose a parallel plan, and each newest-50 took 47–100 ms instead of 0.5 ms. With the order in the index it reads 50
-- index entries backwards whatever the statistics say. The retention's `start < @before` uses the new index as well.
-- A store already large builds the two once, at the upgrade; writes to activations wait meanwhile (3 s per million rows here).
CREATE INDEX activations_newest ON activations (start, seq);
DROP INDEX activations_by_start;
CREATE INDEX activations_by_action_newest ON activations (action, start, seq);
DROP INDEX activations_by_action;
