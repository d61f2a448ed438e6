// SPDX-License-Identifier: Apache-2.0
// Assertions on API answers shared by the API tests.
import { expect } from 'vitest';
import { Problem } from '../../contracts/common.ts';
import type { TestResponse } from './platform.ts';

/** The answer is an RFC 9457 problem with this status (and code, when given); returns it. */
export function expectProblem(res: TestResponse, status: number, code?: string): Problem {
  expect(res.status, `${res.status} ${res.text.slice(0, 600)}`).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const parsed = Problem.parse(res.body);
  if (code) expect(parsed.code).toBe(code);
  return parsed;
}

/** The answer has this status (200 unless told); returns its body. */
export function ok<T>(res: TestResponse, status = 200): T {
  expect(res.status, `${res.status} ${res.text.slice(0, 600)}`).toBe(status);
  return res.body as T;
}
