// SPDX-License-Identifier: Apache-2.0
import crypto from 'node:crypto';

/** A new random UUID (v4): ids are generated in the application so that both engines agree. */
export function newId(): string {
  return crypto.randomUUID();
}
