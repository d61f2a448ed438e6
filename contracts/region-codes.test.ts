// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { codeFitsParent, inScope, levelOfCode, prefixOf, scopePrefixOf } from './region-codes.ts';

describe('region codes', () => {
  it('derives levels and prefixes from zero padding', () => {
    expect(levelOfCode('330000000000')).toBe('province');
    expect(levelOfCode('330100000000')).toBe('city');
    expect(levelOfCode('330106000000')).toBe('county');
    expect(levelOfCode('330106001000')).toBe('township');
    expect(levelOfCode('330106001002')).toBe('village');
    expect(levelOfCode('330106001002003')).toBe('grid');
    expect(prefixOf('330106001000', 'township')).toBe('330106001');
    expect(scopePrefixOf('330106000000')).toBe('330106');
    expect(scopePrefixOf(null)).toBe('');
  });
  it('checks scope by prefix', () => {
    expect(inScope('330106', '330106001002')).toBe(true);
    expect(inScope('330106', '330105001002')).toBe(false);
    expect(inScope('', '110000000000')).toBe(true);
    expect(inScope('3301', null)).toBe(false);
  });
  it('checks that a code fits its parent', () => {
    expect(codeFitsParent('330106001000', 'township', '330106000000', 'county')).toBeNull();
    expect(codeFitsParent('330107001000', 'township', '330106000000', 'county')).toMatch(/prefix/);
    expect(codeFitsParent('330106001001', 'township', '330106000000', 'county')).toMatch(/zeros/);
    expect(codeFitsParent('330106000000', 'township', '330106000000', 'county')).toMatch(/all zeros/);
    expect(codeFitsParent('330106001000', 'township', '330100000000', 'city')).toMatch(/parent of a township/);
    expect(codeFitsParent('330000000000', 'province', null, null)).toBeNull();
    expect(codeFitsParent('330106001002001', 'grid', '330106001002', 'village')).toBeNull();
  });
});
