-- Indicators (指标): a formula over platform data (numerator / denominator × factor) computed for every
-- region at every level and every period, with thresholds that raise alerts, targets per region and
-- period, and values reported by organizations. Sources and the analysis plan are JSON validated by the
-- API's schema (contracts/indicators.ts).
CREATE TABLE indicator (
  id                    uuid        PRIMARY KEY,
  code                  text        NOT NULL CHECK (code ~ '^[a-z][a-z0-9_.-]{1,63}$'),
  name                  text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  name_en               text,
  unit                  text        NOT NULL DEFAULT '',
  description           text        NOT NULL DEFAULT '',
  owner_organization_id uuid        NOT NULL REFERENCES organization (id),
  numerator             jsonb       NOT NULL,
  denominator           jsonb,
  factor                double precision NOT NULL DEFAULT 1 CHECK (factor > 0),
  period                text        NOT NULL CHECK (period IN ('day', 'week', 'month', 'quarter', 'year')),
  aggregation           text        NOT NULL CHECK (aggregation IN ('recompute', 'sum', 'weighted_average')),
  direction             text        NOT NULL CHECK (direction IN ('higher_better', 'lower_better')),
  warn                  double precision,
  alarm                 double precision,
  alert_levels          text[]      NOT NULL DEFAULT '{province,city,county}',
  analysis_plan         jsonb,
  is_key                boolean     NOT NULL DEFAULT false,
  status                text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  version               integer     NOT NULL DEFAULT 1,
  created_by_name       text        NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  modified_at           timestamptz NOT NULL DEFAULT now(),
  last_computed_at      timestamptz,
  CONSTRAINT indicator_code_key UNIQUE (code)
);

-- One value per indicator, period and region (every level), replaced when the period is recomputed.
CREATE TABLE indicator_value (
  indicator_id uuid             NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
  period       varchar(10)      NOT NULL,
  region_code  varchar(15)      NOT NULL,
  level        text             NOT NULL,
  numerator    double precision NOT NULL,
  denominator  double precision,
  value        double precision,
  missing      integer          NOT NULL DEFAULT 0,
  status       text             NOT NULL CHECK (status IN ('normal', 'warn', 'alarm', 'none')),
  computed_at  timestamptz      NOT NULL,
  CONSTRAINT indicator_value_pkey PRIMARY KEY (indicator_id, period, region_code)
);
-- a region's trend
CREATE INDEX indicator_value_region_idx ON indicator_value (indicator_id, region_code, period);

-- Targets (目标值) for a region and period.
CREATE TABLE indicator_target (
  indicator_id uuid             NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
  region_code  varchar(15)      NOT NULL,
  period       varchar(10)      NOT NULL,
  target       double precision NOT NULL,
  set_by_name  text             NOT NULL,
  set_at       timestamptz      NOT NULL DEFAULT now(),
  CONSTRAINT indicator_target_pkey PRIMARY KEY (indicator_id, region_code, period)
);

-- Values organizations report for a region and period (a 'reported' source); the latest report wins.
CREATE TABLE indicator_report (
  indicator_id     uuid             NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
  component        text             NOT NULL CHECK (component IN ('numerator', 'denominator')),
  region_code      varchar(15)      NOT NULL,
  period           varchar(10)      NOT NULL,
  -- the instant the period starts: puts the value in its period whatever the indicator's period kind
  period_start     timestamptz      NOT NULL,
  value            double precision NOT NULL,
  reported_by      uuid,
  reported_by_name text             NOT NULL,
  reported_at      timestamptz      NOT NULL DEFAULT now(),
  CONSTRAINT indicator_report_pkey PRIMARY KEY (indicator_id, component, region_code, period)
);
CREATE INDEX indicator_report_changed_idx ON indicator_report (indicator_id, reported_at);

-- Alerts: a region's value crossed a threshold in a period. At most one alert not closed per indicator,
-- region and period; it is raised from warn to alarm in place and closed when the value is back.
CREATE TABLE indicator_alert (
  id            uuid             PRIMARY KEY,
  indicator_id  uuid             NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
  region_code   varchar(15)      NOT NULL,
  period        varchar(10)      NOT NULL,
  level         text             NOT NULL CHECK (level IN ('warn', 'alarm')),
  value         double precision,
  threshold     double precision,
  status        text             NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed')),
  raised_at     timestamptz      NOT NULL DEFAULT now(),
  updated_at    timestamptz      NOT NULL DEFAULT now(),
  closed_at     timestamptz,
  closed_reason text,
  plan_opened   boolean          NOT NULL DEFAULT false,
  task_ids      uuid[]           NOT NULL DEFAULT '{}',
  incident_id   uuid,
  notes         jsonb            NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX indicator_alert_live_key ON indicator_alert (indicator_id, region_code, period) WHERE status <> 'closed';
CREATE INDEX indicator_alert_region_idx ON indicator_alert (region_code varchar_pattern_ops, raised_at DESC);

-- Tasks an alert's analysis plan creates name the alert as their source.
ALTER TABLE task DROP CONSTRAINT task_source_kind_check;
ALTER TABLE task ADD CONSTRAINT task_source_kind_check CHECK (source_kind IN ('manual', 'activation', 'indicator_alert'));
