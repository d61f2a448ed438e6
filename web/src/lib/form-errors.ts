// SPDX-License-Identifier: Apache-2.0
// Puts the server's field errors (problem.errors) next to the form fields they name.
import type { FormInstance } from 'antd';
import { ApiError } from './api.ts';

/**
 * Marks each field the server rejected; a path like `qualifications.0` marks `qualifications`.
 * Returns the errors that name no field of the form (to show in a general alert).
 */
export function applyFieldErrors(form: FormInstance, err: unknown, fields: readonly string[]): Array<{ field: string; message: string }> {
  if (!(err instanceof ApiError)) return [];
  const byField = new Map<string, string[]>();
  const unmatched: Array<{ field: string; message: string }> = [];
  for (const e of err.fieldErrors) {
    const top = e.field.replace(/^body\./, '').split(/[.[]/)[0] ?? '';
    if (fields.includes(top)) byField.set(top, [...(byField.get(top) ?? []), e.message]);
    else unmatched.push(e);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return unmatched;
}
