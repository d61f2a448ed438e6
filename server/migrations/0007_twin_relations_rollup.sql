-- Relationship targets of each entity, for following relationships in both directions (the entity graph).
ALTER TABLE twin_entity ADD COLUMN rel_targets text[] NOT NULL DEFAULT '{}';
UPDATE twin_entity e SET rel_targets = coalesce((
  SELECT array_agg(DISTINCT i->>'object')
    FROM jsonb_each(e.attrs) a,
         jsonb_array_elements(CASE jsonb_typeof(a.value) WHEN 'array' THEN a.value ELSE jsonb_build_array(a.value) END) i
   WHERE i->>'type' = 'Relationship' AND i ? 'object'), '{}');
CREATE INDEX twin_entity_rel_targets_idx ON twin_entity USING gin (rel_targets);

-- Roll-up reads history by entity type, attribute and time; numeric values are extracted once, when written.
ALTER TABLE twin_attribute_history ADD COLUMN entity_type text;
UPDATE twin_attribute_history h SET entity_type = e.type FROM twin_entity e WHERE e.id = h.entity_id;
ALTER TABLE twin_attribute_history ADD COLUMN num_value double precision
  GENERATED ALWAYS AS (CASE WHEN jsonb_typeof(instance->'value') = 'number' THEN (instance->>'value')::double precision END) STORED;
CREATE INDEX twin_history_type_attr_idx ON twin_attribute_history (entity_type, attr, (coalesce(observed_at, received_at)));
