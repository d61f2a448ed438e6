-- Simulation runs (仿真推演): what was replayed (region, period, plan, seed, variants) and what came out,
-- kept so that runs can be compared later.
CREATE TABLE simulation_run (
  id              uuid        PRIMARY KEY,
  region_code     varchar(15) NOT NULL,
  input           jsonb       NOT NULL,
  result          jsonb       NOT NULL,
  created_by      uuid,
  created_by_name text        NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX simulation_run_region_idx ON simulation_run (region_code varchar_pattern_ops, created_at DESC);
