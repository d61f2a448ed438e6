// SPDX-License-Identifier: Apache-2.0
// HTTP routes of incidents: the type catalogue, reports, the queue, one incident with its timeline, actions.
import { z } from 'zod';
import { page } from '../../../contracts/common.ts';
import { Incident, IncidentAction, IncidentDetail, IncidentInput, IncidentQuery, IncidentType, ReportOutcome } from '../../../contracts/dispatch-incidents.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import * as incidents from './incidents.service.ts';

const tags = ['incidents'];
const IdParams = z.object({ id: z.uuid() });

export function incidentRoutes(app: App, deps: Deps): void {
  app.get('/api/incident-types', {
    schema: { tags, summary: 'The incident type catalogue: categories and their types, with SLAs and Open311 attributes', response: { 200: z.array(IncidentType) } },
  }, (req) => incidents.incidentTypes(deps, req.ctx));

  app.get('/api/incidents', {
    schema: {
      tags, summary: 'The incident queue of your region: filters by status, type, grade, region, overdue (督办), exercise, source, text and time',
      querystring: IncidentQuery, response: { 200: page(Incident) },
    },
  }, (req) => incidents.listIncidents(deps, req.ctx, req.query));

  app.post('/api/incidents', {
    schema: {
      tags, summary: 'Report an incident; a report of the same type within 200 m and 24 h of an open one is linked to it (200) instead of opening another (201)',
      body: IncidentInput, response: { 200: ReportOutcome, 201: ReportOutcome },
    },
  }, async (req, reply) => {
    const outcome = await incidents.reportIncident(deps, req.ctx, { ...req.body, source: req.ctx.actor.kind === 'token' ? 'api' : 'console' });
    return reply.code(outcome.duplicate ? 200 : 201).send(outcome);
  });

  app.get('/api/incidents/:id', {
    schema: { tags, summary: 'One incident with its timeline', params: IdParams, response: { 200: IncidentDetail } },
  }, (req) => incidents.getIncident(deps, req.ctx, req.params.id));

  app.post('/api/incidents/:id/actions', {
    schema: {
      tags, summary: 'Act on an incident: verify, reject, respond, resolve, evaluate, close, regrade or comment (out of turn: 409 invalid-transition)',
      params: IdParams, body: IncidentAction, response: { 200: IncidentDetail },
    },
  }, (req) => incidents.actOnIncident(deps, req.ctx, req.params.id, req.body));
}
