// SPDX-License-Identifier: Apache-2.0
// A measure source: the SQL a module gives for rows of its own tables that an indicator counts or sums,
// so that indicators never read another module's tables by name. The SQL yields the columns
//   region_code varchar — the region the row belongs to
//   at          timestamptz — the instant that puts it in a period; NULL when it holds for every period
//   v           double precision — the value the row adds
//   changed_at  timestamptz — when the row last changed (late data recomputes the period of `at`)
// restricted to rows whose `at` lies in [window.from, window.to) (or is NULL).

/** Bind values of the query being built: `param(v)` appends `v` and returns its placeholder ($n). */
export type Params = { values: unknown[]; param(v: unknown): string };

/** A new parameter list. */
export function params(initial: unknown[] = []): Params {
  const values = [...initial];
  return { values, param: (v) => `$${values.push(v)}` };
}

/** The time window a measure reads. */
export type MeasureWindow = { from: Date; to: Date };
