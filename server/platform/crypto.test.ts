// SPDX-License-Identifier: Apache-2.0
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, digest, generatePassword, sm4Decrypt, sm4Encrypt } from './crypto.ts';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, e: undefined })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
  it('gives the same text whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: '云' })).toBe(canonicalJson({ y: '云', x: 1 }));
  });
  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe('national algorithms', () => {
  it('SM3 matches the GB/T 32905 test vector for "abc"', () => {
    expect(digest('sm3', 'abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });
  it('SM4 encrypts and decrypts (GB/T 32907 block test vector under ECB)', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const c = crypto.createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    expect(Buffer.concat([c.update(key), c.final()]).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    expect(sm4Decrypt(key, sm4Encrypt(key, '身份证号 110101199003071234'))).toBe('身份证号 110101199003071234');
  });
});

describe('generated passwords', () => {
  it('have every character class and the requested length', () => {
    for (let i = 0; i < 50; i++) {
      const p = generatePassword(16);
      expect(p).toHaveLength(16);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^a-zA-Z0-9]/);
    }
  });
});
