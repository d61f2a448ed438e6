// SPDX-License-Identifier: Apache-2.0
// The one place that reads process.env: every option, its default and its meaning (docs/operations.md).
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  YZ_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  NATS_URL: z.string().optional(),
  YZ_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  YZ_SEED_DEMO: bool.default(true),
  YZ_DEMO_VILLAGES: z.coerce.number().int().min(10).max(100000).default(600),
  YZ_DEMO_SEED: z.coerce.number().int().default(20261127),
  YZ_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  YZ_SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  YZ_COOKIE_SECURE: bool.default(false),
  YZ_PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(10),
  YZ_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  YZ_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  YZ_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  YZ_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).default(365),
  YZ_AUDIT_HASH: z.enum(['sha256', 'sm3']).default('sha256'),
  YZ_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  YZ_IMPORT_LIMIT_BYTES: z.coerce.number().int().min(1024).default(104_857_600),
  YZ_BUILD_CONSOLE: bool.default(true),
  YZ_NGSI_TRUSTED_NETWORK: bool.default(false),
  YZ_NGSI_TRUSTED_SCOPE: z.string().regex(/^\d{12}(\d{3})?$/, 'a region code').optional(),
  YZ_NGSI_TRUSTED_ROLE: z.enum(['viewer', 'operator']).default('viewer'),
  // CAP <sender>: no spaces, commas, '<' or '&' (CAP 1.2, 3.2.1)
  YZ_CAP_SENDER: z.string().regex(/^[^\s,<&]{1,200}$/, 'no spaces, commas, < or &').optional(),
  YZ_CAP_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  YZ_PUBLIC_URL: z.string().url().optional(),
  YZ_INDICATOR_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  YZ_TASK_REMINDER_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
});

/** Parsed platform configuration. */
export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  natsUrl: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['YZ_LOG_LEVEL'];
  seedDemo: boolean;
  demoVillages: number;
  demoSeed: number;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  cookieSecure: boolean;
  passwordMinLength: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginRateLimit: number;
  tokenMaxDays: number;
  auditHash: 'sha256' | 'sm3';
  bodyLimitBytes: number;
  importLimitBytes: number;
  buildConsole: boolean;
  /** Serve /ngsi-ld without authentication (a gateway in front authenticates) under this scope and role. */
  ngsiTrusted: { scopeCode: string | null; role: 'viewer' | 'operator' } | null;
  /** The sender of every CAP message (default yunzheng@<host name>). */
  capSender: string;
  /** Requests per minute per client on the public CAP feed and documents. */
  capRateLimit: number;
  /** The public base URL (https://host) for links in public feeds; by default taken from the request. */
  publicUrl: string | undefined;
  /** How often indicators are recomputed (their current and previous period, and late data). */
  indicatorIntervalSeconds: number;
  /** How long before its deadline an open task is reminded of (once). */
  taskReminderHours: number;
};

/** Thrown when the environment holds an invalid option; the message names each one. */
export class ConfigError extends Error {}

/** Parses configuration from an environment (process.env by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.YZ_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    natsUrl: e.NATS_URL,
    logLevel: e.YZ_LOG_LEVEL,
    seedDemo: e.YZ_SEED_DEMO,
    demoVillages: e.YZ_DEMO_VILLAGES,
    demoSeed: e.YZ_DEMO_SEED,
    sessionIdleMinutes: e.YZ_SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.YZ_SESSION_ABSOLUTE_HOURS,
    cookieSecure: e.YZ_COOKIE_SECURE,
    passwordMinLength: e.YZ_PASSWORD_MIN_LENGTH,
    loginMaxFailures: e.YZ_LOGIN_MAX_FAILURES,
    loginLockMinutes: e.YZ_LOGIN_LOCK_MINUTES,
    loginRateLimit: e.YZ_LOGIN_RATE_LIMIT,
    tokenMaxDays: e.YZ_TOKEN_MAX_DAYS,
    auditHash: e.YZ_AUDIT_HASH,
    bodyLimitBytes: e.YZ_BODY_LIMIT_BYTES,
    importLimitBytes: e.YZ_IMPORT_LIMIT_BYTES,
    buildConsole: e.YZ_BUILD_CONSOLE,
    ngsiTrusted: e.YZ_NGSI_TRUSTED_NETWORK ? { scopeCode: e.YZ_NGSI_TRUSTED_SCOPE ?? null, role: e.YZ_NGSI_TRUSTED_ROLE } : null,
    capSender: e.YZ_CAP_SENDER ?? `yunzheng@${os.hostname().replace(/[^A-Za-z0-9.-]/g, '-') || 'localhost'}`,
    capRateLimit: e.YZ_CAP_RATE_LIMIT,
    publicUrl: e.YZ_PUBLIC_URL?.replace(/\/+$/, ''),
    indicatorIntervalSeconds: e.YZ_INDICATOR_INTERVAL_SECONDS,
    taskReminderHours: e.YZ_TASK_REMINDER_HOURS,
  };
}

/** Test-only environment: which engine this test run uses and the PostgreSQL server (if any) to run against. */
export function testEnvironment(env: Record<string, string | undefined> = process.env): { engine: 'embedded' | 'server'; serverUrl: string | undefined; ci: boolean } {
  const serverUrl = env.YZ_TEST_DATABASE_URL || undefined;
  return { engine: env.YZ_TEST_ENGINE === 'server' && serverUrl ? 'server' : 'embedded', serverUrl, ci: env.CI === 'true' };
}
