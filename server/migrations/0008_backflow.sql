-- Back-flow (数据回流): data sets held at a higher level, published back to the regions they concern.
-- Rows are kept as slowly-changing history, so that every published version can be read again.
CREATE TABLE dataset (
  id                    uuid        PRIMARY KEY,
  code                  text        NOT NULL CHECK (code ~ '^[a-z][a-z0-9-]{1,63}$'),
  name                  text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description           text,
  owner_organization_id uuid        NOT NULL REFERENCES organization (id),
  owner_region_code     varchar(15) NOT NULL,
  -- the owner region's significant prefix: every row's region starts with it
  owner_region_prefix   varchar(15) NOT NULL,
  classification        text        NOT NULL DEFAULT 'internal' CHECK (classification IN ('public', 'internal', 'sensitive', 'core')),
  key_field             text        NOT NULL,
  region_field          text        NOT NULL,
  -- [{ name, type, label, required }]: what a row may hold
  fields                jsonb       NOT NULL,
  current_version       integer     NOT NULL DEFAULT 0 CHECK (current_version >= 0),
  created_by            uuid,
  created_at            timestamptz NOT NULL DEFAULT now(),
  modified_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX dataset_code_uq ON dataset (code);
CREATE INDEX dataset_owner_prefix_idx ON dataset (owner_region_prefix varchar_pattern_ops);

-- One published version: where it came from and what it changed against the version before.
CREATE TABLE dataset_version (
  dataset_id        uuid        NOT NULL REFERENCES dataset (id),
  version           integer     NOT NULL CHECK (version >= 1),
  source            text        NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
  note              text,
  published_at      timestamptz NOT NULL DEFAULT now(),
  published_by      uuid,
  published_by_name text        NOT NULL,
  rows_added        integer     NOT NULL DEFAULT 0,
  rows_changed      integer     NOT NULL DEFAULT 0,
  rows_removed      integer     NOT NULL DEFAULT 0,
  rows_total        integer     NOT NULL DEFAULT 0,
  -- set when the version applies an accepted correction
  correction_id     bigint,
  CONSTRAINT dataset_version_pk PRIMARY KEY (dataset_id, version)
);

-- A row is visible in versions [valid_from_version, valid_to_version); NULL = still current.
CREATE TABLE dataset_row (
  id                 bigserial   PRIMARY KEY,
  dataset_id         uuid        NOT NULL REFERENCES dataset (id),
  row_key            text        NOT NULL CHECK (length(row_key) BETWEEN 1 AND 200),
  region_code        varchar(15) NOT NULL,
  data               jsonb       NOT NULL,
  valid_from_version integer     NOT NULL,
  valid_to_version   integer,
  CONSTRAINT dataset_row_versions_chk CHECK (valid_to_version IS NULL OR valid_to_version > valid_from_version)
);
CREATE UNIQUE INDEX dataset_row_current_uq ON dataset_row (dataset_id, row_key) WHERE valid_to_version IS NULL;
CREATE INDEX dataset_row_region_idx ON dataset_row (dataset_id, region_code varchar_pattern_ops);
CREATE INDEX dataset_row_key_idx ON dataset_row (dataset_id, row_key, valid_from_version);

-- A correction proposed from below; the owner accepts (a new version) or rejects it.
CREATE TABLE dataset_correction (
  id                bigserial   PRIMARY KEY,
  dataset_id        uuid        NOT NULL REFERENCES dataset (id),
  row_key           text        NOT NULL,
  region_code       varchar(15) NOT NULL,
  -- the version of the row the proposer saw, and its values of the fields to change
  base_version      integer     NOT NULL,
  before            jsonb       NOT NULL,
  changes           jsonb       NOT NULL,
  reason            text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  proposed_by       uuid,
  proposed_by_name  text        NOT NULL,
  proposed_at       timestamptz NOT NULL DEFAULT now(),
  status            text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
  decided_by        uuid,
  decided_by_name   text,
  decided_at        timestamptz,
  decision_note     text,
  resulting_version integer,
  CONSTRAINT dataset_correction_decision_chk CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX dataset_correction_dataset_idx ON dataset_correction (dataset_id, status, id);
CREATE INDEX dataset_correction_region_idx ON dataset_correction (dataset_id, region_code varchar_pattern_ops);
CREATE INDEX dataset_correction_proposer_idx ON dataset_correction (proposed_by);
