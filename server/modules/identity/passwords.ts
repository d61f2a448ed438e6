// SPDX-License-Identifier: Apache-2.0
// argon2id password hashes and the password policy.
import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2 takes the algorithm as a const enum number: 2 = Argon2id.
const ARGON2ID = 2;

/** argon2id hash of a password (OWASP parameters: 19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

/** True when `password` matches `stored`. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// A fixed hash verified when the user does not exist, so that timing does not tell which usernames exist.
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
}

/** The reasons a password breaks the policy (empty when it is acceptable). */
export function passwordProblems(password: string, minLength: number, username?: string): string[] {
  const problems: string[] = [];
  if (password.length < minLength) problems.push(`at least ${minLength} characters`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) problems.push('at least three of: lower-case, upper-case, digits, symbols');
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) problems.push('must not contain the username');
  return problems;
}
