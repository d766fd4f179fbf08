import type { z } from 'zod';
import type { ErrorCode } from '../errors';

/**
 * One route of the API as the OpenAPI document describes it, built from the same zod schemas the
 * route validates with: the router and the document cannot disagree.
 */
export interface ApiOperation {
  method: 'get' | 'post' | 'delete';
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** The JSON body the route validates; none for a route without one. */
  requestBody?: z.ZodType;
  /** The query parameters the route validates (an object schema of strings). */
  query?: z.ZodObject;
  /** A header the route reads, with its rule. */
  headers?: readonly { name: string; description: string; pattern: RegExp }[];
  /** The success status, 200 unless given. */
  status?: 200 | 201;
  /** The success answer, as JSON; a route that streams has `events` instead. */
  response?: z.ZodType;
  /**
   * For a route that answers with server-sent events (`text/event-stream`): each event's data by
   * event name, and the codes its `error` event may carry once the stream has begun.
   */
  events?: { schemas: Readonly<Record<string, z.ZodType>>; errorCodes: readonly ErrorCode[] };
  /** The codes this route answers besides those every route may answer (see openapi-document.ts). */
  errors: readonly ErrorCode[];
  /** Fields the answers with this route's own `errors` carry besides `error` (`/readyz`: its checks). */
  errorDetails?: Readonly<Record<string, z.ZodType>>;
  /** True for a route open to anyone even when API keys are configured (the probes). */
  public?: boolean;
}
