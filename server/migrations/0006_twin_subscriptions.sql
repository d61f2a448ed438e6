-- NGSI-LD subscriptions: who is notified of which entity changes, and how delivery has gone.
CREATE TABLE twin_subscription (
  id                text        PRIMARY KEY,
  owner_id          uuid,
  scope_prefix      varchar(15) NOT NULL,   -- the owner's scope when subscribing: notifications never leave it
  body              jsonb       NOT NULL,   -- the subscription as the client gave it (with its @context resolved)
  entity_types      text[]      NOT NULL DEFAULT '{}',  -- expanded
  entity_ids        text[]      NOT NULL DEFAULT '{}',
  id_pattern        text,
  watched           text[]      NOT NULL DEFAULT '{}',  -- expanded attribute names; empty = any
  q                 text,
  geo               jsonb,
  endpoint          text        NOT NULL,
  throttling        integer     NOT NULL DEFAULT 0 CHECK (throttling >= 0),
  active            boolean     NOT NULL DEFAULT true,
  expires_at        timestamptz,
  times_sent        integer     NOT NULL DEFAULT 0,
  times_failed      integer     NOT NULL DEFAULT 0,
  last_notification timestamptz,
  last_success      timestamptz,
  last_failure      timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  modified_at       timestamptz NOT NULL DEFAULT now()
);
-- matching looks subscriptions up by entity type (entity_types @> ARRAY[type])
CREATE INDEX twin_subscription_types_idx ON twin_subscription USING gin (entity_types);
