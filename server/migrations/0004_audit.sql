-- The audit log (审计日志): append-only, hash-chained. Each record's hash covers the previous hash and
-- the canonical JSON of the record (jsonb does not keep key order, so the hash never reads jsonb text).
CREATE TABLE audit_log (
  seq           bigint      PRIMARY KEY,
  at            timestamptz NOT NULL,
  actor_id      uuid,
  actor_name    text,
  action        text        NOT NULL,
  resource_type text,
  resource_id   text,
  region_code   varchar(15),
  outcome       text        NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
  reason        text,
  request_id    text,
  ip            text,
  details       jsonb       NOT NULL DEFAULT '{}',
  algorithm     text        NOT NULL CHECK (algorithm IN ('sha256', 'sm3')),
  prev_hash     text        NOT NULL,
  hash          text        NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);
CREATE INDEX audit_log_action_idx ON audit_log (action);
CREATE INDEX audit_log_region_idx ON audit_log (region_code varchar_pattern_ops);

-- Append-only: no update or delete through any connection that honours triggers.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
