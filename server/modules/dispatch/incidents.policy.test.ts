// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { dueTimes, findLeafType, listIncidentTypes, slaMinutes, typeCodesUnder } from './incident-types.ts';
import { baseCommandLevel, commandAfterRaise, commandRegion, levelAbove, metresBetween, nextStatus } from './incidents.policy.ts';

describe('incident rules', () => {
  it('walks the lifecycle and refuses steps out of turn', () => {
    expect(nextStatus('reported', 'verify')).toEqual({ to: 'verified' });
    expect(nextStatus('reported', 'reject')).toEqual({ to: 'rejected' });
    expect(nextStatus('verified', 'respond')).toEqual({ to: 'responding' });
    expect(nextStatus('evaluated', 'close')).toEqual({ to: 'closed' });
    expect(nextStatus('responding', 'regrade')).toEqual({ to: 'responding' });
    expect(nextStatus('closed', 'comment')).toEqual({ to: 'closed' });
    expect(nextStatus('reported', 'resolve')).toHaveProperty('refused');
    expect(nextStatus('rejected', 'verify')).toHaveProperty('refused');
    expect(nextStatus('closed', 'regrade')).toHaveProperty('refused');
  });

  it('commands from the county, city or province by grade, and escalates one level at a time', () => {
    const village = '990101001001';
    expect(commandRegion(village, baseCommandLevel('IV'))).toBe('990101000000');
    expect(commandRegion(village, baseCommandLevel('III'))).toBe('990100000000');
    expect(commandRegion(village, baseCommandLevel('II'))).toBe('990000000000');
    expect(commandRegion(village, baseCommandLevel('I'))).toBe('990000000000');
    // a city-level incident of grade IV is commanded by the city itself
    expect(commandRegion('990100000000', 'county')).toBe('990100000000');
    expect(commandRegion('990101001001001', 'county')).toBe('990101000000');
    expect(levelAbove('990101000000')).toBe('city');
    expect(levelAbove('990000000000')).toBe('province');
    expect(commandAfterRaise(village, '990101000000', 'III')).toBe('990100000000');
    expect(commandAfterRaise(village, '990100000000', 'III')).toBe('990000000000');
    expect(commandAfterRaise(village, '990101000000', 'I')).toBe('990000000000');
  });

  it('shortens deadlines for graver grades', () => {
    const road = findLeafType('road-damage');
    expect(road).toBeDefined();
    if (!road) return;
    expect(slaMinutes(road, 'IV')).toEqual({ verify: 240, respond: 1440, resolve: 7200 });
    expect(slaMinutes(road, 'I')).toEqual({ verify: 60, respond: 360, resolve: 1800 });
    const at = new Date('2026-07-01T00:00:00Z');
    expect(dueTimes(road, 'IV', at).verify.toISOString()).toBe('2026-07-01T04:00:00.000Z');
  });

  it('keeps a catalogue of categories and leaf types', () => {
    const all = listIncidentTypes();
    expect(all.filter((t) => !t.leaf).map((t) => t.code)).toEqual(['natural-disaster', 'accident', 'public-health', 'social-security', 'urban-management']);
    expect(all.every((t) => t.leaf === (t.parentCode !== null))).toBe(true);
    expect(typeCodesUnder('urban-management')).toContain('garbage');
    expect(typeCodesUnder('garbage')).toEqual(['garbage']);
    expect(typeCodesUnder('nothing')).toEqual([]);
  });

  it('measures metres on the ground', () => {
    expect(metresBetween(113, 28, 113, 28.001)).toBeCloseTo(111.2, 0);
    expect(metresBetween(113, 28, 113.001, 28)).toBeCloseTo(98.2, 0);
  });
});
