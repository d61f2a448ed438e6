-- Dispatchable resources (可调度资源): teams, vehicles, equipment, stocks, shelters and experts, owned by a
-- government department or a social organization (under an availability agreement, 协议储备), with a live
-- status and location, and reservations (预占) that hold them for one dispatch.

-- The catalog of resource types: names, unit, whether counted by quantity, and the travel speed used to
-- estimate arrival times (straight-line distance / speed).
CREATE TABLE resource_type (
  code       text             PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]{1,63}$'),
  category   text             NOT NULL CHECK (category IN ('team', 'vehicle', 'equipment', 'stock', 'shelter', 'expert')),
  name_zh    text             NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
  name_en    text             NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
  unit       text             NOT NULL CHECK (length(unit) BETWEEN 1 AND 20),
  is_stock   boolean          NOT NULL DEFAULT false,
  speed_kmh  double precision NOT NULL CHECK (speed_kmh > 0 AND speed_kmh <= 1000),
  created_at timestamptz      NOT NULL DEFAULT now()
);

INSERT INTO resource_type (code, category, name_zh, name_en, unit, is_stock, speed_kmh) VALUES
  ('rescue-team',    'team',      '救援队伍',   'Rescue team',      '支', false, 40),
  ('fire-engine',    'vehicle',   '消防车',     'Fire engine',      '辆', false, 50),
  ('pump-truck',     'vehicle',   '排涝泵车',   'Pump truck',       '辆', false, 40),
  ('ambulance',      'vehicle',   '救护车',     'Ambulance',        '辆', false, 60),
  ('excavator',      'vehicle',   '挖掘机',     'Excavator',        '台', false, 25),
  ('pump',           'equipment', '抽水泵',     'Water pump',       '台', false, 40),
  ('generator',      'equipment', '发电机',     'Generator',        '台', false, 40),
  ('sandbags',       'stock',     '编织袋/沙袋', 'Sandbags',        '条', true,  35),
  ('drinking-water', 'stock',     '饮用水',     'Drinking water',   '箱', true,  35),
  ('tents',          'stock',     '帐篷',       'Tents',            '顶', true,  35),
  ('quilts',         'stock',     '棉被',       'Quilts',           '床', true,  35),
  ('shelter',        'shelter',   '应急避难场所', 'Shelter',         '处', false, 1),
  ('expert',         'expert',    '专家',       'Expert',           '名', false, 50);

CREATE TABLE resource (
  id                    uuid             PRIMARY KEY,
  name                  text             NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  type_code             text             NOT NULL REFERENCES resource_type (code),
  -- stocks are counted by quantity; everything else is one unit reserved as a whole
  is_stock              boolean          NOT NULL,
  capabilities          text[]           NOT NULL DEFAULT '{}',
  owner_organization_id uuid             NOT NULL REFERENCES organization (id),
  owner_kind            text             NOT NULL CHECK (owner_kind IN ('government', 'social')),
  -- the home region (whose resource it is); a vehicle on the road keeps it
  region_code           varchar(15)      NOT NULL,
  -- the live location; KNN matching orders by location <-> point on the GiST index
  location              point            NOT NULL,
  position_at           timestamptz,
  status                text             NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'reserved', 'dispatched', 'unavailable')),
  quantity_total        integer,
  quantity_available    integer,
  capacity              integer          CHECK (capacity >= 0),
  description           text,
  -- the availability agreement (协议储备) of a social resource
  agreement_number      text,
  agreement_valid_from  date,
  agreement_valid_to    date,
  agreement_response_minutes integer     CHECK (agreement_response_minutes BETWEEN 0 AND 10080),
  created_by            uuid,
  created_at            timestamptz      NOT NULL DEFAULT now(),
  modified_at           timestamptz      NOT NULL DEFAULT now(),
  -- the backstop under every reservation: stock never goes below zero nor above what exists
  CONSTRAINT resource_quantity_chk CHECK (
    (is_stock AND quantity_total >= 0 AND quantity_available >= 0 AND quantity_available <= quantity_total)
    OR (NOT is_stock AND quantity_total IS NULL AND quantity_available IS NULL)),
  -- a stock is never reserved or dispatched as a whole: its reservations hold quantities
  CONSTRAINT resource_stock_status_chk CHECK (NOT is_stock OR status IN ('available', 'unavailable')),
  CONSTRAINT resource_agreement_chk CHECK (
    agreement_valid_from IS NULL OR agreement_valid_to IS NULL OR agreement_valid_to >= agreement_valid_from)
);
CREATE INDEX resource_location_idx ON resource USING gist (location);
CREATE INDEX resource_region_idx ON resource (region_code varchar_pattern_ops);
CREATE INDEX resource_type_status_idx ON resource (type_code, status);
CREATE INDEX resource_owner_idx ON resource (owner_organization_id);
CREATE INDEX resource_capabilities_idx ON resource USING gin (capabilities);

-- One reserved resource (or quantity of a stock) for one request: reserved → dispatched → released.
CREATE TABLE resource_reservation (
  id            uuid        PRIMARY KEY,
  request_ref   text        NOT NULL CHECK (length(request_ref) BETWEEN 1 AND 200),
  resource_id   uuid        NOT NULL REFERENCES resource (id),
  -- the resource's home region, for scope
  region_code   varchar(15) NOT NULL,
  is_stock      boolean     NOT NULL,
  quantity      integer     NOT NULL CHECK (quantity >= 1),
  consumed      integer     NOT NULL DEFAULT 0,
  status        text        NOT NULL DEFAULT 'reserved' CHECK (status IN ('reserved', 'dispatched', 'released')),
  note          text,
  reserved_by   uuid,
  reserved_at   timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz,
  released_at   timestamptz,
  CONSTRAINT resource_reservation_unit_chk CHECK (is_stock OR quantity = 1),
  CONSTRAINT resource_reservation_consumed_chk CHECK (consumed >= 0 AND consumed <= quantity AND (is_stock OR consumed = 0))
);
-- The backstop against double booking: a whole resource has at most one active reservation.
CREATE UNIQUE INDEX resource_reservation_active_uq ON resource_reservation (resource_id) WHERE status <> 'released' AND NOT is_stock;
CREATE INDEX resource_reservation_request_idx ON resource_reservation (request_ref);
CREATE INDEX resource_reservation_region_idx ON resource_reservation (region_code varchar_pattern_ops);
