// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import type { PlanLevel } from '../../../contracts/dispatch-plans.ts';
import { ancestorCodes } from './plans.policy.ts';
import { dependencyCycles, structureProblems } from './plans.structure.ts';

const step = (key: string, dependsOn: string[] = [], deadlineMinutes = 60, roleKey = 'fire-rescue') => ({ key, title: key, roleKey, deadlineMinutes, dependsOn });
const level = (steps: PlanLevel['steps'], extra: Partial<PlanLevel> = {}): PlanLevel => ({ level: 'IV', steps, resources: [], notifications: [], ...extra });
const catalogs = { resourceTypes: new Set(['pump-truck']) };

describe('plan structure', () => {
  it('finds dependency cycles with their path', () => {
    expect(dependencyCycles([step('a', ['b']), step('b', ['c']), step('c', ['a']), step('d')])).toEqual([['a', 'b', 'c', 'a']]);
    expect(dependencyCycles([step('a'), step('b', ['a']), step('c', ['a', 'b'])])).toEqual([]);
  });

  it('names each problem with its field', () => {
    const problems = structureProblems({
      triggers: [{ kind: 'incident', typeCode: 'no-such-type', minGrade: 'IV' }],
      levels: [
        level([step('a', ['ghost']), step('b', ['b']), step('c', ['a'], 30), step('x', [], 60, 'no-such-role'), step('a')], {
          resources: [{ resourceType: 'hovercraft', capability: null, quantity: 1, maxTravelMinutes: 10 }],
        }),
      ],
    }, catalogs);
    expect(problems).toEqual([
      { field: 'body.triggers[0].typeCode', message: 'no incident type no-such-type' },
      { field: 'body.levels[0].steps[3].roleKey', message: 'no role no-such-role in the role catalog' },
      { field: 'body.levels[0].steps[4].key', message: 'step key a appears twice in level IV' },
      { field: 'body.levels[0].steps[0].dependsOn[0]', message: 'step a depends on ghost, which is no step of level IV' },
      { field: 'body.levels[0].steps[1].dependsOn[0]', message: 'step b depends on itself' },
      { field: 'body.levels[0].steps[2].deadlineMinutes', message: 'step c is due at 30 min, before a (60 min) it depends on' },
      { field: 'body.levels[0].resources[0].resourceType', message: 'no resource type hovercraft in the catalog' },
    ]);
  });

  it('reports a cycle once, at its first step', () => {
    const problems = structureProblems({ triggers: [], levels: [level([step('a', ['c']), step('b', ['a']), step('c', ['b'])])] }, catalogs);
    expect(problems).toEqual([{ field: 'body.levels[0].steps[0].dependsOn', message: 'dependency cycle a → c → b → a' }]);
  });

  it('walks a region code up to its province', () => {
    expect(ancestorCodes('990101001001')).toEqual(['990101001000', '990101000000', '990100000000', '990000000000']);
    expect(ancestorCodes('990101000000')).toEqual(['990100000000', '990000000000']);
    expect(ancestorCodes('990000000000')).toEqual([]);
  });
});
