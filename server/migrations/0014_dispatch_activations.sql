-- Plan activation (预案启动) and dispatch orders (调度指令): an incident activates the published version of a
-- plan at a level; its steps become tasks, its resource requirements become requests matched to the nearest
-- available resources, and each resource sent out is a dispatch order sent → acknowledged → en route → on
-- scene → released.
CREATE TABLE activation (
  id                uuid        PRIMARY KEY,
  incident_id       uuid        NOT NULL REFERENCES incident (id),
  plan_id           uuid        NOT NULL REFERENCES plan (id),
  version           integer     NOT NULL,
  level             text        NOT NULL CHECK (level IN ('I', 'II', 'III', 'IV')),
  -- the incident's region (scope) and the region whose role binding assigned the steps
  region_code       varchar(15) NOT NULL,
  binding_region_code varchar(15) NOT NULL,
  exercise          boolean     NOT NULL DEFAULT false,
  status            text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stood-down')),
  plan_use_id       uuid        NOT NULL,
  note              text,
  activated_by      uuid,
  activated_by_name text        NOT NULL,
  activated_at      timestamptz NOT NULL DEFAULT now(),
  stood_down_at     timestamptz,
  stood_down_note   text
);
-- one running activation per incident
CREATE UNIQUE INDEX activation_incident_active_uq ON activation (incident_id) WHERE status = 'active';
CREATE INDEX activation_region_idx ON activation (region_code varchar_pattern_ops);
CREATE INDEX activation_plan_idx ON activation (plan_id, version);

-- One resource requirement of the level, as requested for this activation, and how far it was met.
CREATE TABLE resource_request (
  id                 uuid        PRIMARY KEY,
  activation_id      uuid        NOT NULL REFERENCES activation (id),
  position           integer     NOT NULL,
  resource_type      text        NOT NULL REFERENCES resource_type (code),
  capability         text,
  quantity           integer     NOT NULL CHECK (quantity >= 1),
  max_travel_minutes integer     NOT NULL,
  reserved           integer     NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  borrowed           integer     NOT NULL DEFAULT 0 CHECK (borrowed >= 0),
  UNIQUE (activation_id, position)
);

CREATE TABLE dispatch_order (
  id              uuid             PRIMARY KEY,
  activation_id   uuid             NOT NULL REFERENCES activation (id),
  request_id      uuid             NOT NULL REFERENCES resource_request (id),
  incident_id     uuid             NOT NULL REFERENCES incident (id),
  reservation_id  uuid             NOT NULL UNIQUE REFERENCES resource_reservation (id),
  resource_id     uuid             NOT NULL REFERENCES resource (id),
  -- the resource's home region (scope of those who answer the order) and the incident's region
  region_code     varchar(15)      NOT NULL,
  incident_region_code varchar(15) NOT NULL,
  quantity        integer          NOT NULL CHECK (quantity >= 1),
  consumed        integer          NOT NULL DEFAULT 0 CHECK (consumed >= 0),
  borrowed        boolean          NOT NULL DEFAULT false,
  distance_km     double precision NOT NULL,
  travel_minutes  double precision NOT NULL,
  exercise        boolean          NOT NULL DEFAULT false,
  status          text             NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'acknowledged', 'en_route', 'on_scene', 'released')),
  sent_at         timestamptz      NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  en_route_at     timestamptz,
  on_scene_at     timestamptz,
  released_at     timestamptz,
  note            text
);
CREATE INDEX dispatch_order_activation_idx ON dispatch_order (activation_id);
CREATE INDEX dispatch_order_region_idx ON dispatch_order (region_code varchar_pattern_ops, status);
CREATE INDEX dispatch_order_incident_region_idx ON dispatch_order (incident_region_code varchar_pattern_ops, status);
CREATE INDEX dispatch_order_resource_idx ON dispatch_order (resource_id);
