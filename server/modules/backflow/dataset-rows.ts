// SPDX-License-Identifier: Apache-2.0
// Rows of a data set: parsing an upload (JSON array or CSV) against the data set's fields, and the diff of
// a new version against the current rows. Pure functions; the service does the database work.
import type { DatasetField, FieldValue } from '../../../contracts/datasets.ts';
import { canonicalJson } from '../../platform/crypto.ts';
import { type FieldError, Invalid } from '../../platform/errors.ts';
import { parseCsv } from '../regions/index.ts';

/** The shape rows must have: the fields, and which of them is the key and which the region. */
export type RowSchema = { fields: readonly DatasetField[]; keyField: string; regionField: string };

/** A validated row of an upload; `row` counts from 1 (in a CSV, the first line after the header). */
export type ParsedRow = { row: number; key: string; regionCode: string; data: Record<string, FieldValue> };

/** A row as stored now. */
export type CurrentRow = { key: string; regionCode: string; data: Record<string, FieldValue> };

/** Most rows one version may hold; a larger data set is published in regional parts by several owners. */
export const MAX_ROWS = 200_000;
/** Errors reported at most: the first ones say enough to fix the file. */
export const MAX_ERRORS = 50;
const MAX_TEXT = 2000;
const REGION_CODE = /^\d{12}(\d{3})?$/;

/** Collects field errors up to MAX_ERRORS and throws them as one 400. */
export class ErrorList {
  readonly errors: FieldError[] = [];
  private count = 0;

  add(field: string, message: string): void {
    this.count++;
    if (this.errors.length < MAX_ERRORS) this.errors.push({ field, message });
  }

  get full(): boolean {
    return this.count >= MAX_ERRORS;
  }

  throwIfAny(what: string): void {
    if (this.count === 0) return;
    throw new Invalid(`${what} has ${this.count >= MAX_ERRORS ? `${MAX_ERRORS} or more` : this.count} invalid value(s); nothing was published`, this.errors);
  }
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', '是']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', '否']);

/**
 * Converts one raw value to the field's type. CSV cells are text and are read as the field's type;
 * JSON values must already have it (a number in a text field is refused rather than guessed at).
 * Empty text is a missing value.
 */
export function convertValue(field: DatasetField, raw: unknown, fromCsv: boolean): { value: FieldValue } | { error: string } {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    return field.required ? { error: 'a value is required' } : { value: null };
  }
  switch (field.type) {
    case 'string':
      if (typeof raw !== 'string') return { error: `expected text, got ${describe(raw)}` };
      if (raw.trim().length > MAX_TEXT) return { error: `at most ${MAX_TEXT} characters` };
      return { value: raw.trim() };
    case 'integer': {
      const n = fromCsv && typeof raw === 'string' && /^[-+]?\d{1,16}$/.test(raw.trim()) ? Number(raw.trim()) : raw;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) return { error: `expected a whole number, got ${describe(raw)}` };
      return { value: n };
    }
    case 'number': {
      const n = fromCsv && typeof raw === 'string' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { error: `expected a number, got ${describe(raw)}` };
      return { value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      const word = fromCsv && typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
      if (word !== undefined && TRUE_WORDS.has(word)) return { value: true };
      if (word !== undefined && FALSE_WORDS.has(word)) return { value: false };
      return { error: `expected true or false, got ${describe(raw)}` };
    }
  }
}

function describe(raw: unknown): string {
  if (typeof raw === 'string') return `"${raw.length > 40 ? `${raw.slice(0, 37)}…` : raw}"`;
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'an object';
  return String(raw);
}

/** Validates raw rows (field name → raw value) against the schema; throws one 400 listing the first errors. */
function validate(schema: RowSchema, raws: { row: number; values: Record<string, unknown> }[], fromCsv: boolean, errors: ErrorList): ParsedRow[] {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const keyField = byName.get(schema.keyField);
  const regionField = byName.get(schema.regionField);
  if (!keyField || !regionField) throw new Error(`the data set's key or region field is not one of its fields`);
  const out: ParsedRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, values } of raws) {
    if (errors.full) break;
    const data: Record<string, FieldValue> = {};
    let ok = true;
    for (const name of Object.keys(values)) {
      if (!byName.has(name)) {
        errors.add(`row ${row}.${name}`, `not a field of the data set (fields: ${[...byName.keys()].join(', ')})`);
        ok = false;
      }
    }
    for (const f of schema.fields) {
      const isKeyOrRegion = f.name === schema.keyField || f.name === schema.regionField;
      // own properties only: a row without a field named "constructor" must not find Object's
      const raw = Object.hasOwn(values, f.name) ? values[f.name] : undefined;
      const converted = convertValue(isKeyOrRegion ? { ...f, required: true } : f, raw, fromCsv);
      if ('error' in converted) {
        errors.add(`row ${row}.${f.name}`, converted.error);
        ok = false;
      } else data[f.name] = converted.value;
    }
    if (!ok) continue;
    const key = data[schema.keyField] as string;
    const regionCode = data[schema.regionField] as string;
    if (key.length > 200) {
      errors.add(`row ${row}.${schema.keyField}`, 'a key has at most 200 characters');
      continue;
    }
    if (!REGION_CODE.test(regionCode)) {
      errors.add(`row ${row}.${schema.regionField}`, `"${regionCode}" is not a region code (12 digits, 15 for a grid)`);
      continue;
    }
    const before = seen.get(key);
    if (before !== undefined) {
      errors.add(`row ${row}.${schema.keyField}`, `key ${key} is already on row ${before}`);
      continue;
    }
    seen.set(key, row);
    out.push({ row, key, regionCode, data });
  }
  return out;
}

/** Rows from a JSON array of objects keyed by field name; throws one 400 listing the first errors. */
export function rowsFromJson(schema: RowSchema, body: unknown[], errors = new ErrorList()): ParsedRow[] {
  if (body.length > MAX_ROWS) throw new Invalid(`at most ${MAX_ROWS} rows per version`, [{ field: 'body', message: `${body.length} rows` }]);
  const raws: { row: number; values: Record<string, unknown> }[] = [];
  body.forEach((value, i) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) errors.add(`row ${i + 1}`, 'a row is a JSON object of field: value');
    else raws.push({ row: i + 1, values: value as Record<string, unknown> });
  });
  const rows = validate(schema, raws, false, errors);
  errors.throwIfAny('the upload');
  return rows;
}

/** Rows from CSV text whose header names the fields (in any order; optional ones may be left out); throws one 400 listing the first errors. */
export function rowsFromCsv(schema: RowSchema, text: string, errors = new ErrorList()): ParsedRow[] {
  const lines = parseCsv(text);
  const header = (lines[0] ?? []).map((h) => h.trim());
  if (header.length === 0 || (header.length === 1 && header[0] === '')) {
    throw new Invalid('the CSV is empty: its first line names the fields', [{ field: 'header', message: 'missing' }]);
  }
  const names = new Set(schema.fields.map((f) => f.name));
  const columns = new Set<string>();
  for (const h of header) {
    if (!names.has(h)) errors.add(`header.${h || '(empty)'}`, `not a field of the data set (fields: ${[...names].join(', ')})`);
    else if (columns.has(h)) errors.add(`header.${h}`, 'the column appears twice');
    columns.add(h);
  }
  for (const f of schema.fields) {
    if ((f.required || f.name === schema.keyField || f.name === schema.regionField) && !columns.has(f.name)) errors.add(`header.${f.name}`, 'a required column is missing');
  }
  errors.throwIfAny('the CSV header');
  if (lines.length - 1 > MAX_ROWS) throw new Invalid(`at most ${MAX_ROWS} rows per version`, [{ field: 'body', message: `${lines.length - 1} rows` }]);
  const raws: { row: number; values: Record<string, unknown> }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i] as string[];
    if (cells.length === 1 && (cells[0] ?? '').trim() === '') continue; // a blank line
    if (cells.length !== header.length) {
      errors.add(`row ${i}`, `has ${cells.length} cells, the header ${header.length} (line ${i + 1})`);
      continue;
    }
    raws.push({ row: i, values: Object.fromEntries(header.map((h, c) => [h, cells[c]])) });
  }
  const rows = validate(schema, raws, true, errors);
  errors.throwIfAny('the upload');
  return rows;
}

/** What a new version changes against the current rows. */
export type RowDiff = { added: ParsedRow[]; changed: ParsedRow[]; removed: string[]; unchanged: number };

function same(a: CurrentRow, b: ParsedRow): boolean {
  return a.regionCode === b.regionCode && canonicalJson(a.data) === canonicalJson(b.data);
}

/** Compares the uploaded rows with the current ones: unchanged rows stay, changed ones are replaced, missing ones end. */
export function diffRows(current: ReadonlyMap<string, CurrentRow>, next: readonly ParsedRow[]): RowDiff {
  const diff: RowDiff = { added: [], changed: [], removed: [], unchanged: 0 };
  const keys = new Set<string>();
  for (const row of next) {
    keys.add(row.key);
    const now = current.get(row.key);
    if (!now) diff.added.push(row);
    else if (same(now, row)) diff.unchanged++;
    else diff.changed.push(row);
  }
  for (const key of current.keys()) if (!keys.has(key)) diff.removed.push(key);
  return diff;
}
