// SPDX-License-Identifier: Apache-2.0
// HTTP routes of public warnings under /api/warnings: list, issue, one warning with its CAP messages, update, cancel.
import { z } from 'zod';
import { page } from '../../../contracts/common.ts';
import { Warning, WarningCancel, WarningDetail, WarningInput, WarningQuery, WarningUpdate } from '../../../contracts/dispatch-warnings.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import * as warnings from './warnings.service.ts';

const tags = ['warnings'];
const IdParams = z.object({ id: z.uuid() });

export function warningRoutes(app: App, deps: Deps): void {
  app.get('/api/warnings', {
    schema: { tags, summary: 'Public warnings (预警信息) of your region: filters by status, region, exercise, incident and text', querystring: WarningQuery, response: { 200: page(Warning) } },
  }, (req) => warnings.listWarnings(deps, req.ctx, req.query));

  app.post('/api/warnings', {
    schema: { tags, summary: 'Issue a warning: published at once as a CAP 1.2 Alert (status Exercise for a drill)', body: WarningInput, response: { 201: WarningDetail } },
  }, async (req, reply) => reply.code(201).send(await warnings.issueWarning(deps, req.ctx, req.body)));

  app.get('/api/warnings/:id', {
    schema: { tags, summary: 'One warning with every CAP message sent for it', params: IdParams, response: { 200: WarningDetail } },
  }, (req) => warnings.getWarning(deps, req.ctx, req.params.id));

  app.patch('/api/warnings/:id', {
    schema: { tags, summary: 'Change a warning: publishes a CAP Update referencing the earlier messages', params: IdParams, body: WarningUpdate, response: { 200: WarningDetail } },
  }, (req) => warnings.updateWarning(deps, req.ctx, req.params.id, req.body));

  app.post('/api/warnings/:id/cancel', {
    schema: { tags, summary: 'Cancel a warning: publishes a CAP Cancel referencing the earlier messages', params: IdParams, body: WarningCancel, response: { 200: WarningDetail } },
  }, (req) => warnings.cancelWarning(deps, req.ctx, req.params.id, req.body));
}
