// SPDX-License-Identifier: Apache-2.0
// HTTP routes of back-flow data sets: definitions, versions, rows with lineage, corrections.
import { z } from 'zod';
import { page, PageQuery } from '../../../contracts/common.ts';
import {
  AcceptInput, Correction, CorrectionInput, CorrectionStatus, Dataset, DatasetCode, DatasetInput, DatasetRowHistory, DatasetRowPage, DatasetVersion,
  PublishQuery, RejectInput,
} from '../../../contracts/datasets.ts';
import { RegionCode } from '../../../contracts/regions.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import * as corrections from './corrections.service.ts';
import * as datasets from './datasets.service.ts';

const tags = ['datasets'];
const CodeParams = z.object({ code: DatasetCode });
const RowParams = CodeParams.extend({ key: z.string().min(1).max(200) });
const CorrectionParams = CodeParams.extend({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

export function datasetRoutes(app: App, deps: Deps): void {
  app.get('/api/datasets', {
    schema: {
      tags, summary: 'Data sets that concern your scope (owned in it, or published down to it from above)',
      querystring: PageQuery.extend({ q: z.string().max(100).optional() }),
      response: { 200: page(Dataset) },
    },
  }, (req) => datasets.listDatasets(deps, req.ctx, req.query));

  app.post('/api/datasets', {
    schema: { tags, summary: 'Define a data set (its fields, key and region field); rows come with a published version', body: DatasetInput, response: { 201: Dataset } },
  }, async (req, reply) => reply.code(201).send(await datasets.createDataset(deps, req.ctx, req.body)));

  app.get('/api/datasets/:code', {
    schema: { tags, summary: 'One data set', params: CodeParams, response: { 200: Dataset } },
  }, (req) => datasets.getDataset(deps, req.ctx, req.params.code));

  app.get('/api/datasets/:code/versions', {
    schema: { tags, summary: 'Published versions, newest first, with what each changed', params: CodeParams, querystring: PageQuery, response: { 200: page(DatasetVersion) } },
  }, (req) => datasets.listVersions(deps, req.ctx, req.params.code, req.query));

  app.post('/api/datasets/:code/versions', {
    bodyLimit: deps.config.importLimitBytes,
    schema: {
      tags,
      summary: 'Publish a version: the rows as a JSON array of objects or text/csv (header = field names); replaces the current rows, all or nothing',
      params: CodeParams, querystring: PublishQuery, response: { 201: DatasetVersion },
    },
  }, async (req, reply) => reply.code(201).send(await datasets.publishVersion(deps, req.ctx, req.params.code, req.query, req.body)));

  app.get('/api/datasets/:code/rows', {
    schema: {
      tags, summary: 'Rows of a version (default current) in your scope, each with its lineage',
      params: CodeParams,
      querystring: PageQuery.extend({
        regionCode: RegionCode.optional(), q: z.string().max(100).optional(), asOf: z.coerce.number().int().min(1).max(1_000_000_000).optional(),
      }),
      response: { 200: DatasetRowPage },
    },
  }, (req) => datasets.listRows(deps, req.ctx, req.params.code, req.query));

  app.get('/api/datasets/:code/rows/:key', {
    schema: { tags, summary: 'One row through its versions, oldest first', params: RowParams, response: { 200: DatasetRowHistory } },
  }, (req) => datasets.rowHistory(deps, req.ctx, req.params.code, req.params.key));

  app.get('/api/datasets/:code/corrections', {
    schema: {
      tags, summary: 'Corrections: all of them for the owner\'s side, else those on rows of your scope and your own',
      params: CodeParams,
      querystring: PageQuery.extend({ status: CorrectionStatus.optional(), mine: z.enum(['true', 'false']).optional() }),
      response: { 200: page(Correction) },
    },
  }, (req) => corrections.listCorrections(deps, req.ctx, req.params.code, req.query));

  app.post('/api/datasets/:code/corrections', {
    schema: { tags, summary: 'Propose a correction of a row you can see (changed fields and a reason)', params: CodeParams, body: CorrectionInput, response: { 201: Correction } },
  }, async (req, reply) => reply.code(201).send(await corrections.proposeCorrection(deps, req.ctx, req.params.code, req.body)));

  app.post('/api/datasets/:code/corrections/:id/accept', {
    schema: { tags, summary: 'Accept a correction (owner\'s side): a new version changes just that row', params: CorrectionParams, body: AcceptInput.nullish(), response: { 200: Correction } },
  }, (req) => corrections.acceptCorrection(deps, req.ctx, req.params.code, req.params.id, req.body ?? {}));

  app.post('/api/datasets/:code/corrections/:id/reject', {
    schema: { tags, summary: 'Reject a correction with a note (owner\'s side)', params: CorrectionParams, body: RejectInput, response: { 200: Correction } },
  }, (req) => corrections.rejectCorrection(deps, req.ctx, req.params.code, req.params.id, req.body));
}
