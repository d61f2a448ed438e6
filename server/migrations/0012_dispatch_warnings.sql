-- Public warnings (预警信息) published as CAP 1.2. `warning` holds each warning's current content;
-- `warning_message` every CAP message emitted for it (Alert, then Update or Cancel), with the XML document
-- exactly as it was published: a CAP message never changes once sent, and later ones reference it.
CREATE TABLE warning (
  id               uuid        PRIMARY KEY,
  -- the region the warning belongs to (the scope key): who may update or cancel it
  region_code      varchar(15) NOT NULL,
  incident_id      uuid        REFERENCES incident (id),
  -- 演练: published with CAP status Exercise
  exercise         boolean     NOT NULL DEFAULT false,
  status           text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  categories       text[]      NOT NULL CHECK (cardinality(categories) >= 1),
  urgency          text        NOT NULL,
  severity         text        NOT NULL,
  certainty        text        NOT NULL,
  response_types   text[]      NOT NULL DEFAULT '{}',
  effective_at     timestamptz NOT NULL,
  onset_at         timestamptz,
  expires_at       timestamptz NOT NULL,
  -- { "zh": { event, headline, description, instruction, areaDesc }, "en": { … } }
  texts            jsonb       NOT NULL,
  -- { regionCodes, regionPolygons, polygons, circles } as given
  area             jsonb       NOT NULL,
  -- significant prefixes of the region and of every area region: the public feed filters on them
  area_prefixes    text[]      NOT NULL,
  contact          text,
  issued_by_id     uuid,
  issued_by_name   text        NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  cancelled_at     timestamptz,
  CONSTRAINT warning_expiry_chk CHECK (expires_at > effective_at)
);
CREATE INDEX warning_region_idx ON warning (region_code varchar_pattern_ops, created_at DESC);
-- the public feed reads active warnings not yet expired
CREATE INDEX warning_current_idx ON warning (expires_at) WHERE status = 'active';
CREATE INDEX warning_incident_idx ON warning (incident_id) WHERE incident_id IS NOT NULL;

-- Every CAP message of a warning, in order. `identifier` is the CAP identifier (unique for the sender);
-- `sent` is kept to the second, as CAP writes it, so `references` (sender,identifier,sent) match exactly.
CREATE TABLE warning_message (
  identifier   text        PRIMARY KEY CHECK (identifier ~ '^[A-Za-z0-9._:-]{1,200}$'),
  warning_id   uuid        NOT NULL REFERENCES warning (id),
  seq          integer     NOT NULL CHECK (seq >= 1),
  sender       text        NOT NULL,
  sent_at      timestamptz NOT NULL,
  msg_type     text        NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel')),
  status       text        NOT NULL CHECK (status IN ('Actual', 'Exercise')),
  "references" text,
  note         text,
  actor_name   text        NOT NULL,
  xml          text        NOT NULL,
  CONSTRAINT warning_message_seq_uq UNIQUE (warning_id, seq)
);
