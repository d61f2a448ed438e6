-- Contingency plans (预案) as structured, versioned data: a plan owned by a region, its versions (triggers
-- and response levels I–IV with steps, resource requirements and warning texts) moving through
-- draft → reviewed → published → drilled → evaluated → revised, every state change recorded, the
-- binding of a version's abstract roles to the organizations of a region, and which version each
-- activation used.

CREATE TABLE plan (
  id                    uuid        PRIMARY KEY,
  code                  text        NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
  name                  text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- an incident type code (a leaf or a category of the catalogue in incident-types.ts)
  scenario_type         text        NOT NULL,
  -- the owner region: the plan's scope
  region_code           varchar(15) NOT NULL,
  owner_organization_id uuid        NOT NULL REFERENCES organization (id),
  -- the status of the latest version, for the library's filters
  status                text        NOT NULL,
  latest_version        integer     NOT NULL CHECK (latest_version >= 1),
  -- the version that applies now (published, drilled or evaluated), if any
  published_version     integer,
  -- where a replicated plan (复制推广) came from: source region, code and version
  imported_from         jsonb,
  created_by            uuid,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plan_region_code_uq UNIQUE (region_code, code)
);
CREATE INDEX plan_region_idx ON plan (region_code varchar_pattern_ops);
CREATE INDEX plan_scenario_idx ON plan (scenario_type);

CREATE TABLE plan_version (
  plan_id            uuid          NOT NULL REFERENCES plan (id),
  version            integer       NOT NULL CHECK (version >= 1),
  status             text          NOT NULL CHECK (status IN ('draft', 'reviewed', 'published', 'drilled', 'evaluated', 'revised')),
  name               text          NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  applicable_regions varchar(15)[] NOT NULL CHECK (cardinality(applicable_regions) >= 1),
  triggers           jsonb         NOT NULL,
  levels             jsonb         NOT NULL,
  -- the version this one was revised from
  based_on           integer,
  created_by         uuid,
  created_by_name    text          NOT NULL,
  created_at         timestamptz   NOT NULL DEFAULT now(),
  updated_at         timestamptz   NOT NULL DEFAULT now(),
  published_at       timestamptz,
  CONSTRAINT plan_version_pk PRIMARY KEY (plan_id, version)
);
-- activePlanVersion looks for the applying versions by region
CREATE INDEX plan_version_regions_idx ON plan_version USING gin (applicable_regions) WHERE status IN ('published', 'drilled', 'evaluated');

-- The backstop under "a published version is immutable": only a draft's content changes.
CREATE FUNCTION plan_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' AND (NEW.name IS DISTINCT FROM OLD.name OR NEW.applicable_regions IS DISTINCT FROM OLD.applicable_regions
      OR NEW.triggers IS DISTINCT FROM OLD.triggers OR NEW.levels IS DISTINCT FROM OLD.levels) THEN
    RAISE EXCEPTION 'plan version % of plan % is %, its content cannot change', OLD.version, OLD.plan_id, OLD.status USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER plan_version_immutable_trg BEFORE UPDATE ON plan_version FOR EACH ROW EXECUTE FUNCTION plan_version_immutable();

-- Every state change of a version: who, when, from what to what, and why.
CREATE TABLE plan_version_event (
  id          bigserial   PRIMARY KEY,
  plan_id     uuid        NOT NULL,
  version     integer     NOT NULL,
  action      text        NOT NULL,
  from_status text,
  to_status   text        NOT NULL,
  note        text,
  actor_id    uuid,
  actor_name  text        NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plan_version_event_version_fk FOREIGN KEY (plan_id, version) REFERENCES plan_version (plan_id, version)
);
CREATE INDEX plan_version_event_version_idx ON plan_version_event (plan_id, version, id);

-- A version's abstract roles bound to organizations of one region (the region or its ancestors and subtree).
CREATE TABLE plan_binding (
  plan_id         uuid        NOT NULL,
  version         integer     NOT NULL,
  region_code     varchar(15) NOT NULL,
  role_key        text        NOT NULL,
  organization_id uuid        NOT NULL REFERENCES organization (id),
  source          text        NOT NULL CHECK (source IN ('auto', 'manual')),
  bound_by        uuid,
  bound_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plan_binding_pk PRIMARY KEY (plan_id, version, region_code, role_key),
  CONSTRAINT plan_binding_version_fk FOREIGN KEY (plan_id, version) REFERENCES plan_version (plan_id, version)
);
CREATE INDEX plan_binding_region_idx ON plan_binding (region_code varchar_pattern_ops);

-- Which version an activation used, so that a later revision never rewrites what was done.
CREATE TABLE plan_activation_use (
  id           uuid        PRIMARY KEY,
  plan_id      uuid        NOT NULL,
  version      integer     NOT NULL,
  region_code  varchar(15) NOT NULL,
  incident_id  uuid,
  level        text        CHECK (level IN ('I', 'II', 'III', 'IV')),
  used_by      uuid,
  used_by_name text        NOT NULL,
  used_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plan_activation_use_version_fk FOREIGN KEY (plan_id, version) REFERENCES plan_version (plan_id, version)
);
CREATE INDEX plan_activation_use_plan_idx ON plan_activation_use (plan_id, version);
CREATE INDEX plan_activation_use_incident_idx ON plan_activation_use (incident_id);
