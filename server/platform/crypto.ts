// SPDX-License-Identifier: Apache-2.0
// Hashing (SHA-256 or the national SM3), canonical JSON for hashing, random secrets, SM4 encryption.
import crypto from 'node:crypto';

/** A hash algorithm the platform offers; SM3 is the national (国密) choice. */
export type HashAlgorithm = 'sha256' | 'sm3';

/** Hex digest of `data` with `algorithm`. */
export function digest(algorithm: HashAlgorithm, data: string | Buffer): string {
  return crypto.createHash(algorithm).update(data).digest('hex');
}

/**
 * Canonical JSON (RFC 8785 style): object keys sorted by UTF-16 code units, no white space, undefined
 * members dropped. Used wherever a hash must not depend on key order — jsonb does not keep it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number in canonical JSON');
    if (value === undefined) return 'null';
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** A URL-safe random secret of `bytes` bytes. */
export function randomSecret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a bearer secret (session ids, API tokens): what is stored instead of the secret. */
export function secretHash(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

/** A generated password that meets the password policy: letters, digits and symbols. */
export function generatePassword(length = 16): string {
  const sets = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '-_.@+='];
  const all = sets.join('');
  const chars = sets.map((s) => s[crypto.randomInt(s.length)] as string);
  while (chars.length < length) chars.push(all[crypto.randomInt(all.length)] as string);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

/** SM4-CBC encryption (national algorithm) of UTF-8 text with a 16-byte key; returns iv:ciphertext in hex. */
export function sm4Encrypt(key: Buffer, plain: string): string {
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('sm4-cbc', key, iv);
  return `${iv.toString('hex')}:${Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('hex')}`;
}

/** Reverses sm4Encrypt. */
export function sm4Decrypt(key: Buffer, encoded: string): string {
  const [ivHex, dataHex] = encoded.split(':');
  if (!ivHex || !dataHex) throw new TypeError('not an SM4 ciphertext');
  const decipher = crypto.createDecipheriv('sm4-cbc', key, Buffer.from(ivHex, 'hex'));
  return Buffer.concat([decipher.update(Buffer.from(dataHex, 'hex')), decipher.final()]).toString('utf8');
}
