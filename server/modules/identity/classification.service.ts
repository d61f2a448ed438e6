// SPDX-License-Identifier: Apache-2.0
// Field classification (数据分级): which personal fields are masked for whom.
import type { FieldClassification } from '../../../contracts/identity.ts';
import type { RequestContext } from '../../platform/context.ts';
import { executor, withTransaction } from '../../platform/db.ts';
import type { Deps } from '../../platform/deps.ts';
import { NotFound } from '../../platform/errors.ts';
import { authorize } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';

export async function listClassifications(deps: Deps, ctx: RequestContext): Promise<FieldClassification[]> {
  await authorize(deps, ctx, 'classification:read');
  const { rows } = await executor(deps.db).query<FieldClassification>('SELECT entity, field, classification, masking FROM field_classification ORDER BY entity, field');
  return rows;
}

export async function setClassification(deps: Deps, ctx: RequestContext, input: FieldClassification): Promise<FieldClassification> {
  await authorize(deps, ctx, 'classification:write');
  return withTransaction(deps.db, async (tx) => {
    const { rows } = await tx.query<FieldClassification>(
      'UPDATE field_classification SET classification = $3, masking = $4, updated_at = now() WHERE entity = $1 AND field = $2 RETURNING entity, field, classification, masking',
      [input.entity, input.field, input.classification, input.masking],
    );
    if (!rows[0]) throw new NotFound(`no classified field ${input.entity}.${input.field}`);
    await recordAudit(tx, ctx, deps.config.auditHash, { action: 'classification.changed', resourceType: 'field', resourceId: `${input.entity}.${input.field}`, details: { ...input } });
    return rows[0];
  });
}
