// SPDX-License-Identifier: Apache-2.0
export { type DemoAccount, hasDemoProvince, seedDemo, writeDemoAccounts } from './demo.service.ts';
