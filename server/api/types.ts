// SPDX-License-Identifier: Apache-2.0
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RequestContext } from '../platform/context.ts';

/** The Fastify instance with zod schemas at the edge. */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting and the request id; set by the authentication hook. */
    ctx: RequestContext;
    sessionId: string | undefined;
  }
  interface FastifyContextConfig {
    /** Reachable without authentication. */
    public?: boolean;
  }
}
