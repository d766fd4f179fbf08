import type { Request } from 'express';
import type { z } from 'zod';
import { HttpError, type ErrorCode } from '../errors';
import { describeValidationError } from '../execute-request';

/** What a JSON body can be refused for before its route runs: by the body reader, then here. */
export const BODY_ERRORS = [
  'invalid_json',
  'invalid_request',
  'request_aborted',
  'unsupported_media_type',
  'unsupported_encoding',
] as const satisfies readonly ErrorCode[];

/** The body, as JSON and valid for `schema`; else 415 or 400 saying what to fix. */
export function parseBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): z.infer<Schema> {
  if (!request.is('application/json')) {
    throw new HttpError(
      'unsupported_media_type',
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
  const parsed = schema.safeParse(request.body);
  if (!parsed.success)
    throw new HttpError('invalid_request', describeValidationError(parsed.error));
  return parsed.data;
}
