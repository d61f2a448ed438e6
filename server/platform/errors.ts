// SPDX-License-Identifier: Apache-2.0
// The closed set of errors services throw; api/problem.ts maps them to RFC 9457 problem+json in one place.

/** A field that failed validation. */
export type FieldError = { field: string; message: string };

/** Base of every expected error. `code` is stable: clients and tests rely on it. */
export abstract class AppError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
  }
}
/** 400: the input is malformed or breaks a rule. */
export class Invalid extends AppError {
  readonly status = 400;
  constructor(message: string, fields?: FieldError[], code = 'invalid') {
    super(code, message, fields);
  }
}
/** 401: no valid credentials. */
export class Unauthenticated extends AppError {
  readonly status = 401;
  constructor(message = 'authentication required', code = 'unauthenticated') {
    super(code, message);
  }
}
/** 403: authenticated, but not allowed. */
export class Forbidden extends AppError {
  readonly status = 403;
  constructor(message: string, code = 'forbidden') {
    super(code, message);
  }
}
/** 404: no such resource (or not visible to the actor). */
export class NotFound extends AppError {
  readonly status = 404;
  constructor(message: string, code = 'not-found') {
    super(code, message);
  }
}
/** 409: conflicts with the current state. */
export class Conflict extends AppError {
  readonly status = 409;
  constructor(message: string, code = 'conflict') {
    super(code, message);
  }
}
/** 429: too many attempts. */
export class TooMany extends AppError {
  readonly status = 429;
  constructor(message: string, code = 'too-many-requests') {
    super(code, message);
  }
}
