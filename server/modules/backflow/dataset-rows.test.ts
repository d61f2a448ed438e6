// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import type { DatasetField } from '../../../contracts/datasets.ts';
import { Invalid } from '../../platform/errors.ts';
import { convertValue, type CurrentRow, diffRows, type ParsedRow, rowsFromCsv, rowsFromJson, type RowSchema } from './dataset-rows.ts';

const field = (name: string, type: DatasetField['type'], required = false): DatasetField => ({ name, type, label: null, required });
const schema: RowSchema = {
  fields: [field('id', 'string'), field('region', 'string'), field('people', 'integer', true), field('share', 'number'), field('open', 'boolean')],
  keyField: 'id',
  regionField: 'region',
};
const V = '990101001001';

function errorsOf(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof Invalid) return err.fields ?? [];
    throw err;
  }
  throw new Error('expected an Invalid');
}

describe('row values', () => {
  it('reads CSV text as the field type, and refuses JSON values of another type', () => {
    expect(convertValue(field('n', 'integer'), ' 42 ', true)).toEqual({ value: 42 });
    expect(convertValue(field('n', 'integer'), '42', false)).toEqual({ error: 'expected a whole number, got "42"' });
    expect(convertValue(field('n', 'integer'), '4.2', true)).toMatchObject({ error: expect.any(String) });
    expect(convertValue(field('n', 'integer'), 2 ** 60, false)).toMatchObject({ error: expect.any(String) });
    expect(convertValue(field('x', 'number'), '1e3', true)).toEqual({ value: 1000 });
    expect(convertValue(field('x', 'number'), 'NaN', true)).toMatchObject({ error: expect.any(String) });
    expect(convertValue(field('b', 'boolean'), '是', true)).toEqual({ value: true });
    expect(convertValue(field('b', 'boolean'), 'FALSE', true)).toEqual({ value: false });
    expect(convertValue(field('b', 'boolean'), 'true', false)).toMatchObject({ error: expect.any(String) });
    expect(convertValue(field('s', 'string'), 12, false)).toEqual({ error: 'expected text, got 12' });
    expect(convertValue(field('s', 'string'), '  a  ', false)).toEqual({ value: 'a' });
    expect(convertValue(field('s', 'string'), '', true)).toEqual({ value: null });
    expect(convertValue(field('s', 'string', true), ' ', true)).toEqual({ error: 'a value is required' });
  });
});

describe('uploads', () => {
  it('parses a CSV with a byte-order mark, quoted cells, columns in any order and blank lines', () => {
    const rows = rowsFromCsv(schema, `\ufeffpeople,id,region\r\n12,"A, 1",${V}\r\n\r\n7,B,${V}\r\n`);
    expect(rows).toEqual([
      { row: 1, key: 'A, 1', regionCode: V, data: { id: 'A, 1', region: V, people: 12, share: null, open: null } },
      { row: 3, key: 'B', regionCode: V, data: { id: 'B', region: V, people: 7, share: null, open: null } },
    ]);
  });

  it('names the row and the field of every error', () => {
    expect(errorsOf(() => rowsFromJson(schema, [{ id: 'A', region: V, people: 1 }, { id: 'A', region: 'x', people: 'two' }, 5]))).toEqual([
      { field: 'row 3', message: 'a row is a JSON object of field: value' },
      { field: 'row 2.people', message: 'expected a whole number, got "two"' },
    ]);
    expect(errorsOf(() => rowsFromJson(schema, [{ id: 'A', region: 'x', people: 1 }]))).toEqual([{ field: 'row 1.region', message: '"x" is not a region code (12 digits, 15 for a grid)' }]);
    expect(errorsOf(() => rowsFromJson(schema, [{ id: 'A', region: V, people: 1 }, { id: 'A', region: V, people: 2 }]))).toEqual([{ field: 'row 2.id', message: 'key A is already on row 1' }]);
    expect(errorsOf(() => rowsFromCsv(schema, 'id,region\nA,B\n')).map((e) => e.field)).toEqual(['header.people']);
  });
});

describe('the diff of a version', () => {
  it('keeps unchanged rows, replaces changed ones, ends missing ones, adds new ones', () => {
    const current = new Map<string, CurrentRow>([
      ['A', { key: 'A', regionCode: V, data: { id: 'A', people: 1, share: 0.5 } }],
      ['B', { key: 'B', regionCode: V, data: { id: 'B', people: 2 } }],
      ['C', { key: 'C', regionCode: V, data: { id: 'C', people: 3 } }],
    ]);
    const next: ParsedRow[] = [
      { row: 1, key: 'A', regionCode: V, data: { share: 0.5, people: 1, id: 'A' } }, // same values in another order
      { row: 2, key: 'B', regionCode: V, data: { id: 'B', people: 20 } },
      { row: 3, key: 'D', regionCode: V, data: { id: 'D', people: 4 } },
    ];
    const diff = diffRows(current, next);
    expect(diff.unchanged).toBe(1);
    expect(diff.changed.map((r) => r.key)).toEqual(['B']);
    expect(diff.added.map((r) => r.key)).toEqual(['D']);
    expect(diff.removed).toEqual(['C']);
    // a row that moves to another region is a change
    expect(diffRows(current, [{ row: 1, key: 'C', regionCode: '990101001002', data: { id: 'C', people: 3 } }]).changed.map((r) => r.key)).toEqual(['C']);
  });
});
