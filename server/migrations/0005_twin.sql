-- The digital twin (数字孪生): entities in the NGSI-LD information model, each in a region, with history.
CREATE TABLE twin_entity (
  id          text        PRIMARY KEY CHECK (length(id) BETWEEN 3 AND 512),
  type        text        NOT NULL,
  region_code varchar(15) NOT NULL,
  -- the region came from the entity itself (a regionCode property) rather than from its location
  region_explicit boolean NOT NULL DEFAULT false,
  -- attributes in NGSI-LD normalized form keyed by expanded attribute IRI; an array where several datasetIds exist
  attrs       jsonb       NOT NULL DEFAULT '{}',
  -- the 'location' GeoProperty, duplicated for the spatial index
  location    jsonb,
  bbox        box,
  created_at  timestamptz NOT NULL DEFAULT now(),
  modified_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX twin_entity_type_idx ON twin_entity (type);
CREATE INDEX twin_entity_region_idx ON twin_entity (region_code varchar_pattern_ops);
CREATE INDEX twin_entity_bbox_idx ON twin_entity USING gist (bbox);

-- Every attribute change: the value as the source observed it (observed_at) and when we received it.
CREATE TABLE twin_attribute_history (
  id          bigserial   PRIMARY KEY,
  entity_id   text        NOT NULL,
  attr        text        NOT NULL,
  dataset_id  text,
  instance    jsonb,      -- the attribute object; NULL when the attribute was deleted
  observed_at timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  region_code varchar(15) NOT NULL
);
CREATE INDEX twin_history_entity_idx ON twin_attribute_history (entity_id, attr, (coalesce(observed_at, received_at)));
