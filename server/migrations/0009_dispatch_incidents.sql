-- Incidents (事件): reports from the console, the API, Open311 and other modules, graded I–IV, placed in
-- the smallest region containing them, commanded from the county, city or province, with SLA due times
-- and a timeline of every action. Incident types and their SLAs are a catalogue in code
-- (server/modules/dispatch/incident-types.ts); type_code names a leaf of it.
CREATE TABLE incident (
  id                   uuid             PRIMARY KEY,
  type_code            text             NOT NULL CHECK (type_code ~ '^[a-z][a-z0-9-]{1,63}$'),
  -- 1 = I 特别重大 … 4 = IV 一般
  grade                smallint         NOT NULL CHECK (grade BETWEEN 1 AND 4),
  status               text             NOT NULL DEFAULT 'reported'
                         CHECK (status IN ('reported', 'verified', 'responding', 'resolved', 'evaluated', 'closed', 'rejected')),
  title                text             NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description          text             NOT NULL DEFAULT '',
  region_code          varchar(15)      NOT NULL,
  -- where command sits: the county (IV), city (III) or province (II, I), raised by escalations
  command_region_code  varchar(15)      NOT NULL,
  escalations          smallint         NOT NULL DEFAULT 0 CHECK (escalations >= 0),
  lon                  double precision CHECK (lon BETWEEN -180 AND 180),
  lat                  double precision CHECK (lat BETWEEN -90 AND 90),
  address              text,
  source               text             NOT NULL CHECK (source IN ('console', 'api', 'open311', 'twin', 'indicator', 'demo')),
  -- 演练: a drill's incidents are kept out of real statistics
  exercise             boolean          NOT NULL DEFAULT false,
  reporter_user_id     uuid,
  reporter_name        text,
  reporter_phone       text,
  reporter_email       text,
  reported_by_name     text             NOT NULL,
  attributes           jsonb            NOT NULL DEFAULT '{}',
  media_url            text,
  duplicate_count      integer          NOT NULL DEFAULT 0 CHECK (duplicate_count >= 0),
  reported_at          timestamptz      NOT NULL DEFAULT now(),
  due_verify_at        timestamptz      NOT NULL,
  due_respond_at       timestamptz      NOT NULL,
  due_resolve_at       timestamptz      NOT NULL,
  verified_at          timestamptz,
  responded_at         timestamptz,
  resolved_at          timestamptz,
  evaluated_at         timestamptz,
  closed_at            timestamptz,
  rating               smallint         CHECK (rating BETWEEN 1 AND 5),
  -- the stage (status) whose deadline passed and was put under supervision (督办); NULL = none
  supervised_stage     text,
  supervised_at        timestamptz,
  updated_at           timestamptz      NOT NULL DEFAULT now(),
  CONSTRAINT incident_location_chk CHECK ((lon IS NULL) = (lat IS NULL))
);
CREATE INDEX incident_region_idx ON incident (region_code varchar_pattern_ops, reported_at DESC);
CREATE INDEX incident_command_idx ON incident (command_region_code);
CREATE INDEX incident_reported_idx ON incident (reported_at DESC);
-- duplicates are looked up among open incidents of one type reported lately
CREATE INDEX incident_open_type_idx ON incident (type_code, reported_at DESC) WHERE status IN ('reported', 'verified', 'responding');

-- Every action on an incident: who, when, what, and the note they gave.
CREATE TABLE incident_timeline (
  id           bigserial   PRIMARY KEY,
  incident_id  uuid        NOT NULL REFERENCES incident (id),
  at           timestamptz NOT NULL DEFAULT now(),
  action       text        NOT NULL,
  actor_id     uuid,
  actor_name   text        NOT NULL,
  from_status  text,
  to_status    text,
  note         text,
  details      jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, id);

-- Citizen reporters' personal data is masked for those without clearance.
INSERT INTO field_classification (entity, field, classification, masking) VALUES
  ('incident', 'reporterName', 'sensitive', 'name'),
  ('incident', 'reporterPhone', 'sensitive', 'phone'),
  ('incident', 'reporterEmail', 'sensitive', 'email');
