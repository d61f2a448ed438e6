-- Platform: extensions and the transactional outbox.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Domain events written in the same transaction as the change; delivered by the in-process dispatcher
-- (and, with federation, bridged to NATS JetStream). The table is the source of truth, the bus the transport.
CREATE TABLE outbox (
  id           bigserial PRIMARY KEY,
  topic        text        NOT NULL,
  aggregate_id text,
  region_code  varchar(15),
  payload      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts     integer     NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_error   text
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL;
