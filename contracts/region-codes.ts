// SPDX-License-Identifier: Apache-2.0
// Region code arithmetic: the significant prefix of a code is its subtree key.
import { LEVELS, type Level, PREFIX_LENGTH } from './regions.ts';

/** The significant prefix of `code` at `level` (e.g. a county 330106000000 → '330106'). */
export function prefixOf(code: string, level: Level): string {
  return code.slice(0, PREFIX_LENGTH[level]);
}

/** The level a code denotes by its zero padding (a 15-digit code is a grid). */
export function levelOfCode(code: string): Level {
  if (code.length === 15) return 'grid';
  if (/^\d{2}0{10}$/.test(code)) return 'province';
  if (/^\d{4}0{8}$/.test(code)) return 'city';
  if (/^\d{6}0{6}$/.test(code)) return 'county';
  if (/^\d{9}0{3}$/.test(code)) return 'township';
  return 'village';
}

/** The significant prefix of a code, from its own zero padding. */
export function scopePrefixOf(code: string | null): string {
  return code === null ? '' : prefixOf(code, levelOfCode(code));
}

/** True when `code` lies in the subtree whose prefix is `prefix` ('' = everything). */
export function inScope(prefix: string, code: string | null | undefined): boolean {
  return prefix === '' || (typeof code === 'string' && code.startsWith(prefix));
}

/** The index of a level, province = 0. */
export function levelIndex(level: Level): number {
  return LEVELS.indexOf(level);
}

/** Whether a code fits under a parent by the code rules: same prefix, one level deeper, padded with zeros. */
export function codeFitsParent(code: string, level: Level, parentCode: string | null, parentLevel: Level | null): string | null {
  if (level === 'grid' ? code.length !== 15 : code.length !== 12) return `a ${level} code has ${level === 'grid' ? 15 : 12} digits`;
  const own = PREFIX_LENGTH[level];
  if (level !== 'grid' && !/^0*$/.test(code.slice(own))) return `a ${level} code ends in ${12 - own} zeros`;
  if (!/[1-9]/.test(code.slice(level === 'province' ? 0 : PREFIX_LENGTH[LEVELS[levelIndex(level) - 1] as Level], own))) {
    return `the ${level} part of the code is all zeros`;
  }
  if (level === 'province') return parentCode === null ? null : 'a province has no parent';
  if (parentCode === null || parentLevel === null) return `a ${level} needs a parent`;
  if (levelIndex(parentLevel) !== levelIndex(level) - 1) return `the parent of a ${level} must be a ${LEVELS[levelIndex(level) - 1]}, not a ${parentLevel}`;
  if (!code.startsWith(prefixOf(parentCode, parentLevel))) return `code ${code} does not start with its parent's prefix ${prefixOf(parentCode, parentLevel)}`;
  return null;
}

/** The codes above `code` (its ancestors), nearest first: a county's township-free path up to the province. */
export function ancestorCodes(code: string): string[] {
  const own = scopePrefixOf(code).length;
  const out: string[] = [];
  for (const n of [12, 9, 6, 4, 2]) {
    if (n >= own) continue;
    const prefix = code.slice(0, n);
    if (/^0*$/.test(prefix.slice(n <= 2 ? 0 : n === 4 ? 2 : n === 6 ? 4 : n === 9 ? 6 : 9))) continue; // a skipped level (all zeros)
    out.push(prefix.padEnd(12, '0'));
  }
  return out;
}
