-- The W3C traceparent of the push that asked for the build (webhook, post-receive or CLI), so the build's spans join its trace.
ALTER TABLE builds ADD COLUMN trace_parent TEXT;
