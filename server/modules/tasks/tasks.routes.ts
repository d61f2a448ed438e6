// SPDX-License-Identifier: Apache-2.0
// HTTP routes of tasks: create (by hand or routed), list, one with its history, actions.
import { z } from 'zod';
import { page } from '../../../contracts/common.ts';
import { AwardInput, Bid, BidInput, MarketItem, MarketQuery, ServiceTaskInput, Task, TaskAction, TaskDetail, TaskInput, TaskQuery } from '../../../contracts/tasks.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import * as service from './service-tasks.service.ts';
import * as tasks from './tasks.service.ts';

const tags = ['tasks'];
const IdParams = z.object({ id: z.string().uuid() });

export function taskRoutes(app: App, deps: Deps): void {
  app.get('/api/tasks', {
    schema: {
      tags, summary: 'Tasks you see (your scope, your organization, your own), filtered by status, kind, region, organization, incident, source, deadline and text',
      querystring: TaskQuery, response: { 200: page(Task) },
    },
  }, (req) => tasks.listTasks(deps, req.ctx, req.query));

  app.post('/api/tasks', {
    schema: {
      tags, summary: 'Create a task for an organization, or routed to the responsible department of a type in the region of a location',
      body: TaskInput, response: { 201: TaskDetail },
    },
  }, async (req, reply) => reply.code(201).send(await tasks.createTask(deps, req.ctx, req.body)));

  app.get('/api/tasks/:id', {
    schema: { tags, summary: 'One task with its evidence, history, subtasks and the actions you may take', params: IdParams, response: { 200: TaskDetail } },
  }, (req) => tasks.getTask(deps, req.ctx, req.params.id));

  app.post('/api/tasks/:id/actions', {
    schema: {
      tags, summary: 'Act on a task: accept, start, submit (with evidence), approve, return, reassign, delegate, cancel, comment (409 when its status does not allow it)',
      params: IdParams, body: TaskAction, response: { 200: TaskDetail },
    },
  }, (req) => tasks.actOnTask(deps, req.ctx, req.params.id, req.body));

  app.post('/api/service-tasks', {
    schema: { tags, summary: 'Publish a service task for social organizations: service standard, budget, qualifications, bid deadline', body: ServiceTaskInput, response: { 201: TaskDetail } },
  }, async (req, reply) => reply.code(201).send(await service.publishServiceTask(deps, req.ctx, req.body)));

  app.get('/api/service-tasks', {
    schema: {
      tags, summary: 'The service-task market: on offer to your social organization (qualified, in its region) or published in your region',
      querystring: MarketQuery, response: { 200: page(MarketItem) },
    },
  }, (req) => service.listMarket(deps, req.ctx, req.query));

  app.post('/api/service-tasks/:id/bids', {
    schema: { tags, summary: 'Bid for a service task on offer (a social organization’s member; a new bid replaces the earlier one)', params: IdParams, body: BidInput, response: { 201: Bid } },
  }, async (req, reply) => reply.code(201).send(await service.bid(deps, req.ctx, req.params.id, req.body)));

  app.get('/api/service-tasks/:id/bids', {
    schema: { tags, summary: 'The bids of a service task (a bidder sees its own)', params: IdParams, response: { 200: z.array(Bid) } },
  }, (req) => service.listBids(deps, req.ctx, req.params.id));

  app.post('/api/service-tasks/:id/award', {
    schema: { tags, summary: 'Award a bid: the task passes to that organization at the bid’s amount, the other bids are declined', params: IdParams, body: AwardInput, response: { 200: TaskDetail } },
  }, (req) => service.award(deps, req.ctx, req.params.id, req.body));

  app.post('/api/service-tasks/:id/bids/withdraw', {
    schema: { tags, summary: 'Withdraw your organization’s bid while the offer is open', params: IdParams, response: { 200: Bid } },
  }, (req) => service.withdrawBid(deps, req.ctx, req.params.id));

  app.post('/api/service-tasks/:id/withdraw', {
    schema: {
      tags, summary: 'Withdraw an offer not yet awarded: the task is cancelled and its bids declined',
      params: IdParams, body: z.object({ note: z.string().trim().min(1).max(2000) }).strict(), response: { 200: TaskDetail },
    },
  }, (req) => service.withdrawOffer(deps, req.ctx, req.params.id, req.body.note));

  app.get('/api/tasks/:id/evidence/:evidenceId/file', {
    schema: { tags, summary: 'Download a file kept as evidence', params: z.object({ id: z.string().uuid(), evidenceId: z.string().uuid() }) },
  }, async (req, reply) => {
    const f = await service.evidenceFile(deps, req.ctx, req.params.id, req.params.evidenceId);
    return reply
      .type(f.mediaType)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`)
      .header('x-content-type-options', 'nosniff')
      .send(f.content);
  });

  // The body of an evidence upload is the file itself, whatever its type.
  void app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: service.MAX_EVIDENCE_BYTES }, (_req, body, done) => done(null, body));
    scope.post('/api/tasks/:id/evidence', {
      bodyLimit: service.MAX_EVIDENCE_BYTES,
      schema: {
        tags, summary: 'Keep a file as evidence of a task (the request body is the file; its name in ?name=, its type in Content-Type; at most 10 MB)',
        params: IdParams, querystring: z.object({ name: z.string().min(1).max(200) }).strict(), response: { 201: TaskDetail },
      },
    }, async (req, reply) => {
      const body = req.body;
      const content = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      const mediaType = String(req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]?.trim() || 'application/octet-stream';
      return reply.code(201).send(await service.addEvidenceFile(deps, req.ctx, req.params.id, { name: req.query.name, mediaType, content }));
    });
  });
}
