// SPDX-License-Identifier: Apache-2.0
// HTTP routes of contingency plans: the role catalog, the library, versions and their lifecycle, the diff,
// role bindings, export and import of packages, and which version applies to an incident.
import { z } from 'zod';
import { page } from '../../../contracts/common.ts';
import {
  ActivePlanQuery, BindingInput, BindingQuery, ExportQuery, ImportQuery, ImportResult, Plan, PLAN_PACKAGE_MAX_BYTES, PlanBinding, PlanContent, PlanDetail, PlanDiff, PlanInput,
  PlanLevel, PlanQuery, PlanRole, PlanTransition, PlanTransitionResult, PlanVersion,
} from '../../../contracts/dispatch-plans.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import { NotFound } from '../../platform/errors.ts';
import { authorize } from '../access/index.ts';
import { listPlanRoles } from './plan-roles.ts';
import * as bindings from './plans.bindings.ts';
import * as packages from './plans.package.ts';
import * as plans from './plans.service.ts';

const tags = ['plans'];
const IdParams = z.object({ id: z.uuid() });
const VersionParams = IdParams.extend({ version: z.coerce.number().int().min(1).max(1_000_000) });
const DiffQuery = z.object({ from: z.coerce.number().int().min(1).max(1_000_000), to: z.coerce.number().int().min(1).max(1_000_000) });

export function planRoutes(app: App, deps: Deps): void {
  // packages travel as YAML too; JSON bodies arrive parsed
  if (!app.hasContentTypeParser('application/yaml')) {
    app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  }

  app.get('/api/plan-roles', {
    schema: { tags, summary: 'The catalog of abstract plan roles and the department type and level each usually maps to', response: { 200: z.object({ items: z.array(PlanRole) }) } },
  }, async (req) => {
    await authorize(deps, req.ctx, 'plan:read');
    return { items: listPlanRoles() };
  });

  app.get('/api/plans', {
    schema: { tags, summary: 'The plan library (预案库) of your region and above, filtered by scenario type, region, status and text', querystring: PlanQuery, response: { 200: page(Plan) } },
  }, (req) => plans.listPlans(deps, req.ctx, req.query));

  app.post('/api/plans', {
    schema: { tags, summary: 'Create a plan; its content becomes version 1, a draft', body: PlanInput, response: { 201: PlanDetail } },
  }, async (req, reply) => reply.code(201).send(await plans.createPlan(deps, req.ctx, req.body)));

  app.get('/api/plans/active', {
    schema: {
      tags, summary: 'The published plan version that applies to an incident of a type and grade in a region (the most specific applicable region first)',
      querystring: ActivePlanQuery, response: { 200: z.object({ plan: Plan, version: PlanVersion, level: PlanLevel, matchedRegionCode: z.string() }) },
    },
  }, async (req) => {
    const active = await plans.activePlanVersion(deps, req.ctx, req.query);
    if (!active) throw new NotFound(`no published plan applies to ${req.query.typeCode} grade ${req.query.grade} in ${req.query.regionCode}`);
    return active;
  });

  app.post('/api/plans/import', {
    bodyLimit: PLAN_PACKAGE_MAX_BYTES,
    schema: {
      tags,
      summary: 'Import a plan package (YAML or JSON) into a region as a new draft, roles re-bound there; answers the bind report (dryRun: the report only). A bad package is a 400 listing its problems',
      querystring: ImportQuery, response: { 200: ImportResult, 201: ImportResult },
    },
  }, async (req, reply) => {
    const result = await packages.importPlanPackage(deps, req.ctx, req.query, req.body);
    return reply.code(req.query.dryRun ? 200 : 201).send(result);
  });

  app.get('/api/plans/:id', {
    schema: { tags, summary: 'One plan with its versions', params: IdParams, response: { 200: PlanDetail } },
  }, (req) => plans.getPlan(deps, req.ctx, req.params.id));

  app.get('/api/plans/:id/diff', {
    schema: { tags, summary: 'What changed between two versions: plan fields, triggers, and per level the steps, resources and warnings', params: IdParams, querystring: DiffQuery, response: { 200: PlanDiff } },
  }, (req) => plans.diffVersions(deps, req.ctx, req.params.id, req.query.from, req.query.to));

  app.get('/api/plans/:id/versions/:version', {
    schema: { tags, summary: 'One version with its content and history', params: VersionParams, response: { 200: PlanVersion } },
  }, (req) => plans.getPlanVersion(deps, req.ctx, req.params.id, req.params.version));

  app.put('/api/plans/:id/versions/:version', {
    schema: { tags, summary: 'Replace the content of a draft version (other statuses: 409 version-immutable)', params: VersionParams, body: PlanContent, response: { 200: PlanVersion } },
  }, (req) => plans.updateDraft(deps, req.ctx, req.params.id, req.params.version, req.body));

  app.post('/api/plans/:id/versions/:version/transitions', {
    schema: {
      tags, summary: 'Review, return, publish, drill, evaluate, or revise (a new draft from it) a version; out of turn: 409 invalid-transition',
      params: VersionParams, body: PlanTransition, response: { 200: PlanTransitionResult },
    },
  }, (req) => plans.transitionVersion(deps, req.ctx, req.params.id, req.params.version, req.body));

  app.get('/api/plans/:id/versions/:version/binding', {
    schema: { tags, summary: 'Roles of a version bound to organizations of a region, with proposals and the roles still unbound', params: VersionParams, querystring: BindingQuery, response: { 200: PlanBinding } },
  }, (req) => bindings.getBinding(deps, req.ctx, req.params.id, req.params.version, req.query.regionCode));

  app.put('/api/plans/:id/versions/:version/binding', {
    schema: { tags, summary: 'Bind roles to organizations of a region (auto: the rest by proposal); answers the binding with the roles still unbound', params: VersionParams, body: BindingInput, response: { 200: PlanBinding } },
  }, (req) => bindings.putBinding(deps, req.ctx, req.params.id, req.params.version, req.body));

  app.get('/api/plans/:id/versions/:version/export', {
    schema: { tags, summary: 'Export a version as a self-contained package (the plan, its roles and resource types) in YAML or JSON', params: VersionParams, querystring: ExportQuery },
  }, async (req, reply) => {
    const out = await packages.exportPlanVersion(deps, req.ctx, req.params.id, req.params.version, req.query.format);
    return reply.type(out.contentType).header('content-disposition', `attachment; filename="${out.filename}"`).send(out.text);
  });
}
