#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Runs the TypeScript CLI in this process (node --import tsx keeps one PID, unlike `npx tsx`).
import { register } from 'tsx/esm/api';
register();
await import('../server/cli.ts');
