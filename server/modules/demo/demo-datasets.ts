// SPDX-License-Identifier: Apache-2.0
// The demo's back-flow data set: a province village population registry (行政村人口登记) that concerns every
// village, published twice, so that a county operator sees their villages' rows with lineage.
import type { DatasetFieldInput, FieldValue } from '../../../contracts/datasets.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { createDataset, publishVersion } from '../backflow/index.ts';
import { rng } from '../regions/index.ts';

/** The code of the demo data set. */
export const DEMO_DATASET_CODE = 'village-population';

const FIELDS: DatasetFieldInput[] = [
  { name: 'villageCode', type: 'string', label: '村（社区）代码', required: true },
  { name: 'villageName', type: 'string', label: '村（社区）名称', required: true },
  { name: 'population', type: 'integer', label: '户籍人口', required: true },
  { name: 'households', type: 'integer', label: '户数', required: true },
  { name: 'elderlyShare', type: 'number', label: '60 岁以上占比', required: false },
  { name: 'registeredEnterprises', type: 'integer', label: '登记市场主体', required: false },
  { name: 'lowIncomeHouseholds', type: 'integer', label: '低收入户', required: false },
];

type Row = Record<string, FieldValue>;

/** Seeds the data set with two versions; the second changes about one village in eight and adds nothing. */
export async function seedDemoDatasets(
  deps: Deps,
  ctx: RequestContext,
  opts: { provinceCode: string; ownerOrganizationId: string; villages: { code: string; name: string }[]; seed: number },
): Promise<void> {
  const rand = rng(opts.seed + 11);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  await createDataset(deps, ctx, {
    code: DEMO_DATASET_CODE,
    name: '行政村人口登记',
    description: '省人口综合库按村汇总的户籍人口、户数、老龄化、市场主体与低收入户，回流至各村所属的县乡核对使用。',
    ownerRegionCode: opts.provinceCode,
    ownerOrganizationId: opts.ownerOrganizationId,
    classification: 'internal',
    keyField: 'villageCode',
    regionField: 'villageCode',
    fields: FIELDS,
  });
  const first: Row[] = opts.villages.map((v) => {
    const population = int(600, 4800);
    return {
      villageCode: v.code,
      villageName: v.name,
      population,
      households: Math.round(population / (2.4 + rand() * 0.9)),
      elderlyShare: Math.round((0.12 + rand() * 0.2) * 1000) / 1000,
      registeredEnterprises: int(0, 60),
      lowIncomeHouseholds: int(0, 40),
    };
  });
  await publishVersion(deps, ctx, DEMO_DATASET_CODE, { source: '省人口综合库 · 2024 年末汇总', note: '年度首次回流' }, first);
  const second: Row[] = first.map((r) => {
    if (rand() >= 0.125) return r;
    const population = (r.population as number) + int(-80, 120);
    return { ...r, population, households: Math.round(population / 2.7), registeredEnterprises: (r.registeredEnterprises as number) + int(0, 6) };
  });
  await publishVersion(deps, ctx, DEMO_DATASET_CODE, { source: '省人口综合库 · 2025 年中更新', note: '半年度更新' }, second);
}
