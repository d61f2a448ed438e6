// SPDX-License-Identifier: Apache-2.0
// Public surface of the twin: entities with history behind the NGSI-LD API.
export { createEntity, deleteEntity, getEntity, writeAttributes } from './entities.service.ts';
export { queryEntities } from './entities.query.ts';
export { twinRoutes } from './twin.routes.ts';
export { registerSubscriptions } from './subscriptions.service.ts';
export { type BatchResult, upsertBatch } from './upsert.service.ts';
export { CORE_CONTEXT } from './ngsi-context.ts';
export { listTypes, rollup, rollupH3 } from './rollup.service.ts';
export { type NumericReading, readNumericAttributes } from './entities.store.ts';
export { type TwinMeasure, twinMeasureSql } from './twin.measure.ts';
