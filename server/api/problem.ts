// SPDX-License-Identifier: Apache-2.0
// Every error leaves as RFC 9457 application/problem+json with a stable `code`; unknown errors as a bare 500.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Problem } from '../../contracts/common.ts';
import { AppError, type FieldError } from '../platform/errors.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 423: 'Locked', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, requestId: string, errors?: FieldError[]): Problem {
  return {
    type: `https://yunzheng.dev/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    requestId,
    ...(errors && errors.length ? { errors } : {}),
  };
}

// NGSI-LD clients read the standard's problem types (ETSI GS CIM 009, 5.5.2).
const NGSI_TYPES: Record<string, string> = {
  'malformed-json': 'InvalidRequest',
  'unsupported-media-type': 'InvalidRequest',
  'too-large': 'InvalidRequest',
  invalid: 'BadRequestData',
  'not-found': 'ResourceNotFound',
  'already-exists': 'AlreadyExists',
  conflict: 'AlreadyExists',
  'ld-context-not-available': 'LdContextNotAvailable',
  'operation-not-supported': 'OperationNotSupported',
  'too-many-results': 'TooManyResults',
  'bad-request': 'BadRequestData',
};

function send(reply: FastifyReply, p: Problem) {
  const url = reply.request.url;
  if (url.startsWith('/ngsi-ld/')) {
    const ngsi = NGSI_TYPES[p.code];
    if (ngsi) return reply.code(p.status).type('application/json').send({ ...p, type: `https://uri.etsi.org/ngsi-ld/errors/${ngsi}`, title: ngsi });
  }
  return reply.code(p.status).type('application/problem+json').send(p);
}

type ZodIssueLike = { instancePath?: string; message?: string; params?: { issue?: { path?: PropertyKey[]; message?: string } } };

/** Maps any thrown error to a problem response. */
export function handleError(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const rid = String(req.id);
  if (err instanceof AppError) return send(reply, problem(err.status, err.code, err.message, rid, err.fields));
  const fe = err as FastifyError & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const where = fe.validationContext ?? 'body';
    const errors = (fe.validation as ZodIssueLike[]).map((v) => {
      const path = v.params?.issue?.path?.map(String).join('.') ?? v.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
      return { field: path ? `${where}.${path}` : where, message: v.params?.issue?.message ?? v.message ?? 'invalid' };
    });
    return send(reply, problem(400, 'invalid', `the request ${where} is not valid`, rid, errors));
  }
  if (fe.validation) return send(reply, problem(400, 'invalid', fe.message, rid));
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status === 413) return send(reply, problem(413, 'too-large', 'the request body is too large', rid));
  if (status === 415) return send(reply, problem(415, 'unsupported-media-type', fe.message, rid));
  if (status === 429) return send(reply, problem(429, 'too-many-requests', 'too many requests: wait a minute and try again', rid));
  if (status >= 400 && status < 500) {
    const code = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || /JSON/.test(fe.message) ? 'malformed-json' : 'bad-request';
    return send(reply, problem(status, code, fe.message, rid));
  }
  req.log.error({ err }, 'unhandled error');
  return send(reply, problem(500, 'internal', 'an unexpected error occurred; quote the request id when reporting it', rid));
}
