-- Automatic intake (自动感知): rules that watch a numeric attribute of twin entities of a type in a region and
-- report an incident when it crosses a threshold — a fixed value or another attribute of the same entity
-- (a water-level station's own warning level). One open incident per rule and entity: later readings
-- over the threshold do not report again until that incident is closed.
CREATE TABLE incident_intake_rule (
  id                  uuid             PRIMARY KEY,
  name                text             NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  region_code         varchar(15)      NOT NULL,
  entity_type         text             NOT NULL CHECK (length(entity_type) BETWEEN 1 AND 200),
  attribute           text             NOT NULL CHECK (attribute ~ '^[A-Za-z][A-Za-z0-9_]{0,99}$'),
  comparison          text             NOT NULL CHECK (comparison IN ('gt', 'gte', 'lt', 'lte')),
  threshold           double precision,
  threshold_attribute text             CHECK (threshold_attribute ~ '^[A-Za-z][A-Za-z0-9_]{0,99}$'),
  incident_type       text             NOT NULL,
  grade               smallint         NOT NULL CHECK (grade BETWEEN 1 AND 4),
  active              boolean          NOT NULL DEFAULT true,
  fired               integer          NOT NULL DEFAULT 0,
  last_fired_at       timestamptz,
  created_by          uuid,
  created_by_name     text             NOT NULL,
  created_at          timestamptz      NOT NULL DEFAULT now(),
  modified_at         timestamptz      NOT NULL DEFAULT now(),
  CONSTRAINT incident_intake_threshold_chk CHECK ((threshold IS NULL) <> (threshold_attribute IS NULL))
);
CREATE INDEX incident_intake_rule_type_idx ON incident_intake_rule (entity_type) WHERE active;
CREATE INDEX incident_intake_rule_region_idx ON incident_intake_rule (region_code varchar_pattern_ops);

-- The incident each rule last raised (or joined, as a duplicate) for an entity: while it is open, the
-- entity's later readings over the threshold report nothing new.
CREATE TABLE incident_intake_state (
  rule_id     uuid        NOT NULL REFERENCES incident_intake_rule (id),
  entity_id   text        NOT NULL,
  incident_id uuid        NOT NULL REFERENCES incident (id),
  value       double precision NOT NULL,
  fired_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rule_id, entity_id)
);
