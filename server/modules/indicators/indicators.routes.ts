// SPDX-License-Identifier: Apache-2.0
// HTTP routes of indicators: the catalog and definitions, values, computation, reported values, targets,
// alerts and the cockpit.
import { z } from 'zod';
import { page } from '../../../contracts/common.ts';
import {
  AlertAction, AlertQuery, Cockpit, ComputeInput, ComputeResult, Indicator, IndicatorAlert, IndicatorInput, IndicatorQuery, IndicatorSummary, IndicatorValue,
  IndicatorValueQuery, ReportInput, ReportResult, TargetInput,
} from '../../../contracts/indicators.ts';
import { RegionCode } from '../../../contracts/regions.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import { cockpit } from './cockpit.service.ts';
import * as indicators from './indicators.service.ts';

const tags = ['indicators'];
const CodeParams = z.object({ code: z.string().min(1).max(64) });
const IdParams = z.object({ id: z.string().uuid() });
const IndicatorUpdate = IndicatorInput.extend({ status: z.enum(['active', 'retired']).optional() }).strict();

export function indicatorRoutes(app: App, deps: Deps): void {
  app.get('/api/indicators', {
    schema: { tags, summary: 'The indicator catalog, each with its latest value in your region (or the one given)', querystring: IndicatorQuery, response: { 200: page(IndicatorSummary) } },
  }, (req) => indicators.listIndicators(deps, req.ctx, req.query));

  app.post('/api/indicators', {
    schema: { tags, summary: 'Define an indicator: numerator / denominator × factor over platform data, period, roll-up, thresholds, analysis plan', body: IndicatorInput, response: { 201: Indicator } },
  }, async (req, reply) => reply.code(201).send(await indicators.createIndicator(deps, req.ctx, req.body)));

  app.get('/api/indicators/:code', {
    schema: { tags, summary: 'One indicator definition', params: CodeParams, response: { 200: Indicator } },
  }, (req) => indicators.getIndicator(deps, req.ctx, req.params.code));

  app.put('/api/indicators/:code', {
    schema: { tags, summary: 'Replace an indicator definition (a new version; retire it with status)', params: CodeParams, body: IndicatorUpdate, response: { 200: Indicator } },
  }, (req) => indicators.replaceIndicator(deps, req.ctx, req.params.code, req.body));

  app.get('/api/indicators/:code/values', {
    schema: {
      tags, summary: 'Values in your region: a trend (region, from, to), a ranking (level, period, sort) or the children of a region (parent, period)',
      params: CodeParams, querystring: IndicatorValueQuery, response: { 200: page(IndicatorValue) },
    },
  }, (req) => indicators.listValues(deps, req.ctx, req.params.code, req.query));

  app.post('/api/indicators/:code/compute', {
    schema: { tags, summary: 'Compute an indicator for every region and a range of periods now (default: the current and previous period)', params: CodeParams, body: ComputeInput, response: { 200: ComputeResult } },
  }, (req) => indicators.computeIndicator(deps, req.ctx, req.params.code, req.body));

  app.post('/api/indicators/:code/reports', {
    schema: { tags, summary: 'Report values of a reported component for regions of its level (all or nothing; late periods are recomputed)', params: CodeParams, body: ReportInput, response: { 200: ReportResult } },
  }, (req) => indicators.reportValues(deps, req.ctx, req.params.code, req.body));

  app.put('/api/indicators/:code/targets', {
    schema: { tags, summary: 'Set targets of regions and periods (null clears one)', params: CodeParams, body: TargetInput, response: { 200: z.object({ accepted: z.number().int() }) } },
  }, (req) => indicators.setTargets(deps, req.ctx, req.params.code, req.body));

  app.get('/api/indicator-alerts', {
    schema: { tags, summary: 'Indicator alerts in your region, open and alarms first', querystring: AlertQuery, response: { 200: page(IndicatorAlert) } },
  }, (req) => indicators.listAlerts(deps, req.ctx, req.query));

  app.get('/api/indicator-alerts/:id', {
    schema: { tags, summary: 'One indicator alert with the tasks and incident of its analysis plan', params: IdParams, response: { 200: IndicatorAlert } },
  }, (req) => indicators.getAlert(deps, req.ctx, req.params.id));

  app.post('/api/indicator-alerts/:id/actions', {
    schema: { tags, summary: 'Acknowledge, close or comment on an alert', params: IdParams, body: AlertAction, response: { 200: IndicatorAlert } },
  }, (req) => indicators.actOnAlert(deps, req.ctx, req.params.id, req.body));

  app.get('/api/cockpit', {
    schema: {
      tags, summary: 'The cockpit (驾驶舱) of a region: key indicators, alerts, incidents, tasks and the child regions to drill into',
      querystring: z.object({ region: RegionCode.optional() }).strict(), response: { 200: Cockpit },
    },
  }, (req) => cockpit(deps, req.ctx, req.query.region));
}
