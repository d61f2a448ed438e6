// SPDX-License-Identifier: Apache-2.0
import { buildTemplate } from './helpers/template.ts';

export default async function setup(): Promise<void> {
  await buildTemplate();
}
