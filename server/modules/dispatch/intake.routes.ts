// SPDX-License-Identifier: Apache-2.0
// HTTP routes of automatic intake rules.
import { z } from 'zod';
import { page } from '../../../contracts/common.ts';
import { IntakeRule, IntakeRuleInput, IntakeRulePatch, IntakeRuleQuery } from '../../../contracts/dispatch-incidents.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import * as intake from './intake.service.ts';

const tags = ['incidents'];

export function intakeRoutes(app: App, deps: Deps): void {
  app.get('/api/intake-rules', {
    schema: { tags, summary: 'Automatic intake rules in your scope: twin attributes watched against a threshold', querystring: IntakeRuleQuery, response: { 200: page(IntakeRule) } },
  }, (req) => intake.listIntakeRules(deps, req.ctx, req.query));

  app.post('/api/intake-rules', {
    schema: {
      tags, summary: 'Watch a numeric attribute of twin entities of a type in a region: over the threshold (a value or another attribute of the entity), an incident is reported',
      body: IntakeRuleInput, response: { 201: IntakeRule },
    },
  }, async (req, reply) => reply.code(201).send(await intake.createIntakeRule(deps, req.ctx, req.body)));

  app.patch('/api/intake-rules/:id', {
    schema: { tags, summary: 'Rename, regrade, switch on or off, or change the fixed threshold of a rule', params: z.object({ id: z.string().uuid() }), body: IntakeRulePatch, response: { 200: IntakeRule } },
  }, (req) => intake.updateIntakeRule(deps, req.ctx, req.params.id, req.body));
}
