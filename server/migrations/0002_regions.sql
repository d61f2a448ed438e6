-- Regions (行政区划): the spine. Keyed by statistical division codes; effective-dated rows.
-- A code's significant prefix (province 2, city 4, county 6, township 9, village 12, grid 15 digits)
-- is the subtree key: scope checks and roll-ups are prefix checks.
CREATE TABLE region (
  id          bigserial   PRIMARY KEY,
  code        varchar(15) NOT NULL CHECK (code ~ '^[0-9]{12}([0-9]{3})?$'),
  level       text        NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village', 'grid')),
  parent_code varchar(15),
  -- the significant prefix: every code in this region's subtree starts with it
  prefix      varchar(15) GENERATED ALWAYS AS (left(code, CASE level WHEN 'province' THEN 2 WHEN 'city' THEN 4
                WHEN 'county' THEN 6 WHEN 'township' THEN 9 WHEN 'village' THEN 12 ELSE 15 END)) STORED,
  name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  name_en     text,
  population  integer     CHECK (population >= 0),
  area_km2    double precision CHECK (area_km2 >= 0),
  boundary    jsonb,
  centroid    point,
  bbox        box,
  valid_from  date        NOT NULL DEFAULT DATE '1949-10-01',
  valid_to    date,
  change_id   bigint,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT region_valid_range_chk CHECK (valid_to IS NULL OR valid_to > valid_from),
  -- one row per code at any instant
  CONSTRAINT region_code_period_excl EXCLUDE USING gist (code WITH =, daterange(valid_from, valid_to) WITH &&)
);
CREATE INDEX region_code_prefix_idx ON region (code varchar_pattern_ops);
CREATE INDEX region_parent_idx ON region (parent_code);
CREATE INDEX region_level_idx ON region (level);
CREATE INDEX region_bbox_idx ON region USING gist (bbox);

-- (point lookups use bbox @> box(p, p): GiST box_ops has no box @> point operator)
-- A division change (区划调整): which codes closed and which opened, effective from a date.
CREATE TABLE region_change (
  id             bigserial   PRIMARY KEY,
  kind           text        NOT NULL CHECK (kind IN ('merge', 'split', 'rename', 'move', 'create', 'abolish')),
  effective_date date        NOT NULL,
  closed_codes   varchar(15)[] NOT NULL,
  opened_codes   varchar(15)[] NOT NULL,
  note           text,
  created_by     uuid,
  created_at     timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE region ADD CONSTRAINT region_change_fk FOREIGN KEY (change_id) REFERENCES region_change (id);
