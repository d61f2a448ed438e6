// SPDX-License-Identifier: Apache-2.0
import type { TestProject } from 'vitest/node';
import { buildTemplate } from './helpers/template.ts';

/** Builds this run's template database once; every test file copies it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = await buildTemplate();
  project.provide('yzTemplate', template.info);
  return () => template.remove();
}
