// SPDX-License-Identifier: Apache-2.0
// HTTP routes of policies: issue and read policies with their clauses, set goals, decompose a goal into a
// task tree, and the five linkages of a policy (and from a task, organization or indicator back to it).
import { z } from 'zod';
import { page } from '../../../contracts/common.ts';
import { DecomposeInput, DecomposeResult, Goal, GoalInput, Linkage, LinkageQuery, Policy, PolicyInput, PolicyQuery, PolicyStatus } from '../../../contracts/policies.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import * as policies from './policies.service.ts';

const tags = ['policies'];
const CodeParams = z.object({ code: z.string().min(1).max(64) });
const IdParams = z.object({ id: z.string().uuid() });

export function policyRoutes(app: App, deps: Deps): void {
  app.get('/api/policies', {
    schema: { tags, summary: 'Policies that apply in your region (issued in it or above it)', querystring: PolicyQuery, response: { 200: page(Policy) } },
  }, (req) => policies.listPolicies(deps, req.ctx, req.query));

  app.post('/api/policies', {
    schema: { tags, summary: 'Issue a policy with its clauses', body: PolicyInput, response: { 201: Policy } },
  }, async (req, reply) => reply.code(201).send(await policies.createPolicy(deps, req.ctx, req.body)));

  app.get('/api/policies/:code', {
    schema: { tags, summary: 'One policy with its clauses', params: CodeParams, response: { 200: Policy } },
  }, (req) => policies.getPolicy(deps, req.ctx, req.params.code));

  app.patch('/api/policies/:code', {
    schema: { tags, summary: 'Change a policy’s status (draft, in force, expired)', params: CodeParams, body: z.object({ status: PolicyStatus }).strict(), response: { 200: Policy } },
  }, (req) => policies.setPolicyStatus(deps, req.ctx, req.params.code, req.body.status));

  app.get('/api/policies/:code/goals', {
    schema: { tags, summary: 'A policy’s goals with the indicator’s current value against the target and their tasks', params: CodeParams, response: { 200: z.array(Goal) } },
  }, (req) => policies.listGoals(deps, req.ctx, req.params.code));

  app.post('/api/policies/:code/goals', {
    schema: { tags, summary: 'Set a goal: a clause’s target for an indicator in a region and period (written to the indicator’s targets)', params: CodeParams, body: GoalInput, response: { 201: Goal } },
  }, async (req, reply) => reply.code(201).send(await policies.addGoal(deps, req.ctx, req.params.code, req.body)));

  app.post('/api/goals/:id/decompose', {
    schema: { tags, summary: 'Decompose a goal into a task tree for its region and the regions of the levels below, routed to the responsible departments', params: IdParams, body: DecomposeInput, response: { 201: DecomposeResult } },
  }, async (req, reply) => reply.code(201).send(await policies.decomposeGoal(deps, req.ctx, req.params.id, req.body)));

  app.get('/api/policies/:code/linkage', {
    schema: { tags, summary: 'The five linkages of a policy: goals, indicators (current vs target), tasks, organizations and their resources', params: CodeParams, response: { 200: Linkage } },
  }, (req) => policies.policyLinkage(deps, req.ctx, req.params.code));

  app.get('/api/linkage', {
    schema: { tags, summary: 'The linkages of the policies a task, an organization or an indicator serves', querystring: LinkageQuery, response: { 200: z.object({ items: z.array(Linkage) }) } },
  }, (req) => policies.linkageFrom(deps, req.ctx, req.query));
}
